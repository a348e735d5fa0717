/**
 * CuesService over an in-memory channel that answers like IVS (5 PutMetadata per sliding second,
 * 404 ChannelNotBroadcasting when offline) so the lifecycle logic is tested exactly; the real local
 * channel and SDK are exercised in test/integration/cues-live.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SlidingWindowLimiter } from '../channel/api/rate-limiter';
import type { ChannelSummary } from '../contract/domains/accounts';
import type { CueBoard, CueFire } from '../contract/domains/cues';
import type { StreamSnapshot } from '../contract/domains/stream';
import { StudioError } from '../core/studio-error';
import { CuesService } from './cues-service';
import type { CueIvs } from './cue-target';
import { defaultBoard } from './default-board';

const ARN = 'arn:aws:ivs:us-west-2:000000000000:channel/default1';

class FakeChannel implements CueIvs {
  live = true;
  readonly metadata: { text: string; at: number }[] = [];
  getStreamCalls = 0;
  private readonly limiter = new SlidingWindowLimiter(5, 1000, () => Date.now());
  async putMetadata(channelArn: string, text: string) {
    if (channelArn !== ARN) throw new StudioError('IVS_NOT_FOUND');
    if (!this.limiter.tryAcquire(channelArn)) throw new StudioError('THROTTLED');
    if (!this.live) throw new StudioError('NOT_LIVE', { message: `${channelArn} is not live.` });
    this.metadata.push({ text, at: Date.now() });
  }
  async getStream() {
    this.getStreamCalls++;
    return this.live ? { state: 'LIVE' } : undefined;
  }
  async getChannel() {
    return { name: 'default', playbackUrl: 'http://127.0.0.1:1/playback.m3u8' };
  }
  async listChannels() {
    return [{ arn: ARN, name: 'default' } as ChannelSummary];
  }
}

let channel: FakeChannel;
let service: CuesService;
let fires: CueFire[];
let dataDir: string | undefined;

function makeService(options: { dataDir?: string; stream?: StreamSnapshot } = {}) {
  const s = new CuesService({
    dataDir: options.dataDir,
    channels: { stream: () => options.stream, selected: () => undefined, ivsFor: async () => channel },
    livenessPollMs: 0,
    retry: { random: () => 0.5 },
  });
  s.onFireUpdated((f) => fires.push(f));
  return s;
}

async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(StudioError);
  return error as StudioError;
}

beforeEach(() => {
  vi.useFakeTimers({ now: Date.parse('2026-11-29T10:00:00Z') });
  channel = new FakeChannel();
  fires = [];
  service = makeService();
});

afterEach(async () => {
  await service.dispose();
  vi.useRealTimers();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('firing', () => {
  it('refuses while disarmed, saying how to arm', async () => {
    const error = await rejection(service.fire({ cueId: 'poll' }, 'button'));
    expect(error.code).toBe('CUES_DISARMED');
    expect(error.message).toBe('The cue board is disarmed: "Poll: favourite" was not sent.');
    expect(channel.metadata).toEqual([]);
  });

  it('refuses when the channel is not live, naming it and why', async () => {
    service.setArmed(true);
    channel.live = false;
    const error = await rejection(service.fire({ cueId: 'poll' }, 'button'));
    expect(error.code).toBe('NOT_LIVE');
    expect(error.message).toMatch(/"Poll: favourite" was not sent: Local channel · default is not live, and IVS only accepts timed metadata during a live stream/);
    expect(error.action).toMatch(/Go live first/);
    expect(service.getLog()).toEqual([]);
  });

  it('queued → accepted → seen with the measured delivery; fid in the payload', async () => {
    service.setArmed(true);
    const fire = await service.fire({ cueId: 'poll' }, 'button');
    expect(fire.status).toBe('queued');
    expect(JSON.parse(fire.payload)).toMatchObject({ type: 'poll', fid: fire.fid });
    await vi.advanceTimersByTimeAsync(50);
    expect(fires.at(-1)).toMatchObject({ fid: fire.fid, status: 'accepted', attempts: 1 });
    expect(channel.metadata.map((m) => m.text)).toEqual([fire.payload]);

    const result = service.reportSeen({ text: fire.payload, shownAt: Date.now() + 1_234, player: 'test player' });
    expect(result).toMatchObject({ matched: true, fid: fire.fid });
    expect(fires.at(-1)).toMatchObject({ status: 'seen', seenBy: 'test player' });
    expect(fires.at(-1)!.deliveryMs).toBeGreaterThanOrEqual(1_234);
    expect(service.getState().latest.poll).toMatchObject({ fid: fire.fid, status: 'seen' });
    expect(service.reportSeen({ text: fire.payload, shownAt: Date.now() })).toMatchObject({ matched: true, duplicate: true });
  });

  it('flags a cue no player reported within the timeout, and still takes a late sighting', async () => {
    service.setArmed(true);
    service.updateSettings({ seenTimeoutSeconds: 5 });
    const fire = await service.fire({ cueId: 'note' }, 'hotkey');
    await vi.advanceTimersByTimeAsync(5_100);
    expect(fires.at(-1)).toMatchObject({ fid: fire.fid, status: 'unseen' });
    expect(service.reportSeen({ text: fire.payload, shownAt: Date.now() })).toMatchObject({ matched: true, fid: fire.fid });
    expect(fires.at(-1)).toMatchObject({ status: 'seen', via: 'hotkey' });
  });

  it('a burst of 20 goes out in order within 5/s, nothing throttled or failed, the log in order', async () => {
    service.setArmed(true);
    const pressed = await Promise.all(Array.from({ length: 20 }, (_, i) => service.fire({ cueId: 'note', values: {} }, i % 2 ? 'button' : 'hotkey')));
    await vi.advanceTimersByTimeAsync(6_000);
    const log = service.getLog();
    expect(log.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(log.map((f) => f.fid)).toEqual(pressed.map((f) => f.fid));
    expect(log.every((f) => f.status === 'accepted' && f.throttled === 0 && !f.error)).toBe(true);
    expect(channel.metadata.map((m) => m.text)).toEqual(log.map((f) => f.payload));
    for (const m of channel.metadata) expect(channel.metadata.filter((o) => o.at >= m.at && o.at < m.at + 1000).length).toBeLessThanOrEqual(5);
    // {{counter}} counted every fire.
    expect(log[19]!.payload).toMatch(/^note 20 at /);
    expect(channel.getStreamCalls).toBeLessThanOrEqual(3);
  });

  it('refuses a payload that typed values push over 1 KB, saying by how much', async () => {
    const board = defaultBoard();
    service.saveBoard(board);
    service.setArmed(true);
    const error = await rejection(service.fire({ cueId: 'product', values: { price: 'x'.repeat(1000) } }, 'button'));
    expect(error.code).toBe('METADATA_TOO_LARGE');
    expect(error.message).toMatch(/"Product card" was not sent: with these values its payload is 1,1\d\d bytes, \d+ bytes over IVS's 1,024-byte limit/);
  });

  it('a fire that fails because the stream ended says so and marks the target offline', async () => {
    service.setArmed(true);
    await service.fire({ cueId: 'chapter' }, 'button');
    await vi.advanceTimersByTimeAsync(50);
    channel.live = false;
    // Within the liveness cache: the fire is queued, then IVS answers 404.
    await service.fire({ cueId: 'chapter' }, 'button');
    await vi.advanceTimersByTimeAsync(50);
    expect(fires.at(-1)).toMatchObject({ status: 'failed', error: { code: 'NOT_LIVE' } });
    await vi.advanceTimersByTimeAsync(50);
    expect(service.getState().target).toMatchObject({ channelArn: ARN, live: false });
  });
});

describe('late joiners', () => {
  it('re-sends the open poll at the interval, within the budget, until cleared', async () => {
    service.setArmed(true);
    const poll = await service.fire({ cueId: 'poll' }, 'button');
    await vi.advanceTimersByTimeAsync(50);
    expect(service.getState().lateJoinerState).toMatchObject([{ kind: 'poll', fid: poll.fid, resends: 0 }]);
    await vi.advanceTimersByTimeAsync(11_000);
    const resent = channel.metadata.filter((m) => m.text === poll.payload);
    expect(resent.length).toBe(3); // the fire + 2 re-sends (every 5 s)
    expect(service.getLog()).toHaveLength(1); // re-sends are not fires
    await service.fire({ cueId: 'clear' }, 'button');
    await vi.advanceTimersByTimeAsync(20_000);
    expect(service.getState().lateJoinerState).toEqual([]);
    expect(channel.metadata.filter((m) => m.text === poll.payload).length).toBe(3);
    expect(vi.getTimerCount()).toBe(0); // nothing left ticking
  });
});

describe('boards', () => {
  const custom = (): CueBoard => ({
    id: 'b2',
    name: 'Second',
    show: 'My show',
    pages: [{ id: 'p', name: 'P', columns: 3, cues: [{ id: 'x1', name: 'X', color: '#000000', template: { kind: 'text', text: 'x' }, variables: [], burst: 'queue', lateJoiners: false }] }],
  });

  it('several boards; a cue id may not repeat across boards', () => {
    service.saveBoard(custom());
    expect(service.getState().boards.map((b) => b.id)).toEqual(['show', 'b2']);
    const clash = custom();
    clash.id = 'b3';
    expect(() => service.saveBoard(clash)).toThrow(/same id as cue "X" on board "Second"/);
  });

  it('refuses a 1,025-byte cue before saving, and keeps the old board', () => {
    const board = custom();
    service.saveBoard(board);
    board.pages[0]!.cues[0]!.template = { kind: 'text', text: 'y'.repeat(1025) };
    expect(() => service.saveBoard(board)).toThrow(/1,025 bytes, 1 byte over IVS's 1,024-byte limit/);
    expect(service.getState().boards.find((b) => b.id === 'b2')!.pages[0]!.cues[0]!.template).toEqual({ kind: 'text', text: 'x' });
  });

  it('export → import makes a copy with fresh ids beside the original', () => {
    const exported = service.exportBoard('show');
    expect(exported.filename).toBe('cue-board-show.json');
    const imported = service.importBoard(exported.content);
    expect(imported.id).toBe('show-2');
    expect(imported.name).toBe('Show (imported)');
    expect(imported.pages[0]!.cues.map((c) => c.id)).toEqual(['poll-2', 'product-2', 'quiz-2', 'chapter-2', 'countdown-2', 'clear-2', 'note-2']);
    expect(service.getState().boards).toHaveLength(2);
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['another format', '{"format":"obs-scene","board":{}}', /"obs-scene" document, not a cue board/],
    ['a board without pages', '{"id":"a","name":"A","show":"","pages":[]}', /at least one page/],
  ])('import refuses %s', (_name, text, message) => {
    expect(() => service.importBoard(text)).toThrow(message);
  });

  it('boards, settings and counters persist in the data dir', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cues-service-'));
    await service.dispose();
    service = makeService({ dataDir });
    service.saveBoard(custom());
    service.updateSettings({ stateResendSeconds: 9 });
    service.setArmed(true);
    await service.fire({ cueId: 'note' }, 'button');
    await vi.advanceTimersByTimeAsync(50);
    await service.dispose();
    service = makeService({ dataDir });
    const state = service.getState();
    expect(state.boards.map((b) => b.id)).toEqual(['show', 'b2']);
    expect(state.settings.stateResendSeconds).toBe(9);
    expect(state.armed).toBe(false); // a restart never comes back armed
    expect(service.getLog()).toHaveLength(1);
    expect(service.previewPayload(state.boards[0]!.pages[0]!.cues.find((c) => c.id === 'note')!).payload).toMatch(/^note 2 at /);
  });
});
