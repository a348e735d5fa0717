/**
 * A real program for tests (real ffmpeg, real zmq, real files) and readers of what it recorded:
 * ffprobe for streams and packets, frames sampled to one pixel colour each, audio loudness.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SceneCollection } from '../../src-main/contract/domains/scenes';
import { waitForEvent } from '../../src-main/core/emitter';
import { probeFfmpeg } from '../../src-main/ffmpeg/probe';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { ProgramEngine, type ProgramEngineDeps } from '../../src-main/program/program-engine';

let capabilities: ReturnType<typeof probeFfmpeg> | undefined;

export interface TestProgram {
  engine: ProgramEngine;
  dataDir: string;
  /** Replace the collection the engine reads (then call engine.applyCollection for live parts). */
  setCollection(next: SceneCollection): void;
  collection(): SceneCollection;
  dispose(): Promise<void>;
}

export function createTestProgram(initial: SceneCollection, deps: Partial<ProgramEngineDeps> = {}): TestProgram {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-program-'));
  let current = initial;
  capabilities ??= probeFfmpeg(findFfmpeg());
  const engine = new ProgramEngine({
    dataDir,
    collection: () => current,
    ffmpeg: async () => {
      const caps = await capabilities!;
      return { path: caps.path, ffprobePath: findFfprobe(), capabilities: caps };
    },
    // The encoder settings tests want: x264 at the fastest preset, so two shared cores keep up.
    ...deps,
  });
  engine.setEncoderSettings({ video: { encoder: 'x264', x264Preset: 'ultrafast', bitrateKbps: 800 }, audio: { bitrateKbps: 96 } });
  return {
    engine,
    dataDir,
    setCollection: (next) => (current = next),
    collection: () => current,
    async dispose() {
      await engine.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function run(command: string, args: string[], maxBuffer = 256 * 1024 * 1024): Promise<{ stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'buffer', maxBuffer, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${command} ${args.join(' ')} failed: ${error.message}\n${stderr.toString()}`));
      else resolve({ stdout, stderr: stderr.toString() });
    });
  });
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  profile?: string;
  width?: number;
  height?: number;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  sample_rate?: string;
  channels?: number;
}

export async function probeStreams(file: string): Promise<ProbedStream[]> {
  const { stdout } = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name,profile,width,height,r_frame_rate,avg_frame_rate,sample_rate,channels', '-of', 'json', file]);
  return (JSON.parse(stdout.toString()) as { streams: ProbedStream[] }).streams;
}

/** Every packet's stream, pts and dts (seconds), in file order. */
export async function probePackets(file: string): Promise<{ stream: number; pts: number; dts: number }[]> {
  const { stdout } = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'packet=stream_index,pts_time,dts_time', '-of', 'csv=p=0', file]);
  return stdout
    .toString()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [stream, pts, dts] = line.split(',');
      return { stream: Number(stream), pts: Number(pts), dts: Number(dts) };
    });
}

/** The colour of one pixel (a 2×2 block's first pixel) in every decoded frame, in order. */
export async function sampleFrameColours(file: string, x: number, y: number): Promise<[number, number, number][]> {
  const { stdout } = await run(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-i', file, '-an', '-vf', `crop=2:2:${x}:${y},format=rgb24`, '-f', 'rawvideo', 'pipe:1']);
  const out: [number, number, number][] = [];
  for (let offset = 0; offset + 12 <= stdout.length; offset += 12) out.push([stdout[offset]!, stdout[offset + 1]!, stdout[offset + 2]!]);
  return out;
}

/** Loudest sample of the audio in [start, start+duration) seconds, in dB (−91 for silence). */
export async function audioMaxVolume(file: string, start: number, duration: number): Promise<number> {
  const { stderr } = await run(findFfmpeg().path, ['-hide_banner', '-ss', String(start), '-t', String(duration), '-i', file, '-vn', '-af', 'volumedetect', '-f', 'null', '-']);
  const match = /max_volume:\s*(-?[\d.]+|-inf) dB/.exec(stderr);
  if (!match) throw new Error(`no volumedetect result:\n${stderr}`);
  return match[1] === '-inf' ? -Infinity : Number(match[1]);
}

/** Collapses consecutive equal values: [a,a,b,b,b,a] → [{value:a,count:2},{value:b,count:3},{value:a,count:1}]. */
export function runs<T>(values: readonly T[]): { value: T; count: number }[] {
  const out: { value: T; count: number }[] = [];
  for (const value of values) {
    const last = out[out.length - 1];
    if (last && last.value === value) last.count++;
    else out.push({ value, count: 1 });
  }
  return out;
}

/** Resolves once the program has emitted `count` more video frames (FLV video tags), or fails after `timeoutMs`. */
export async function videoFrames(test: TestProgram, count: number, timeoutMs: number): Promise<void> {
  let seen = 0;
  await waitForEvent(test.engine.onTag, (tag) => tag.type === 'video' && ++seen >= count, timeoutMs);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function requireTestDesktop(): { display: string; pulseSource: string } {
  const display = process.env.DISPLAY;
  const pulseSource = process.env.STUDIO_TEST_PULSE_SOURCE;
  if (!display || !pulseSource) throw new Error('This test needs the X display and PulseAudio null sink that test/run-all.sh provides (DISPLAY, STUDIO_TEST_PULSE_SOURCE).');
  return { display, pulseSource };
}
