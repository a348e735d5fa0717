/**
 * The accounts/channels domain through the engine's API router — what the renderer and a remote
 * tablet reach: argument validation, rights, events, and that no reply or event carries a key
 * unless the user asked to reveal it. Real engine, real local channel, real keychain.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountsState, ChannelSummary, EventChannel, Reply, SelectedTarget } from '../../src-main/contract/studio-api';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import type { CallContext } from '../../src-main/engine/api-router';
import { StudioEngine } from '../../src-main/engine/studio-engine';

const full: CallContext = { rights: 'full', transport: 'ws' };
const remote: CallContext = { rights: 'cues', transport: 'ws' };

let dataDir: string;
let channel: LocalChannel;
let engine: StudioEngine;
const events: { event: EventChannel; payload: unknown }[] = [];

async function call<T>(channelName: string, args: unknown[], ctx: CallContext = full): Promise<Reply<T>> {
  return (await engine.router.dispatch(ctx, channelName, args)) as Reply<T>;
}

async function value<T>(channelName: string, ...args: unknown[]): Promise<T> {
  const reply = await call<T>(channelName, args);
  if (!reply.ok) throw new Error(`${channelName} failed: ${reply.error.code} ${reply.error.message}`);
  return reply.value;
}

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through test/run-all.sh: these tests need the Secret Service it starts.');
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ivs-api-'));
  channel = await startLocalChannel({ dataDir: path.join(dataDir, 'channel'), port: 0 });
  engine = new StudioEngine({ dataDir: path.join(dataDir, 'studio'), mode: 'browser', version: 'test' });
  engine.router.onEvent((event, payload) => events.push({ event, payload }));
  engine.attachLocalChannel(() => ({ apiEndpoint: channel.apiEndpoint, region: channel.region, credentials: channel.credentials }));
  await engine.accounts.start();
});

afterAll(async () => {
  await engine?.dispose();
  await channel?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('accounts and channels over the studio API', () => {
  it('serves every channel of the domain', () => {
    expect(engine.unhandledChannels().filter((c) => c.startsWith('accounts:') || c.startsWith('channels:'))).toEqual([]);
  });

  it('lists, selects (key masked in the reply and the event), reveals on request only', async () => {
    const state = await value<AccountsState>('accounts:get-state');
    expect(state.accounts[0]?.id).toBe('local');
    const channels = await value<ChannelSummary[]>('channels:list', 'local');
    const first = channels[0]!;
    events.length = 0;
    const selected = await value<SelectedTarget>('channels:select', 'local', first.arn);
    const key = await value<string>('channels:reveal-key', 'local', first.arn);
    expect(key.length).toBeGreaterThan(10);
    expect(selected.streamKeyMasked).toBe(`••••••••${key.slice(-4)}`);
    const changed = events.filter((e) => e.event === 'accounts:state-changed');
    expect(changed.length).toBeGreaterThan(0);
    expect((changed.at(-1)!.payload as AccountsState).selected?.channelArn).toBe(first.arn);
    // No event and no reply but reveal-key carried the key.
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(selected)).not.toContain(key);
    expect(JSON.stringify(await value('accounts:get-state'))).not.toContain(key);
  });

  it('a remote producer (cue rights) can neither read accounts nor reveal a key', async () => {
    for (const [name, args] of [
      ['accounts:get-state', []],
      ['channels:reveal-key', ['local', 'arn:aws:ivs:us-west-2:000000000000:channel/abcdEFGH1234']],
      ['channels:stop-stream', ['local', 'arn:aws:ivs:us-west-2:000000000000:channel/abcdEFGH1234']],
    ] as const) {
      const reply = await call(name, [...args], remote);
      expect(reply.ok).toBe(false);
      if (!reply.ok) expect(reply.error.code).toBe('FORBIDDEN');
    }
  });

  it.each([
    ['channels:create', ['local', { name: 'has spaces' }], /name/],
    ['channels:create', ['local', { name: 'ok', type: 'PREMIUM' }], /type/],
    ['channels:delete', ['local', 'not-an-arn'], /not an IVS ARN/],
    ['accounts:add-aws', [{ label: 'x', region: 'us-east-1', auth: { type: 'password', password: 'p' } }], /auth/],
    ['channels:create-recording-configuration', ['local', { bucketName: 'Upper_Case' }], /S3 bucket names/],
    ['channels:preflight', [{ videoCodec: 'h264' }], /width/],
  ])('%s refuses malformed arguments with BAD_REQUEST naming the field', async (name, args, problem) => {
    const reply = await call(name, args);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('BAD_REQUEST');
      expect(reply.error.message).toMatch(problem);
    }
  });

  it('preflight through the API: the selected local channel, its key and its ingest', async () => {
    const report = await value<{ ok: boolean; checks: { id: string; ok: boolean; message: string }[] }>('channels:preflight', {
      videoCodec: 'libx264',
      width: 3840,
      height: 2160,
      fps: 30,
      videoBitrateKbps: 12_000,
      keyframeIntervalSec: 2,
      audioCodec: 'aac',
      audioBitrateKbps: 160,
    });
    expect(report.ok).toBe(false);
    const byId = Object.fromEntries(report.checks.map((c) => [c.id, c]));
    expect(byId.resolution?.ok).toBe(false);
    expect(byId.bitrate?.ok).toBe(false);
    expect(byId['stream-key']).toMatchObject({ ok: true });
    expect(byId.target?.message).toMatch(/STANDARD/);
  });
});
