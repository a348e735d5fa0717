/**
 * A live encoded program for output tests: ffmpeg encodes a real-time test pattern (with tone) and
 * writes FLV to its stdout, demuxed into tags as the program pipeline does. It also remembers the
 * header tags (for an output attached late) and every tag it produced (to compare with what arrived).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Emitter } from '../../src-main/core/emitter';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { FlvDemuxer, isAacSequenceHeader, isAvcSequenceHeader, type FlvTag } from '../../src-main/media/flv';
import type { ProgramTagSource } from '../../src-main/output/stream-output';

export interface LiveFlvOptions {
  size?: string;
  rate?: number;
  bitrate?: string;
  gopSeconds?: number;
  /** Stop after this many seconds; undefined runs until stop(). */
  seconds?: number;
  /** x264 preset (default ultrafast, to spare the shared cores in tests). */
  preset?: string;
}

export class LiveFlvSource implements ProgramTagSource {
  private readonly emitter = new Emitter<FlvTag>();
  readonly onTag = this.emitter.event;
  readonly produced: FlvTag[] = [];
  /** Wall-clock ms when each produced tag came out of ffmpeg (same index as `produced`). */
  readonly producedAt: number[] = [];
  private readonly headers: FlvTag[] = [];
  readonly process: ChildProcess;
  /** Wall-clock time (ms) when ffmpeg was spawned: pts 0 of the real-time source is close to this. */
  readonly spawnedAt = Date.now();
  readonly exited: Promise<number | string>;
  private stderr = '';

  constructor(options: LiveFlvOptions = {}) {
    const rate = options.rate ?? 30;
    const args = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-re',
      '-f', 'lavfi', '-i', `testsrc2=size=${options.size ?? '320x180'}:rate=${rate}`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'];
    if (options.seconds !== undefined) args.push('-t', String(options.seconds));
    const bitrate = options.bitrate ?? '600k';
    args.push('-c:v', 'libx264', '-preset', options.preset ?? 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
      '-g', String(Math.round(rate * (options.gopSeconds ?? 1))), '-x264-params', 'scenecut=0',
      '-b:v', bitrate, '-maxrate', bitrate, '-bufsize', bitrate,
      '-c:a', 'aac', '-b:a', '64k', '-ar', '48000', '-ac', '2', '-f', 'flv', 'pipe:1');
    this.process = spawn(findFfmpeg().path, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const demuxer = new FlvDemuxer();
    this.process.stdout!.on('data', (chunk: Buffer) => {
      for (const tag of demuxer.push(chunk)) {
        this.produced.push(tag);
        this.producedAt.push(Date.now());
        if (tag.type === 'script' || isAvcSequenceHeader(tag.data) || isAacSequenceHeader(tag.data)) this.headers.push(tag);
        this.emitter.fire(tag);
      }
    });
    this.process.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => this.process.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  }

  headerTags(): readonly FlvTag[] {
    return this.headers;
  }

  /** Tags since the last keyframe, with when they came out of ffmpeg (what the program keeps for late outputs). */
  recentTags(): ReadonlyArray<{ tag: FlvTag; at: number }> {
    const out: Array<{ tag: FlvTag; at: number }> = [];
    for (let i = this.produced.length - 1; i >= 0; i--) {
      const tag = this.produced[i]!;
      if (tag.type === 'script' || isAvcSequenceHeader(tag.data) || isAacSequenceHeader(tag.data)) continue;
      out.unshift({ tag, at: this.producedAt[i]! });
      if (tag.type === 'video' && tag.data[0]! >> 4 === 1 && tag.data[1] === 1) return out;
    }
    return [];
  }

  get errors(): string {
    return this.stderr;
  }

  async stop(): Promise<void> {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGTERM');
    await this.exited;
    this.emitter.dispose();
  }
}
