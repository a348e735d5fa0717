/**
 * Records one live stream into IVS's S3 layout (see recording-layout.ts) from the packager's timeline:
 * each completed segment is written as it closes (the same bytes viewers got, so timed metadata is
 * kept), the rendition playlist is rewritten as an EVENT playlist while live, and when the stream ends
 * it becomes a VOD playlist (`#EXT-X-ENDLIST`) and `events/recording-ended.json` is written.
 *
 * Writes are queued and run one at a time off the media path; `whenDone()` resolves when the last
 * file is on disk. A write failure ends recording with a 'Recording End Failure'-style event (reported
 * through onEvent) but never disturbs live playback.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { Disposable } from '../../core/disposable';
import type { Logger } from '../../core/logger';
import type { LiveTimeline, PublishedSegment, TimelineChange } from '../playback/live-timeline';
import type { StreamDescription } from '../playback/ll-hls-packager';
import { renderMediaPlaylist } from '../playback/playlists';
import { newRecordingId, recordingEndedJson, recordingPrefix, recordingStartedJson, renditionName, type RenditionInfo } from './recording-layout';

export type RecordingEventName = 'Recording Start' | 'Recording End' | 'Recording Start Failure' | 'Recording End Failure';

export interface RecordingWriterOptions {
  /** The recording configuration's destination folder (its "bucket"). */
  folder: string;
  accountId: string;
  channelId: string;
  channelArn: string;
  timeline: LiveTimeline;
  describe: () => StreamDescription | undefined;
  now: () => number;
  log: Logger;
  onEvent?: (name: RecordingEventName, detail: { prefix: string; reason?: string }) => void;
}

export class RecordingWriter implements Disposable {
  readonly recordingId = newRecordingId();
  readonly prefix: string;
  readonly root: string;
  private readonly startedAt: Date;
  private rendition?: RenditionInfo;
  private readonly segments: PublishedSegment[] = [];
  private readonly writtenInits = new Set<number>();
  private queue: Promise<void> = Promise.resolve();
  private failed = false;
  private finished = false;
  private readonly subscription: Disposable;

  constructor(private readonly options: RecordingWriterOptions) {
    this.startedAt = new Date(options.now());
    this.prefix = recordingPrefix(options.accountId, options.channelId, this.startedAt, this.recordingId);
    this.root = path.join(options.folder, ...this.prefix.split('/'));
    this.subscription = options.timeline.onChange((change) => this.onChange(change));
  }

  /** Resolves once every queued write has finished (after the stream ended: the recording is complete). */
  whenDone(): Promise<void> {
    return this.queue;
  }

  dispose(): Promise<void> {
    this.subscription.dispose();
    return this.queue;
  }

  private enqueue(step: () => Promise<void>): void {
    this.queue = this.queue.then(async () => {
      if (this.failed) return;
      try {
        await step();
      } catch (error) {
        this.failed = true;
        const reason = error instanceof Error ? error.message : String(error);
        this.options.log.error(`recording ${this.prefix} failed`, error);
        this.options.onEvent?.(this.rendition ? 'Recording End Failure' : 'Recording Start Failure', { prefix: this.prefix, reason });
      }
    });
  }

  private onChange(change: TimelineChange): void {
    if (this.finished) return;
    if (change.kind === 'segment') {
      const segment = { ...change.segment, parts: [], bytes: undefined };
      const bytes = this.options.timeline.segmentBytes(change.segment);
      const init = this.options.timeline.init(segment.initVersion);
      this.segments.push(segment);
      this.enqueue(async () => {
        await this.ensureStarted();
        const dir = path.join(this.root, 'media', 'hls', this.rendition!.path);
        if (init && !this.writtenInits.has(segment.initVersion)) {
          await fs.writeFile(path.join(dir, `init${segment.initVersion}.mp4`), init);
          this.writtenInits.add(segment.initVersion);
        }
        await fs.writeFile(path.join(dir, this.segmentName(segment.msn)), bytes);
        await this.writePlaylist('EVENT');
      });
    } else if (change.kind === 'end') {
      this.finished = true;
      this.subscription.dispose();
      this.enqueue(async () => {
        if (!this.rendition) return; // nothing was ever recorded
        await this.writePlaylist('VOD');
        const endedAt = new Date(this.options.now());
        const durationMs = this.segments.reduce((sum, s) => sum + s.duration * 1000, 0);
        await writeAtomic(path.join(this.root, 'events', 'recording-ended.json'), JSON.stringify(recordingEndedJson({ channelArn: this.options.channelArn, startedAt: this.startedAt, endedAt, durationMs, renditions: [this.rendition] }), null, 2));
        this.options.onEvent?.('Recording End', { prefix: this.prefix });
      });
    }
  }

  private segmentName(msn: number): string {
    return `${msn}.${this.options.timeline.extension}`;
  }

  private async ensureStarted(): Promise<void> {
    if (this.rendition) return;
    const description = this.options.describe();
    const height = description?.height ?? 0;
    this.rendition = { path: renditionName(height, description?.frameRate), playlist: 'playlist.m3u8', resolutionWidth: description?.width ?? 0, resolutionHeight: height };
    await fs.mkdir(path.join(this.root, 'media', 'hls', this.rendition.path), { recursive: true });
    await fs.mkdir(path.join(this.root, 'events'), { recursive: true });
    const codecs = [description?.videoCodec, description?.audioCodec].filter(Boolean).join(',');
    const { peak } = this.options.timeline.bitrates();
    const master = [
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-INDEPENDENT-SEGMENTS',
      `#EXT-X-STREAM-INF:BANDWIDTH=${Math.max(1, Math.round(peak * 1.1))},CODECS="${codecs}",RESOLUTION=${this.rendition.resolutionWidth}x${height}${description?.frameRate ? `,FRAME-RATE=${description.frameRate.toFixed(3)}` : ''}`,
      `${this.rendition.path}/${this.rendition.playlist}`,
      '',
    ].join('\n');
    await writeAtomic(path.join(this.root, 'media', 'hls', 'master.m3u8'), master);
    await writeAtomic(path.join(this.root, 'events', 'recording-started.json'), JSON.stringify(recordingStartedJson({ channelArn: this.options.channelArn, startedAt: this.startedAt, renditions: [this.rendition] }), null, 2));
    this.options.onEvent?.('Recording Start', { prefix: this.prefix });
  }

  private async writePlaylist(type: 'EVENT' | 'VOD'): Promise<void> {
    const body = renderMediaPlaylist({
      segments: this.segments,
      extension: this.options.timeline.extension,
      partTargetSec: 0,
      minTargetDurationSec: 1,
      ended: type === 'VOD',
      recording: { playlistType: type, segmentUri: (msn) => this.segmentName(msn), initUri: (version) => `init${version}.mp4` },
    });
    await writeAtomic(path.join(this.root, 'media', 'hls', this.rendition!.path, this.rendition!.playlist), body);
  }
}

async function writeAtomic(file: string, data: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await fs.writeFile(temp, data);
  await fs.rename(temp, file);
}
