/**
 * The stream output's per-second figures, as OBS shows them: bitrate, bytes sent and acknowledged,
 * congestion, dropped frames by cause, reconnects with their durations. Pure bookkeeping: the output
 * reports events and connection counters, `sample(now)` turns them into one OutputStats.
 *
 * A connection's counters start from zero (one connection per attempt), so totals are kept across them.
 */
import type { OutputStats, StreamState } from '../contract/domains/stream';
import type { RtmpConnectionStats } from '../rtmp/types';
import { DROP_CAUSES, type DropCounts } from './gop-buffer';

const KEEP_DURATIONS = 20;

export interface OutputSampleInput {
  state: StreamState;
  /** The live connection's counters, if there is one. */
  connection?: RtmpConnectionStats;
  dropped: DropCounts;
  framesSent: number;
  buffered: { bytes: number; durationMs: number };
  /** Backlog at which the congestion gate starts dropping video. */
  congestionThresholdBytes: number;
  reconnectAttempt?: number;
}

export class OutputStatsMeter {
  private closedSent = 0;
  private closedAcked = 0;
  private lastSampleAt: number | undefined;
  private lastSampleSent = 0;
  private liveSince: number | undefined;
  private dropAt: number | undefined;
  private reconnectCount = 0;
  private readonly durations: number[] = [];

  /** The stream went live for the first time. */
  wentLive(now: number): void {
    this.liveSince ??= now;
  }

  /** A connection ended: fold its final counters into the totals. */
  connectionEnded(final: RtmpConnectionStats): void {
    this.closedSent += final.bytesSent;
    this.closedAcked += final.bytesAcked;
  }

  reconnectStarted(now: number): void {
    this.dropAt ??= now;
  }

  /** Back live after a drop: returns the reconnect's duration (drop to live). */
  reconnectSucceeded(now: number): number {
    const duration = this.dropAt === undefined ? 0 : now - this.dropAt;
    this.dropAt = undefined;
    this.reconnectCount++;
    this.durations.push(duration);
    if (this.durations.length > KEEP_DURATIONS) this.durations.shift();
    return duration;
  }

  /** The reconnect ended without getting back (stop, fatal error). */
  reconnectAbandoned(): void {
    this.dropAt = undefined;
  }

  sample(now: number, input: OutputSampleInput): OutputStats {
    const bytesSent = this.closedSent + (input.connection?.bytesSent ?? 0);
    const bytesAcked = this.closedAcked + (input.connection?.bytesAcked ?? 0);
    const elapsed = this.lastSampleAt === undefined ? 0 : now - this.lastSampleAt;
    const bitrateBps = elapsed > 0 ? Math.round(((bytesSent - this.lastSampleSent) * 8 * 1000) / elapsed) : 0;
    this.lastSampleAt = now;
    this.lastSampleSent = bytesSent;
    const congestionBytes = input.connection?.bufferedBytes ?? 0;
    const droppedFrames = { ...input.dropped, total: DROP_CAUSES.reduce((n, cause) => n + input.dropped[cause], 0) };
    const stats: OutputStats = {
      at: new Date(now).toISOString(),
      state: input.state,
      uptimeMs: this.liveSince === undefined ? 0 : now - this.liveSince,
      bitrateBps,
      bytesSent,
      bytesAcked,
      congestionBytes,
      congestion: input.congestionThresholdBytes > 0 ? Math.round((congestionBytes / input.congestionThresholdBytes) * 1000) / 1000 : 0,
      framesSent: input.framesSent,
      droppedFrames,
      buffered: { ...input.buffered },
      reconnects: { count: this.reconnectCount, durationsMs: [...this.durations] },
    };
    if (this.dropAt !== undefined) stats.reconnects.current = { attempt: input.reconnectAttempt ?? 0, sinceMs: now - this.dropAt };
    return stats;
  }
}
