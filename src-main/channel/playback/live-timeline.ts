/**
 * The published state of one live stream: a sliding window of segments, each made of parts, plus the
 * waiters behind blocking playlist reloads and preload-hinted part requests. The packager appends; the
 * HTTP side reads and waits. Everything a player can see is here.
 */
import { Emitter } from '../../core/emitter';

export interface PublishedPart {
  msn: number;
  index: number;
  /** Seconds. */
  duration: number;
  independent: boolean;
  data: Buffer;
}

export interface PublishedSegment {
  msn: number;
  parts: PublishedPart[];
  complete: boolean;
  /** Seconds; the sum of its parts. */
  duration: number;
  /** Wall-clock time of the segment's first frame (epoch ms). */
  programDateTime: number;
  /** The init segment version its fMP4 parts need (EXT-X-MAP); 0 for TS. */
  initVersion: number;
  /** A timing or configuration break before this segment. */
  discontinuity: boolean;
  /** Cached whole-segment bytes once complete. */
  bytes?: Buffer;
}

export type TimelineChange = { kind: 'part'; part: PublishedPart } | { kind: 'segment'; segment: PublishedSegment } | { kind: 'end' };

export interface Position {
  msn: number;
  part: number;
}

interface Waiter {
  ready: () => boolean;
  resolve: (ready: boolean) => void;
  timer: NodeJS.Timeout;
}

export class LiveTimeline {
  readonly segments: PublishedSegment[] = [];
  ended = false;
  /** Bumped on every published change: lets readers cache what they render from the timeline. */
  version = 0;
  /** Discontinuities that slid out of the window (EXT-X-DISCONTINUITY-SEQUENCE). */
  discontinuitySequence = 0;
  private readonly inits = new Map<number, Buffer>();
  private waiters = new Set<Waiter>();
  private readonly changes = new Emitter<TimelineChange>();
  readonly onChange = this.changes.event;
  /** Bytes and seconds of media published, for the multivariant BANDWIDTH. */
  private publishedBytes = 0;
  private publishedSeconds = 0;
  private peakSegmentBitsPerSecond = 0;

  constructor(
    readonly extension: 'ts' | 'm4s',
    private readonly windowSegments: number,
  ) {}

  setInit(version: number, init: Buffer): void {
    this.inits.set(version, init);
  }

  init(version: number): Buffer | undefined {
    return this.inits.get(version);
  }

  get openSegment(): PublishedSegment | undefined {
    const last = this.segments.at(-1);
    return last && !last.complete ? last : undefined;
  }

  startSegment(msn: number, programDateTime: number, initVersion: number, discontinuity: boolean): PublishedSegment {
    const segment: PublishedSegment = { msn, parts: [], complete: false, duration: 0, programDateTime, initVersion, discontinuity };
    this.segments.push(segment);
    this.version++;
    return segment;
  }

  addPart(part: PublishedPart): void {
    const segment = this.openSegment;
    if (!segment || segment.msn !== part.msn) throw new Error(`part ${part.msn}.${part.index} has no open segment`);
    segment.parts.push(part);
    segment.duration += part.duration;
    this.publishedBytes += part.data.length;
    this.publishedSeconds += part.duration;
    this.version++;
    this.changes.fire({ kind: 'part', part });
    this.wake();
  }

  completeSegment(): void {
    const segment = this.openSegment;
    if (!segment) return;
    segment.complete = true;
    this.version++;
    if (segment.parts.length === 0) {
      this.segments.pop();
      return;
    }
    const bytes = segment.parts.reduce((n, p) => n + p.data.length, 0);
    if (segment.duration > 0) this.peakSegmentBitsPerSecond = Math.max(this.peakSegmentBitsPerSecond, (bytes * 8) / segment.duration);
    this.changes.fire({ kind: 'segment', segment });
    this.prune();
    this.wake();
  }

  end(): void {
    if (this.ended) return;
    this.completeSegment();
    this.ended = true;
    this.version++;
    this.changes.fire({ kind: 'end' });
    this.wake();
  }

  private prune(): void {
    const complete = this.segments.filter((s) => s.complete).length;
    let excess = complete - this.windowSegments;
    while (excess-- > 0 && this.segments[0]?.complete) {
      if (this.segments.shift()!.discontinuity) this.discontinuitySequence++;
    }
    const versions = new Set(this.segments.map((s) => s.initVersion));
    for (const version of [...this.inits.keys()]) if (!versions.has(version) && version < Math.max(...versions)) this.inits.delete(version);
  }

  /** The newest published part, or undefined before the first part. */
  latest(): Position | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const segment = this.segments[i]!;
      if (segment.parts.length > 0) return { msn: segment.msn, part: segment.parts.length - 1 };
    }
    return undefined;
  }

  segment(msn: number): PublishedSegment | undefined {
    return this.segments.find((s) => s.msn === msn);
  }

  part(msn: number, index: number): PublishedPart | undefined {
    return this.segment(msn)?.parts[index];
  }

  segmentBytes(segment: PublishedSegment): Buffer {
    if (!segment.complete) throw new Error('segment is not complete');
    segment.bytes ??= Buffer.concat(segment.parts.map((p) => p.data));
    return segment.bytes;
  }

  /**
   * Whether a blocking reload for (msn, part) can be answered. hls.js asks for `_HLS_part` one past the
   * last part of a segment (it cannot know the segment is over): that is satisfied by any later segment,
   * so "latest position is past msn, or in msn at or beyond part" covers it.
   * Without a part, the segment msn must be complete.
   */
  hasReached(msn: number, part: number | undefined): boolean {
    if (this.ended) return true;
    const latest = this.latest();
    if (!latest) return false;
    if (part === undefined) {
      const segment = this.segment(msn);
      return latest.msn > msn || (segment?.complete ?? false);
    }
    return latest.msn > msn || (latest.msn === msn && latest.part >= part);
  }

  /** Resolves true when `ready()` holds (checked on every change), false on timeout or disposal. */
  waitUntil(ready: () => boolean, timeoutMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        ready,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          resolve(false);
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  get waiterCount(): number {
    return this.waiters.size;
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) {
      if (this.ended || waiter.ready()) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(waiter.ready());
      }
    }
  }

  /** Average bitrate so far and the peak per-segment bitrate, in bits per second. */
  bitrates(): { average: number; peak: number } {
    const average = this.publishedSeconds > 0 ? (this.publishedBytes * 8) / this.publishedSeconds : 0;
    return { average, peak: Math.max(this.peakSegmentBitsPerSecond, average) };
  }

  /** Releases every waiter (they resolve with their current readiness). */
  dispose(): void {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(waiter.ready());
    }
    this.waiters.clear();
    this.changes.dispose();
  }
}
