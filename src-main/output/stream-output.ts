/**
 * The stream output: takes the encoded program as FLV tags and keeps it flowing to one RTMP(S) ingest
 * across disconnects, without ever making the encoder wait.
 *
 *   offline ─start()─► starting ─connected─► live ─ingest dropped─► reconnecting ─connected─► live
 *                         │ refused/unreachable     │ stop()           │ stop(), fatal, gave up
 *                         ▼                         ▼                  ▼
 *                      offline ◄──────────────── stopping ◄────────────┘
 *
 * One RtmpPublisherConnection per attempt, from an injected factory (rtmp/ implements it). While there
 * is no connection, tags go to a bounded whole-GOP buffer; a new connection gets the stream headers and
 * the buffered GOPs, starting at a keyframe, on a timeline that continues the last one. While connected,
 * a backed-up socket drops video up to the next keyframe (CongestionGate). Every video frame gets a
 * wall-clock SEI the moment it arrives from the encoder (sei-stamp.ts).
 */
import type { DroppedFrameCause, OutputStats, StreamState } from '../contract/domains/stream';
import type { StudioErrorPayload } from '../contract/errors';
import { DisposableBase, type Disposable } from '../core/disposable';
import { Emitter, type Event } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import { parseAvcDecoderConfigurationRecord } from '../media/avc';
import type { FlvTag } from '../media/flv';
import type { RtmpPublisherConnection, RtmpPublishTarget } from '../rtmp/types';
import { classifyTag, CongestionGate, defaultGopBufferLimits, emptyDropCounts, GopBuffer, StreamHeaders, TimestampRebaser, type GopBufferLimits, type TagKind } from './gop-buffer';
import { OutputStatsMeter } from './output-stats';
import { defaultReconnectSchedule, isRetryable, nextReconnectDelayMs, type ReconnectSchedule } from './reconnect-policy';
import { CaptureClock, flvVideoPresentationTime } from './capture-clock';
import { stampVideoTag } from './sei-stamp';

const log = createLogger('stream-output');

/** Where the encoded program comes from (the program pipeline). */
export interface ProgramTagSource {
  readonly onTag: Event<FlvTag>;
  /**
   * The latest onMetaData / sequence-header tags, for an output attached after the encoder started
   * (those tags are written once, at the beginning of ffmpeg's FLV).
   */
  headerTags?(): readonly FlvTag[];
  /**
   * The media tags since the last keyframe, each with the wall-clock time (ms) it left the encoder, so
   * an output attached mid-GOP starts at once instead of waiting up to a keyframe interval.
   */
  recentTags?(): ReadonlyArray<{ tag: FlvTag; at: number }>;
}

export type ConnectionFactory = (target: RtmpPublishTarget) => RtmpPublisherConnection;

export interface StreamOutputOptions {
  source: ProgramTagSource;
  target: RtmpPublishTarget;
  createConnection: ConnectionFactory;
  schedule?: ReconnectSchedule;
  bufferLimits?: GopBufferLimits;
  /** Socket backlog, in seconds of the program's own bitrate, above which video is dropped. */
  congestionSeconds?: number;
  /** SEI latency stamps: on every frame (default), keyframes only, or off. */
  stamps?: 'every-frame' | 'keyframes' | 'off';
  /**
   * Wall-clock time of a frame for its stamp. Default: its capture time, estimated from the media
   * time and when frames leave the encoder (capture-clock.ts); 'output' stamps the moment it arrives.
   */
  stampClock?: ((tag: FlvTag) => number) | 'capture' | 'output';
  statsIntervalMs?: number;
  /**
   * Connect timeout of reconnect attempts (default 4 s, unless the target sets one): an attempt hanging
   * on a black-holed address must not keep a returning ingest waiting much past the 3 s target.
   */
  reconnectConnectTimeoutMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface StreamOutputSnapshot {
  state: StreamState;
  stateSince: number;
  liveSince?: number;
  reconnect?: { attempt: number; droppedAt: number; nextAttemptAt?: number; lastError?: StudioErrorPayload };
  lastError?: StudioErrorPayload;
}

/** Below this the threshold would trip on ordinary keyframe bursts. */
const MIN_CONGESTION_BYTES = 256 * 1024;

export class StreamOutput extends DisposableBase {
  private stateValue: StreamState = 'offline';
  private stateSince: number;
  private liveSince: number | undefined;
  private lastError: StudioErrorPayload | undefined;

  private connection: RtmpPublisherConnection | undefined;
  private connectionSubscription: Disposable | undefined;
  /** The attempt in flight, so stop() can abandon it. */
  private pending: RtmpPublisherConnection | undefined;
  private sourceSubscription: Disposable | undefined;
  private statsTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;

  private readonly headers = new StreamHeaders();
  private buffer: GopBuffer;
  private readonly rebaser = new TimestampRebaser();
  private readonly gate = new CongestionGate(MIN_CONGESTION_BYTES);
  private readonly meter = new OutputStatsMeter();
  private readonly dropped = emptyDropCounts();
  private framesSent = 0;
  /** After (re)connecting: nothing goes out until a keyframe, which the headers precede. */
  private needKeyframe = true;
  private nalLengthSize = 4;
  private readonly captureClock = new CaptureClock();

  private dropAt: number | undefined;
  private attempt = 0;
  private nextAttemptAt: number | undefined;
  private reconnectError: StudioErrorPayload | undefined;

  private inputBytes = 0;
  private inputRateBytesPerSec = 0;
  private lastRateAt: number;

  private readonly stateEmitter = this.register(new Emitter<StreamOutputSnapshot>());
  private readonly statsEmitter = this.register(new Emitter<OutputStats>());
  readonly onStateChange = this.stateEmitter.event;
  readonly onStats = this.statsEmitter.event;

  private readonly now: () => number;

  constructor(private readonly options: StreamOutputOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.stateSince = this.now();
    this.lastRateAt = this.stateSince;
    this.buffer = new GopBuffer(options.bufferLimits ?? defaultGopBufferLimits);
    this.register({ dispose: () => this.stop() });
  }

  get state(): StreamState {
    return this.stateValue;
  }

  snapshot(): StreamOutputSnapshot {
    const snap: StreamOutputSnapshot = { state: this.stateValue, stateSince: this.stateSince };
    if (this.liveSince !== undefined) snap.liveSince = this.liveSince;
    if (this.lastError) snap.lastError = this.lastError;
    if (this.stateValue === 'reconnecting' && this.dropAt !== undefined) {
      snap.reconnect = { attempt: this.attempt, droppedAt: this.dropAt };
      if (this.nextAttemptAt !== undefined) snap.reconnect.nextAttemptAt = this.nextAttemptAt;
      if (this.reconnectError) snap.reconnect.lastError = this.reconnectError;
    }
    return snap;
  }

  /**
   * Connects and starts publishing. Resolves once live; rejects with the connection's error (refused
   * key, unreachable ingest, TLS, busy channel) and returns to offline, so the user can act on it.
   */
  async start(): Promise<void> {
    if (this.stateValue !== 'offline') throw new StudioError('ALREADY_LIVE', { message: `The stream output is already ${this.stateValue}.` });
    this.lastError = undefined;
    this.setState('starting');
    // Listen first: what the encoder produces while we connect is buffered, so the stream starts
    // at the first keyframe that arrives rather than at the first one after the handshake.
    for (const tag of this.options.source.headerTags?.() ?? []) this.noteHeader(tag);
    for (const { tag, at } of this.options.source.recentTags?.() ?? []) this.onTag(tag, at);
    this.sourceSubscription = this.options.source.onTag((tag) => this.onTag(tag));
    this.statsTimer = setInterval(() => this.emitStats(), this.options.statsIntervalMs ?? 1000);
    const connection = this.options.createConnection(this.options.target);
    this.pending = connection;
    try {
      await connection.connect();
    } catch (error) {
      if (this.pending !== connection) {
        // stop() abandoned this attempt and has already put everything away.
        throw new StudioError('NOT_LIVE', { message: 'The stream was stopped before it went live.' });
      }
      this.pending = undefined;
      const studioError = asStudioError(error);
      this.lastError = studioError.toPayload();
      await closeQuietly(connection);
      this.teardown();
      this.setState('offline');
      throw studioError;
    }
    this.pending = undefined;
    // (The cast undoes TypeScript's narrowing: stop() may have run while we awaited.)
    if ((this.stateValue as StreamState) !== 'starting') {
      // stop() ran while we were connecting.
      await closeQuietly(connection);
      return;
    }
    this.attach(connection);
    this.meter.wentLive(this.now());
    this.liveSince = this.now();
    this.setState('live');
    this.flushBuffer();
  }

  /** Skips the wait before the next reconnect attempt. Returns false when not reconnecting. */
  reconnectNow(): boolean {
    if (this.stateValue !== 'reconnecting') return false;
    if (this.pending) return true; // an attempt is already in flight
    this.clearRetryTimer();
    void this.attemptReconnect();
    return true;
  }

  /** Clean stop: FCUnpublish + deleteStream and an orderly socket close, then offline. Idempotent. */
  async stop(): Promise<void> {
    if (this.stateValue === 'offline' || this.stateValue === 'stopping') return;
    const wasReconnecting = this.stateValue === 'reconnecting';
    this.setState('stopping');
    this.sourceSubscription?.dispose();
    this.sourceSubscription = undefined;
    this.clearRetryTimer();
    if (wasReconnecting) this.meter.reconnectAbandoned();
    const connection = this.connection;
    this.detach();
    const pending = this.pending;
    this.pending = undefined;
    if (pending) await closeQuietly(pending);
    if (connection) {
      try {
        await connection.close();
      } catch (error) {
        log.warn('the ingest connection did not close cleanly', error);
      }
      this.meter.connectionEnded(connection.stats());
    }
    this.emitStats();
    this.teardown();
    this.setState('offline');
  }

  /* ------------------------------------------------------------------ tags */

  /** `arrivedAt`: when the tag left the encoder (now, except for the recent tags replayed at start). */
  private onTag(tag: FlvTag, arrivedAt = this.now()): void {
    this.inputBytes += tag.data.length;
    const kind = classifyTag(tag);
    if (this.noteHeader(tag, kind)) {
      // A header changing mid-stream goes out in order, like ffmpeg's own RTMP muxer does.
      if (this.connection && !this.needKeyframe) this.send({ ...tag, timestamp: this.rebaser.lastTimestamp });
      return;
    }
    // Frames before the stream's very first keyframe were never part of it: not "dropped".
    const started = this.framesSent > 0 || this.buffer.gopCount > 0 || kind === 'keyframe';
    if (!started) return;
    const stamped = this.stamp(tag, kind, arrivedAt);
    if (!this.connection) {
      this.buffer.push(stamped, kind);
      return;
    }
    if (this.needKeyframe) {
      if (kind !== 'keyframe') {
        if (kind === 'video') this.dropped.disconnected++;
        return;
      }
      this.startRun(stamped);
      return;
    }
    if (!this.gate.admit(kind, this.connection.stats().bufferedBytes)) {
      this.dropped.congestion++;
      this.rebaser.markGap();
      return;
    }
    this.sendMedia(stamped, kind);
  }

  private noteHeader(tag: FlvTag, kind: TagKind = classifyTag(tag)): boolean {
    if (!this.headers.note(tag, kind)) return false;
    if (kind === 'video-header') {
      try {
        this.nalLengthSize = parseAvcDecoderConfigurationRecord(tag.data.subarray(5)).nalLengthSize;
      } catch {
        // Not AVC or malformed: stamps are skipped below (stampVideoTag leaves such tags alone).
      }
    }
    return true;
  }

  private stamp(tag: FlvTag, kind: TagKind, arrivedAt: number): FlvTag {
    const mode = this.options.stamps ?? 'every-frame';
    if (mode === 'off' || (kind !== 'keyframe' && (kind !== 'video' || mode === 'keyframes'))) return tag;
    try {
      const clock = this.options.stampClock ?? 'capture';
      const at =
        clock === 'capture'
          ? this.captureClock.captureTime(arrivedAt, flvVideoPresentationTime(tag.timestamp, tag.data))
          : clock === 'output'
            ? arrivedAt
            : Math.round(clock(tag));
      return { ...tag, data: stampVideoTag(tag.data, at, this.nalLengthSize) };
    } catch (error) {
      // A frame whose NAL lengths do not add up goes out as it came; the stamp is what is lost.
      log.debug('could not stamp a video frame', error);
      return tag;
    }
  }

  /** Starts a run of sent tags at a keyframe: headers first, on the continued timeline. */
  private startRun(keyframe: FlvTag): void {
    this.needKeyframe = false;
    this.gate.reset();
    this.rebaser.markGap();
    this.rebaser.resumeAt(keyframe.timestamp);
    const at = this.rebaser.map(keyframe, 'keyframe');
    for (const header of this.headers.tags(at)) this.send(header);
    this.send({ ...keyframe, timestamp: at });
    this.framesSent++;
  }

  private sendMedia(tag: FlvTag, kind: TagKind): void {
    this.send({ ...tag, timestamp: this.rebaser.map(tag, kind) });
    if (kind === 'keyframe' || kind === 'video') this.framesSent++;
  }

  private send(tag: FlvTag): void {
    this.connection?.send(tag);
  }

  /** A fresh connection: replay the buffered GOPs (which start with a keyframe), or wait for one. */
  private flushBuffer(): void {
    const tags = this.buffer.drain();
    this.needKeyframe = true;
    const first = tags[0];
    if (!first) return;
    this.startRun(first);
    for (const tag of tags.slice(1)) this.sendMedia(tag, classifyTag(tag));
  }

  /* ------------------------------------------------------------------ connection lifecycle */

  private attach(connection: RtmpPublisherConnection): void {
    this.connection = connection;
    this.connectionSubscription = connection.onDisconnect((error) => this.onDisconnect(connection, error));
  }

  private detach(): void {
    this.connectionSubscription?.dispose();
    this.connectionSubscription = undefined;
    this.connection = undefined;
  }

  private onDisconnect(connection: RtmpPublisherConnection, error: StudioError): void {
    if (connection !== this.connection || this.stateValue !== 'live') return;
    log.warn(`ingest connection lost (${error.code}): ${error.message}`);
    this.meter.connectionEnded(connection.stats());
    this.detach();
    void closeQuietly(connection);
    this.buffer.clear();
    this.dropAt = this.now();
    this.attempt = 0;
    this.reconnectError = error.toPayload();
    this.meter.reconnectStarted(this.dropAt);
    this.setState('reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const sinceDropMs = this.now() - (this.dropAt ?? this.now());
    const schedule = this.options.schedule ?? defaultReconnectSchedule;
    const delay = nextReconnectDelayMs({ attempt: this.attempt, sinceDropMs }, schedule, this.options.random);
    if (delay === undefined) {
      void this.fail(new StudioError('INGEST_DISCONNECTED', { message: `Gave up reconnecting to the ingest after ${Math.round(sinceDropMs / 1000)} s.` }));
      return;
    }
    this.nextAttemptAt = this.now() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.attemptReconnect();
    }, delay);
    this.stateEmitter.fire(this.snapshot());
  }

  private async attemptReconnect(): Promise<void> {
    if (this.stateValue !== 'reconnecting' || this.pending) return;
    this.nextAttemptAt = undefined;
    this.attempt++;
    const target = this.options.target;
    const connection = this.options.createConnection({ ...target, connectTimeoutMs: target.connectTimeoutMs ?? this.options.reconnectConnectTimeoutMs ?? 4000 });
    this.pending = connection;
    this.stateEmitter.fire(this.snapshot());
    try {
      await connection.connect();
    } catch (error) {
      if (this.pending !== connection) return; // stop() abandoned this attempt
      this.pending = undefined;
      await closeQuietly(connection);
      const studioError = asStudioError(error);
      this.reconnectError = studioError.toPayload();
      const schedule = this.options.schedule ?? defaultReconnectSchedule;
      const progress = { attempt: this.attempt, sinceDropMs: this.now() - (this.dropAt ?? this.now()) };
      log.info(`reconnect attempt ${this.attempt} failed (${studioError.code})`);
      if (!isRetryable(studioError.code, progress, schedule)) {
        await this.fail(studioError);
        return;
      }
      if (this.stateValue === 'reconnecting') this.scheduleReconnect();
      return;
    }
    if (this.pending !== connection || this.stateValue !== 'reconnecting') {
      await closeQuietly(connection);
      return;
    }
    this.pending = undefined;
    this.attach(connection);
    const duration = this.meter.reconnectSucceeded(this.now());
    log.info(`reconnected after ${duration} ms and ${this.attempt} attempt(s)`);
    this.dropAt = undefined;
    this.reconnectError = undefined;
    this.setState('live');
    this.flushBuffer();
  }

  /** Ends the stream because of an error the user must act on. */
  private async fail(error: StudioError): Promise<void> {
    log.error(`stream ended: ${error.message}`);
    this.lastError = error.toPayload();
    this.meter.reconnectAbandoned();
    this.clearRetryTimer();
    const connection = this.connection;
    this.detach();
    if (connection) await closeQuietly(connection);
    this.emitStats();
    this.teardown();
    this.setState('offline');
  }

  /* ------------------------------------------------------------------ bookkeeping */

  private teardown(): void {
    this.sourceSubscription?.dispose();
    this.sourceSubscription = undefined;
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
    this.clearRetryTimer();
    this.buffer.clear();
    this.needKeyframe = true;
    this.dropAt = undefined;
    this.nextAttemptAt = undefined;
  }

  private clearRetryTimer(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.nextAttemptAt = undefined;
  }

  private setState(state: StreamState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.stateSince = this.now();
    this.stateEmitter.fire(this.snapshot());
  }

  private congestionThresholdBytes(): number {
    const seconds = this.options.congestionSeconds ?? 2;
    return Math.max(MIN_CONGESTION_BYTES, Math.round(this.inputRateBytesPerSec * seconds));
  }

  /** Current figures (also emitted every second while the output runs). */
  stats(): OutputStats {
    const now = this.now();
    if (now - this.lastRateAt >= 500) {
      this.inputRateBytesPerSec = (this.inputBytes * 1000) / (now - this.lastRateAt);
      this.inputBytes = 0;
      this.lastRateAt = now;
      this.gate.setThreshold(this.congestionThresholdBytes());
    }
    const dropped: Record<DroppedFrameCause, number> = {
      disconnected: this.dropped.disconnected + this.buffer.dropped.disconnected,
      'buffer-full': this.buffer.dropped['buffer-full'],
      congestion: this.dropped.congestion,
    };
    return this.meter.sample(now, {
      state: this.stateValue,
      connection: this.connection?.stats(),
      dropped,
      framesSent: this.framesSent,
      buffered: { bytes: this.buffer.bufferedBytes, durationMs: this.buffer.durationMs },
      congestionThresholdBytes: this.congestionThresholdBytes(),
      reconnectAttempt: this.attempt,
    });
  }

  private emitStats(): void {
    this.statsEmitter.fire(this.stats());
  }
}

function asStudioError(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  return new StudioError('INGEST_UNREACHABLE', { message: 'Could not connect to the ingest.', details: error instanceof Error ? error.message : String(error), cause: error });
}

async function closeQuietly(connection: RtmpPublisherConnection): Promise<void> {
  try {
    await connection.close();
  } catch {
    // Already gone; closing is best effort here.
  }
}
