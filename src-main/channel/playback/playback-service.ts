/**
 * The local channel's playback: packaging, low-latency HLS over HTTP, private-channel tokens, viewer
 * counting and recording. One service per local channel; one packager per live stream.
 *
 *   const playback = createPlaybackService({ directory });          // partTargetSec 0.2 by default
 *   localChannel.mountHttp(PLAYBACK_PATH_PREFIX, playback.handler); // GET/HEAD/OPTIONS /api/video/v1/…
 *   const sink = playback.startStream(channel, streamId, { onEvent }); // per publish
 *   sink.pushTag(tag) … sink.insertMetadata(text) … sink.end();     // MediaSink (runtime.ts)
 *   playback.viewerCount(channel.arn);                              // GetStream.viewerCount
 *   await playback.dispose();
 *
 * - `handler(req, res)` answers every request under `/api/video/v1/` (returns true) and returns false
 *   for any other path. It never throws.
 * - `startStream` replaces any previous stream of the channel (that one ends). Events it reports via
 *   `onEvent`: 'Stream Start' when the first part is playable, 'Stream End' when `end()` is called, and
 *   'Recording Start' / 'Recording End' when the channel has a recording configuration with a folder.
 *   Forward them to SessionLog.sessionEvent.
 * - `stream.describe()` gives resolution, frame rate and codec strings once the first keyframe is in.
 * - Ended streams stay readable (ENDLIST playlists) until the channel's next stream or `dispose()`.
 */
import type * as http from 'node:http';
import type { Disposable } from '../../core/disposable';
import { createLogger, type Logger } from '../../core/logger';
import type { FlvTag } from '../../media/flv';
import { RecordingWriter } from '../recording/recording-writer';
import type { ChannelDirectory, ChannelRecord, MediaSink, StreamEvent } from '../runtime';
import { LiveTimeline } from './live-timeline';
import { LlHlsPackager, type StreamDescription } from './ll-hls-packager';
import { handlePlaybackRequest, type PlaybackHttpContext, type PlaybackStreamView } from './playback-http';
import { verifyPlaybackToken } from './playback-token';
import { SESSION_ID_PATTERN, ViewerSessions } from './viewer-sessions';

export { PLAYBACK_PATH_PREFIX } from './playback-http';

export interface PlaybackServiceOptions {
  directory: ChannelDirectory;
  /** Wall clock, epoch ms (PROGRAM-DATE-TIME, token expiry, viewer window, recording paths). */
  now?: () => number;
  /** PART-TARGET in seconds (PART-HOLD-BACK is 3×). Default 0.2. */
  partTargetSec?: number;
  /** Segments close at the first keyframe after this many seconds. Default 1. */
  minSegmentSec?: number;
  /** Complete segments kept in the live playlist. Default 6. */
  windowSegments?: number;
  /** A session counts as a viewer while it made a request within this window. Default 30 s. */
  viewerWindowMs?: number;
  logger?: Logger;
}

export interface StreamHooks {
  onEvent?: (event: StreamEvent) => void;
  /** Parser warnings (a dropped tag); the ingest may turn repeated ones into a session event. */
  onWarning?: (message: string) => void;
}

export interface PlaybackStream extends MediaSink {
  readonly channel: ChannelRecord;
  readonly streamId: string;
  readonly timeline: LiveTimeline;
  describe(): StreamDescription | undefined;
  /** The recording in progress, if the channel records. */
  readonly recording?: RecordingWriter;
}

export interface PlaybackService extends Disposable {
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean>;
  startStream(channel: ChannelRecord, streamId: string, hooks?: StreamHooks): PlaybackStream;
  stream(channelArn: string): PlaybackStream | undefined;
  viewerCount(channelArn: string): number;
  dispose(): Promise<void>;
}

export function createPlaybackService(options: PlaybackServiceOptions): PlaybackService {
  const now = options.now ?? Date.now;
  const partTargetSec = options.partTargetSec ?? 0.2;
  const minSegmentSec = options.minSegmentSec ?? 1;
  const windowSegments = options.windowSegments ?? 6;
  const log = options.logger ?? createLogger('playback');
  const directory = options.directory;
  const sessions = new ViewerSessions(options.viewerWindowMs ?? 30_000, now);
  const streams = new Map<string, StreamEntry>();
  let disposed = false;

  interface StreamEntry {
    stream: PlaybackStream;
    view: PlaybackStreamView;
    packager: LlHlsPackager;
    subscription: Disposable;
  }

  const context: PlaybackHttpContext = {
    log,
    partTargetSec,
    minTargetDurationSec: 1,
    accountId: directory.accountId,
    region: directory.region,
    firstPartWaitMs: 5_000,
    channel: (id) => directory.channelById(id),
    stream: (arn) => streams.get(arn)?.view,
    authorize(channel, token, origin) {
      if (!channel.authorized) return { ok: true };
      const check = verifyPlaybackToken({ token, channelArn: channel.arn, publicKeys: directory.playbackPublicKeys(), now: now(), origin });
      if (!check.ok) {
        log.info(`refused playback of private channel ${channel.id}: ${check.reason}`);
        return { ok: false, status: 403, code: 'invalid_playback_auth_token', message: check.message };
      }
      const allowed = check.claims['aws:access-control-allow-origin'];
      return { ok: true, strictOrigins: check.claims['aws:strict-origin-enforcement'] === true && typeof allowed === 'string' ? allowed : undefined };
    },
    openSession: (channel, strictOrigins) => sessions.mint(channel.arn, channel.authorized, strictOrigins),
    resumeSession(channel, sessionId) {
      if (!SESSION_ID_PATTERN.test(sessionId)) return undefined;
      const session = sessions.touch(sessionId, channel.arn);
      if (session) return channel.authorized && !session.authorized ? undefined : session;
      return channel.authorized ? undefined : sessions.adopt(sessionId, channel.arn);
    },
  };

  async function endEntry(entry: StreamEntry): Promise<void> {
    entry.stream.end();
    entry.subscription.dispose();
    await entry.stream.recording?.whenDone();
    entry.stream.timeline.dispose();
  }

  return {
    handler: (req, res) => {
      if (disposed) return Promise.resolve(false);
      return handlePlaybackRequest(context, req, res);
    },

    startStream(channel, streamId, hooks = {}) {
      if (disposed) throw new Error('the playback service is disposed');
      const previous = streams.get(channel.arn);
      if (previous) void endEntry(previous);
      const timeline = new LiveTimeline(channel.containerFormat === 'FRAGMENTED_MP4' ? 'm4s' : 'ts', windowSegments);
      const packager = new LlHlsPackager(timeline, {
        container: channel.containerFormat,
        partTargetSec,
        minSegmentSec,
        now,
        onWarning: (message) => {
          log.warn(`${channel.id}/${streamId}: ${message}`);
          hooks.onWarning?.(message);
        },
      });
      const emit = (name: StreamEvent['name'], type: StreamEvent['type'], code?: string) => {
        const event: StreamEvent = { name, type, eventTime: new Date(now()).toISOString() };
        if (code) event.code = code;
        try {
          hooks.onEvent?.(event);
        } catch (error) {
          log.error('a stream event listener threw', error);
        }
      };
      let started = false;
      const subscription = timeline.onChange((change) => {
        if (change.kind === 'part' && !started) {
          started = true;
          emit('Stream Start', 'IVS Stream State Change');
        }
      });

      let recording: RecordingWriter | undefined;
      const folder = channel.recordingConfigurationArn ? directory.recordingFolder(channel.recordingConfigurationArn) : undefined;
      if (folder) {
        recording = new RecordingWriter({
          folder,
          accountId: directory.accountId,
          channelId: channel.id,
          channelArn: channel.arn,
          timeline,
          describe: () => packager.describe(),
          now,
          log,
          onEvent: (name, detail) => {
            log.info(`${name}: ${detail.prefix}${detail.reason ? ` (${detail.reason})` : ''}`);
            if (name === 'Recording Start' || name === 'Recording End') emit(name, 'IVS Recording State Change');
            else emit('Recording End', 'IVS Recording State Change', name.replace(/ /g, ''));
          },
        });
      }

      let ended = false;
      const stream: PlaybackStream = {
        channel,
        streamId,
        timeline,
        recording,
        describe: () => packager.describe(),
        pushTag: (tag: FlvTag) => packager.pushTag(tag),
        insertMetadata: (text: string) => packager.insertMetadata(text),
        end: () => {
          if (ended) return;
          ended = true;
          packager.end();
          emit('Stream End', 'IVS Stream State Change');
        },
      };
      const view: PlaybackStreamView = {
        channel,
        streamId,
        timeline,
        variant: () => {
          const d = packager.describe();
          if (!d) return undefined;
          return { codecs: [d.videoCodec, ...(d.audioCodec ? [d.audioCodec] : [])], width: d.width, height: d.height, frameRate: d.frameRate };
        },
      };
      streams.set(channel.arn, { stream, view, packager, subscription });
      log.info(`packaging ${channel.id}/${streamId} as ${channel.containerFormat} with ${partTargetSec}s parts${folder ? ', recording' : ''}`);
      return stream;
    },

    stream: (arn) => streams.get(arn)?.stream,

    viewerCount: (arn) => sessions.count(arn),

    async dispose() {
      if (disposed) return;
      disposed = true;
      const entries = [...streams.values()];
      streams.clear();
      await Promise.all(entries.map(endEntry));
      sessions.clear();
    },
  };
}
