/** The stream slice around a small fake connection that answers stream:* from a script. */
import { describe, expect, it } from 'vitest';
import type { EventChannel, OutputStats, RequestChannel, StreamSnapshot, StudioEvents } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { FakeStudioConnection } from '../../../test/support/fake-studio-connection';
import { createStudioStore } from '../studio-store';

const offline: StreamSnapshot = { state: 'offline', stateSince: '2026-11-29T00:00:00.000Z' };

class StreamFake extends FakeStudioConnection {
  startReply: Reply<StreamSnapshot> = { ok: true, value: { ...offline, state: 'live' } };
  protected answer(channel: RequestChannel): Reply<unknown> | undefined {
    if (channel === 'stream:get-state') return { ok: true, value: offline as never };
    if (channel === 'stream:start') return this.startReply;
    return undefined;
  }
}

const stats = (bytesSent: number): OutputStats => ({
  at: '',
  state: 'live',
  uptimeMs: 1000,
  bitrateBps: 1,
  bytesSent,
  bytesAcked: 0,
  congestionBytes: 0,
  congestion: 0,
  framesSent: 1,
  droppedFrames: { disconnected: 0, 'buffer-full': 0, congestion: 0, total: 0 },
  buffered: { bytes: 0, durationMs: 0 },
  reconnects: { count: 0, durationsMs: [] },
});

describe('stream slice', () => {
  it('loads the snapshot, follows state and stats, and clears old stats when a new stream starts', async () => {
    const fake = new StreamFake();
    const store = createStudioStore(fake);
    await store.ready;
    expect(store.getState().stream?.state).toBe('offline');
    fake.emit('output:stats', stats(100));
    expect(store.getState().outputStats?.bytesSent).toBe(100);
    fake.emit('stream:state-changed', { ...offline, state: 'starting' });
    expect(store.getState().stream?.state).toBe('starting');
    expect(store.getState().outputStats).toBeUndefined();
  });

  it('sends the request as given and keeps a refusal next to the button', async () => {
    const fake = new StreamFake();
    const store = createStudioStore(fake);
    await store.ready;
    fake.startReply = { ok: false, error: { code: 'STREAM_KEY_REJECTED', message: 'The ingest rejected the stream key.', fatal: true } };
    expect(await store.getState().startStreaming({ target: { kind: 'local-channel' } })).toBe(false);
    expect(fake.requests.find(([c]) => c === 'stream:start')?.[1]).toEqual([{ target: { kind: 'local-channel' } }]);
    expect(store.getState().streamError?.code).toBe('STREAM_KEY_REJECTED');
    expect(store.getState().streamBusy).toBeUndefined();
    fake.startReply = { ok: true, value: { ...offline, state: 'live' } };
    expect(await store.getState().startStreaming({ target: { kind: 'selected' }, recordPath: '/tmp/x.mkv' })).toBe(true);
    expect(store.getState().streamError).toBeUndefined();
    expect(store.getState().stream?.state).toBe('live');
  });
});
