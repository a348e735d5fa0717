import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { redact } from '../../core/redact';
import { defaultChannelSettings } from './channel-defaults';
import { ChannelStore, MAX_EVENTS_PER_SESSION } from './channel-store';
import { loadOrCreateCredentials } from './credentials';
import type { ChannelState } from './state';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function open(dir?: string): ChannelStore {
  const where = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'channel-store-'));
  if (!dir) dirs.push(where);
  return new ChannelStore({ dir: where, region: 'us-west-2', accountId: '000000000000', playbackUrl: (id) => `http://127.0.0.1:1/${id}.m3u8` });
}

/** Any valid channel will do: these tests are about persistence, not about what a channel holds. */
const channelState = (id: string): ChannelState => ({
  ...defaultChannelSettings(),
  id,
  arn: `arn:aws:ivs:us-west-2:000000000000:channel/${id}`,
  name: id,
  tags: {},
  createdAt: '2026-01-01T00:00:00Z',
});

describe('ChannelStore', () => {
  it('persists a commit before returning, and a refused change writes nothing', () => {
    const store = open();
    expect(store.isFresh).toBe(true);
    store.commit((draft) => {
      draft.channels.push(channelState('chanAAAAAAAA'));
      draft.streamKeys.push({ id: 'k1', arn: 'arn:k1', value: 'sk_us-west-2_secretsecret_x', channelArn: channelState('chanAAAAAAAA').arn, tags: {}, createdAt: 'x' });
    });
    const file = path.join(store.bucketFolder('x'), '..', '..', 'state.json');
    const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as { channels: ChannelState[] };
    expect(onDisk.channels.map((c) => c.id)).toEqual(['chanAAAAAAAA']);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600); // it holds stream keys
    expect(redact('key sk_us-west-2_secretsecret_x')).toBe('key [redacted]');

    const before = fs.readFileSync(file, 'utf8');
    expect(() =>
      store.commit((draft) => {
        draft.channels.push(channelState('chanBBBBBBBB'));
        throw new Error('refused');
      }),
    ).toThrow('refused');
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(store.resources.channels.map((c) => c.id)).toEqual(['chanAAAAAAAA']);

    const reopened = open(path.dirname(file));
    expect(reopened.isFresh).toBe(false);
    expect(reopened.resources).toEqual(store.resources);
    expect(reopened.channelForStreamKey('sk_us-west-2_secretsecret_x')).toMatchObject({ id: 'chanAAAAAAAA', playbackUrl: 'http://127.0.0.1:1/chanAAAAAAAA.m3u8' });
    expect(reopened.channelById('chanAAAAAAAA')?.arn).toBe(channelState('chanAAAAAAAA').arn);
    expect(reopened.channelForStreamKey('sk_unknown')).toBeUndefined();
  });

  it.each([
    ['torn JSON', '{"version":1,"chan', /not valid JSON/],
    ['a wrong shape', '{"version":1,"channels":"nope","streamKeys":[],"playbackKeyPairs":[],"recordingConfigurations":[]}', /channels/],
    ['a future version', '{"version":2,"channels":[],"streamKeys":[],"playbackKeyPairs":[],"recordingConfigurations":[]}', /version/],
  ])('a state file with %s is moved aside untouched and reported', (_label, content, problem) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-store-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'state.json'), content);
    const store = open(dir);
    expect(store.problems).toHaveLength(1);
    expect(store.problems[0]!.problem).toMatch(problem);
    expect(fs.readFileSync(store.problems[0]!.movedTo, 'utf8')).toBe(content);
    expect(store.isFresh).toBe(true);
    expect(store.resources.channels).toEqual([]);
  });

  it('records sessions through SessionLog, bounded, and ignores unknown channels and streams', () => {
    const store = open();
    const channel = channelState('chanCCCCCCCC');
    store.commit((draft) => void draft.channels.push(channel));
    store.sessionStarted('arn:aws:ivs:us-west-2:000000000000:channel/unknown', 'st-x', '2026-01-01T00:00:00Z');
    store.sessionEvent('st-unknown', { name: 'Stream Start', type: 'IVS Stream State Change', eventTime: 'x' });
    expect(store.sessions).toEqual([]);

    store.sessionStarted(channel.arn, 'st-1', '2026-01-01T00:00:00Z');
    store.sessionStarted(channel.arn, 'st-1', '2026-01-01T00:00:00Z'); // duplicate start: ignored
    for (let i = 0; i < MAX_EVENTS_PER_SESSION + 3; i++) {
      store.sessionEvent('st-1', { name: 'Starvation Start', type: 'IVS Stream Health Change', eventTime: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`, code: String(i) });
    }
    store.sessionEnded('st-1', '2026-01-01T01:00:00Z');
    const [session] = store.sessions;
    expect(store.sessions).toHaveLength(1);
    expect(session!.events).toHaveLength(MAX_EVENTS_PER_SESSION);
    expect(session!.events[0]!.code).toBe('3'); // the oldest were dropped
    expect(session!.endTime).toBe('2026-01-01T01:00:00Z');
    expect(session!.channel.arn).toBe(channel.arn);
    expect(open(path.join(store.bucketFolder('x'), '..', '..')).sessions).toEqual(store.sessions);
  });
});

describe('local credentials', () => {
  it('are generated once, kept 0600, reused, and registered as secrets', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-creds-'));
    dirs.push(dir);
    const first = loadOrCreateCredentials(dir);
    const file = path.join(dir, 'credentials.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadOrCreateCredentials(dir).credentials).toEqual(first.credentials);
    expect(redact(`secret=${first.credentials.secretAccessKey}`)).toBe('secret=[redacted]');
    fs.chmodSync(file, 0o644);
    loadOrCreateCredentials(dir);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('a corrupt credentials file is kept aside and a new pair is made (reported)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'channel-creds-'));
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'credentials.json'), 'not json');
    const { credentials, problem } = loadOrCreateCredentials(dir);
    expect(problem?.problem).toMatch(/not valid JSON/);
    expect(fs.readFileSync(problem!.movedTo, 'utf8')).toBe('not json');
    expect(credentials.accessKeyId).toMatch(/^AKIA/);
  });
});
