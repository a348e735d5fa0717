/**
 * The local channel's live side: RTMP(S) ingest → stream checks → packager, reported to the control
 * plane as IVS would (implements LiveControl; writes sessions and events through SessionLog).
 *
 *   publish /app/<key> ─► ChannelDirectory.channelForStreamKey ─► refuse (unknown key, busy, RTMP on an
 *   RTMPS-only channel) or accept: new stream id, "Session Created", packager stream (MediaSink)
 *   tags ─► StreamAnalyzer (codecs, limits, ingest configuration) ─► packager
 *   silence ─► STARVING after `starvingAfterMs` ─► session ends after `idleTimeoutMs` (IVS: 30 s)
 *   end (unpublish, drop, StopStream, breach, failure) ─► "Stream End", "Session Ended", sessionEnded
 *
 * One timer ticks for all streams; dispose() stops the ingest and ends every session cleanly.
 */
import { randomInt } from 'node:crypto';
import { createLogger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import type { FlvTag } from '../../media/flv';
import type { PublishDecision } from '../../rtmp/server-session';
import { IngestServer, type IngestEndReason, type IngestPublisher } from '../ingest/ingest-server';
import { StreamAnalyzer, type StreamFailure } from '../ingest/stream-analyzer';
import type { ChannelDirectory, ChannelRecord, LiveControl, LiveStreamStatus, MediaSink, SessionLog, StreamEvent, StreamHealth } from '../runtime';

const log = createLogger('live');

/** The packager side, as the live runtime needs it (PlaybackService satisfies it). */
export interface LivePlayback {
  startStream(channel: ChannelRecord, streamId: string, hooks?: { onEvent?: (event: StreamEvent) => void; onWarning?: (message: string) => void }): MediaSink;
  viewerCount(channelArn: string): number;
}

export interface LiveRuntimeOptions {
  directory: ChannelDirectory;
  sessions: SessionLog;
  playback: LivePlayback;
  /** RTMPS needs it; without it only RTMP listens. */
  tls?: { key: string; cert: string };
  host?: string;
  rtmpPort?: number;
  rtmpsPort?: number;
  /** Health turns STARVING after this long without data. Default 4 s. */
  starvingAfterMs?: number;
  /** The session ends after this long without data (IVS: 30 s). */
  idleTimeoutMs?: number;
  /** IVS disconnects after 48 hours. */
  maxSessionMs?: number;
  bitrateWindowMs?: number;
  bitrateTolerance?: number;
  /** Refuse plain RTMP on channels with insecureIngest false, as IVS does. Default true. */
  enforceInsecureIngest?: boolean;
  now?: () => number;
}

/** Why a live stream ended, as our code on the "Session Ended" event (none for a clean unpublish). */
type EndCause = { code?: string; description: string };

interface LiveStream {
  channel: ChannelRecord;
  streamId: string;
  startTime: string;
  startedAt: number;
  publisher: IngestPublisher;
  sink: MediaSink;
  analyzer: StreamAnalyzer;
  health: StreamHealth;
  lastDataAt: number;
  /** Set when we decided to end it (StopStream, failure, timeout): the cause recorded at the end. */
  endCause?: EndCause;
  failed: boolean;
  ended: boolean;
  whenEnded: Promise<void>;
  markEnded(): void;
}

const STREAM_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `st-` + 23 alphanumerics: 26 characters, IVS's streamId pattern. */
export function newStreamId(): string {
  let id = 'st-';
  for (let i = 0; i < 23; i++) id += STREAM_ID_ALPHABET[randomInt(STREAM_ID_ALPHABET.length)];
  return id;
}

export class LiveRuntime implements LiveControl {
  readonly ingest: IngestServer;
  private readonly live = new Map<string, LiveStream>();
  private readonly now: () => number;
  private readonly starvingAfterMs: number;
  private readonly idleTimeoutMs: number;
  private readonly maxSessionMs: number;
  private ticker: NodeJS.Timeout | undefined;
  private stopping = false;

  constructor(private readonly options: LiveRuntimeOptions) {
    this.now = options.now ?? Date.now;
    this.starvingAfterMs = options.starvingAfterMs ?? 4000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
    this.maxSessionMs = options.maxSessionMs ?? 48 * 3600 * 1000;
    this.ingest = new IngestServer({
      host: options.host,
      rtmpPort: options.rtmpPort,
      rtmpsPort: options.rtmpsPort,
      tls: options.tls,
      handler: { publish: (publisher) => this.onPublish(publisher) },
    });
  }

  async start(): Promise<void> {
    await this.ingest.start();
    const tick = Math.max(50, Math.min(1000, Math.floor(Math.min(this.starvingAfterMs, this.idleTimeoutMs) / 4)));
    this.ticker = setInterval(() => this.checkHealth(), tick);
  }

  // ------------------------------------------------------------------------------------------
  // LiveControl

  liveStream(channelArn: string): LiveStreamStatus | undefined {
    const stream = this.live.get(channelArn);
    return stream ? this.status(stream) : undefined;
  }

  liveStreams(): LiveStreamStatus[] {
    return [...this.live.values()].map((s) => this.status(s));
  }

  async stopStream(channelArn: string): Promise<void> {
    const stream = this.live.get(channelArn);
    if (!stream) return;
    this.end(stream, { code: 'StreamStopped', description: 'The stream was stopped with StopStream.' });
    await stream.whenEnded;
  }

  putMetadata(channelArn: string, metadata: string): void {
    const stream = this.live.get(channelArn);
    if (!stream || stream.ended) return;
    stream.sink.insertMetadata(metadata);
  }

  private status(stream: LiveStream): LiveStreamStatus {
    let viewerCount = 0;
    try {
      viewerCount = this.options.playback.viewerCount(stream.channel.arn);
    } catch (error) {
      log.warn('viewer count unavailable', error);
      viewerCount = -1; // IVS's "request timed out" value
    }
    return { channelArn: stream.channel.arn, streamId: stream.streamId, startTime: stream.startTime, health: stream.health, viewerCount };
  }

  // ------------------------------------------------------------------------------------------
  // Ingest

  private onPublish(publisher: IngestPublisher): PublishDecision {
    if (this.stopping) return { accept: false, code: 'NetStream.Publish.Failed', description: 'The local channel is shutting down.' };
    const key = publisher.request.streamName;
    const channel = this.options.directory.channelForStreamKey(key);
    if (!channel) {
      // Unknown key: refuse and create nothing. The name is never logged (it may be a mistyped real key).
      log.info(`refused a publish from ${publisher.remoteAddress}: unknown stream key`);
      return { accept: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key.' };
    }
    registerSecret(key);
    if (!publisher.secure && !channel.insecureIngest && this.options.enforceInsecureIngest !== false) {
      log.info(`refused plain RTMP for channel ${channel.id} (insecureIngest is false)`);
      return { accept: false, code: 'NetStream.Publish.Denied', description: 'This channel accepts RTMPS only (insecureIngest is false); publish to the rtmps:// ingest.' };
    }
    if (this.live.has(channel.arn)) {
      log.info(`refused a second publisher for channel ${channel.id}`);
      return { accept: false, code: 'NetStream.Publish.BadName', description: 'Another encoder is already publishing on this channel.' };
    }

    const streamId = newStreamId();
    const startedAt = this.now();
    const startTime = new Date(startedAt).toISOString();
    let markEnded!: () => void;
    const whenEnded = new Promise<void>((resolve) => (markEnded = resolve));
    const sessions = this.options.sessions;
    sessions.sessionStarted(channel.arn, streamId, startTime);
    this.event(streamId, 'Session Created', 'IVS Stream State Change');

    let sink: MediaSink;
    try {
      sink = this.options.playback.startStream(channel, streamId, {
        onEvent: (event) => this.safely(() => sessions.sessionEvent(streamId, event)),
      });
    } catch (error) {
      log.error(`could not start packaging ${channel.id}/${streamId}`, error);
      this.event(streamId, 'Stream Failure', 'IVS Stream State Change', 'PackagerUnavailable');
      this.event(streamId, 'Session Ended', 'IVS Stream State Change', 'PackagerUnavailable');
      sessions.sessionEnded(streamId, new Date(this.now()).toISOString());
      return { accept: false, code: 'NetStream.Publish.Failed', description: 'The server could not start the stream.' };
    }

    const stream: LiveStream = {
      channel,
      streamId,
      startTime,
      startedAt,
      publisher,
      sink,
      analyzer: new StreamAnalyzer({ channelType: channel.type, bitrateWindowMs: this.options.bitrateWindowMs, bitrateTolerance: this.options.bitrateTolerance }),
      health: 'HEALTHY',
      lastDataAt: startedAt,
      failed: false,
      ended: false,
      whenEnded,
      markEnded,
    };
    this.live.set(channel.arn, stream);
    publisher.onTag((tag) => this.onTag(stream, tag));
    publisher.onEnd((reason) => this.finish(stream, reason));
    log.info(`${channel.id}: live as ${streamId} over ${publisher.secure ? 'RTMPS' : 'RTMP'} from ${publisher.remoteAddress}`);
    return { accept: true };
  }

  private onTag(stream: LiveStream, tag: FlvTag): void {
    if (stream.ended || stream.failed) return;
    stream.lastDataAt = this.now();
    if (stream.health === 'STARVING') {
      stream.health = 'HEALTHY';
      this.event(stream.streamId, 'Starvation End', 'IVS Stream Health Change');
    }
    const verdict = stream.analyzer.push(tag);
    if (!verdict.ok) return this.fail(stream, verdict.failure);
    if (verdict.configurationChanged) {
      const configuration = stream.analyzer.configuration();
      if (configuration) this.safely(() => this.options.sessions.sessionIngestConfiguration(stream.streamId, configuration));
    }
    try {
      stream.sink.pushTag(tag);
    } catch (error) {
      // The packager drops what it cannot use; an exception here is a bug, not the encoder's fault.
      log.error(`${stream.channel.id}/${stream.streamId}: the packager threw on a ${tag.type} tag`, error);
    }
  }

  private fail(stream: LiveStream, failure: StreamFailure): void {
    stream.failed = true;
    log.warn(`${stream.channel.id}/${stream.streamId}: ending the session — ${failure.description}`);
    if (failure.kind === 'limit') this.event(stream.streamId, 'Limit Breach', 'IVS Limit Breach', failure.code);
    else this.event(stream.streamId, 'Stream Failure', 'IVS Stream State Change', failure.code);
    // Record what the encoder sent, even though it was refused.
    const configuration = stream.analyzer.configuration();
    if (configuration) this.safely(() => this.options.sessions.sessionIngestConfiguration(stream.streamId, configuration));
    this.end(stream, { code: failure.code, description: failure.description });
  }

  /** Ends a stream from our side: tells the encoder why and disconnects it; finish() follows. */
  private end(stream: LiveStream, cause: EndCause): void {
    if (stream.ended) return;
    stream.endCause ??= cause;
    stream.publisher.disconnect(cause.description);
  }

  private finish(stream: LiveStream, reason: IngestEndReason): void {
    if (stream.ended) return;
    stream.ended = true;
    if (this.live.get(stream.channel.arn) === stream) this.live.delete(stream.channel.arn);
    let cause = stream.endCause;
    if (!cause) {
      if (reason.kind === 'protocol-error') {
        cause = { code: 'InvalidStreamData', description: reason.detail };
        this.event(stream.streamId, 'Stream Failure', 'IVS Stream State Change', 'InvalidStreamData');
      } else if (reason.kind === 'disconnected') {
        cause = { code: 'EncoderDisconnected', description: `the encoder's connection dropped${reason.detail ? ` (${reason.detail})` : ''}` };
      } else if (reason.kind === 'server') {
        cause = { code: 'ServerShutdown', description: reason.detail };
      } else {
        cause = { description: 'the encoder unpublished' };
      }
    }
    this.safely(() => stream.sink.end());
    this.event(stream.streamId, 'Session Ended', 'IVS Stream State Change', cause.code);
    this.safely(() => this.options.sessions.sessionEnded(stream.streamId, new Date(this.now()).toISOString()));
    log.info(`${stream.channel.id}: session ${stream.streamId} ended: ${cause.description}`);
    stream.markEnded();
  }

  private checkHealth(): void {
    const now = this.now();
    for (const stream of this.live.values()) {
      if (stream.ended) continue;
      const silentFor = now - stream.lastDataAt;
      if (silentFor >= this.idleTimeoutMs) {
        this.end(stream, { code: 'IdleTimeout', description: `No data was received for ${Math.round(silentFor / 1000)} s.` });
      } else if (silentFor >= this.starvingAfterMs && stream.health === 'HEALTHY') {
        stream.health = 'STARVING';
        this.event(stream.streamId, 'Starvation Start', 'IVS Stream Health Change');
      }
      if (now - stream.startedAt >= this.maxSessionMs) {
        this.end(stream, { code: 'MaxDurationReached', description: 'The stream reached the 48-hour limit.' });
      }
    }
  }

  private event(streamId: string, name: StreamEvent['name'], type: StreamEvent['type'], code?: string): void {
    const event: StreamEvent = { name, type, eventTime: new Date(this.now()).toISOString() };
    if (code) event.code = code;
    this.safely(() => this.options.sessions.sessionEvent(streamId, event));
  }

  /** The control plane's persistence must not take the media path down (disk full, …). */
  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      log.error('the control plane failed to record a live event', error);
    }
  }

  /** Stops the ingest; every live session ends (Stream End, Session Ended) before this resolves. */
  async dispose(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = undefined;
    const ending = [...this.live.values()];
    for (const stream of ending) stream.endCause ??= { code: 'ServerShutdown', description: 'The local channel is shutting down.' };
    await this.ingest.stop();
    // Sockets close asynchronously; each close ends its session. Bounded, and leaves no timer behind.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(ending.map((s) => s.whenEnded)), new Promise((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
  }
}
