/**
 * Records the program to a file that survives a crash: a second ffmpeg copies the program's encoded
 * FLV (fed through stdin from the first keyframe, see recording-gate.ts) into fragmented MP4 — a
 * `moof`+`mdat` per keyframe interval after an empty `moov`, so a file cut off anywhere plays up to its
 * last whole fragment — or Matroska. No re-encoding: the recording is exactly what is streamed.
 * Started and stopped independently of the stream; ends cleanly on stop (stdin closed → trailer).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecordingFormat } from '../contract/domains/program';
import type { Disposable } from '../core/disposable';
import type { Event } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import type { FlvTag } from '../media/flv';
import { FfmpegChild, type FfmpegExit } from '../program/ffmpeg-child';
import { RecordingGate } from './recording-gate';

const log = createLogger('recorder');

export interface RecordTagSource {
  readonly onTag: Event<FlvTag>;
  headerTags(): readonly FlvTag[];
}

/** The recorder's command line. Pure. */
export function buildRecorderArgs(file: string, format: RecordingFormat): string[] {
  const container =
    format === 'mp4'
      ? // empty_moov: the header is complete before any media; frag_keyframe: a fragment per GOP;
        // default_base_moof: self-contained fragments (what players and ffprobe expect of fMP4).
        ['-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof']
      : ['-f', 'matroska'];
  return ['-hide_banner', '-loglevel', 'level+warning', '-nostdin', '-f', 'flv', '-i', 'pipe:0', '-map', '0', '-c', 'copy', ...container, '-n', file];
}

export function recordingFormatFor(file: string, format?: RecordingFormat): RecordingFormat {
  if (format) return format;
  return /\.mkv$/i.test(file) ? 'mkv' : 'mp4';
}

export interface RecorderOptions {
  ffmpegPath: string;
  file: string;
  format: RecordingFormat;
  source: RecordTagSource;
}

export class Recorder implements Disposable {
  private readonly child: FfmpegChild;
  private readonly gate: RecordingGate;
  private readonly subscription: Disposable;
  private bytesFed = 0;
  private stopping: Promise<FfmpegExit> | undefined;
  readonly startedAt = new Date();

  private constructor(readonly options: RecorderOptions) {
    this.gate = new RecordingGate(() => options.source.headerTags());
    this.child = new FfmpegChild({
      ffmpegPath: options.ffmpegPath,
      args: buildRecorderArgs(options.file, options.format),
      name: 'recorder',
      stdin: 'pipe',
      stdout: 'ignore',
      progress: false,
    });
    this.subscription = options.source.onTag((tag) => this.feed(tag));
  }

  /** Refuses an existing file or a folder that cannot be written before anything is spawned. */
  static start(options: RecorderOptions): Recorder {
    const folder = path.dirname(options.file);
    try {
      fs.mkdirSync(folder, { recursive: true });
      fs.accessSync(folder, fs.constants.W_OK);
    } catch (error) {
      throw new StudioError('BAD_REQUEST', { message: `Cannot record into ${folder}: ${(error as Error).message}`, cause: error });
    }
    if (fs.existsSync(options.file)) throw new StudioError('BAD_REQUEST', { message: `${options.file} already exists; recordings never overwrite a file.` });
    log.info(`recording to ${options.file} (${options.format})`);
    return new Recorder(options);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get onExit(): Event<FfmpegExit> {
    return this.child.onExit;
  }

  get hasStarted(): boolean {
    return this.gate.started;
  }

  /** Bytes on disk so far (what a crash would keep, give or take the last fragment). */
  bytesOnDisk(): number {
    try {
      return fs.statSync(this.options.file).size;
    } catch {
      return 0;
    }
  }

  get bytesWritten(): number {
    return this.bytesFed;
  }

  private feed(tag: FlvTag): void {
    if (this.stopping || this.child.hasExited) return;
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) return;
    for (const chunk of this.gate.push(tag)) {
      this.bytesFed += chunk.length;
      // No backpressure wait: a copy-muxer to a local file keeps up; a stalled disk shows as growing memory, logged.
      if (!stdin.write(chunk) && stdin.writableLength > 64 * 1024 * 1024) log.warn('the recording cannot keep up with the program (disk too slow?)');
    }
  }

  /** Ends the input, lets ffmpeg finish the file, kills it if it hangs. */
  stop(): Promise<FfmpegExit> {
    if (!this.stopping) {
      this.subscription.dispose();
      this.child.markStopRequested();
      this.stopping = new Promise<FfmpegExit>((resolve) => {
        const stdin = this.child.stdin;
        if (stdin && !stdin.destroyed) stdin.end();
        const timer = setTimeout(() => this.child.signal('SIGKILL'), 10_000);
        void this.child.exited.then((exit) => {
          clearTimeout(timer);
          resolve(exit);
        });
      });
    }
    return this.stopping;
  }

  async dispose(): Promise<void> {
    await this.stop();
    await this.child.dispose();
  }
}
