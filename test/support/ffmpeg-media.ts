/**
 * Real ffmpeg for RTMP tests: an encoded test pattern as FLV tags (for our publisher), and a pusher
 * process (ffmpeg publishing to an ingest, as a broadcaster would). Short, small media by default:
 * two cores are shared by the whole team.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { FlvDemuxer, type FlvTag } from '../../src-main/media/flv';

export interface TestMediaOptions {
  seconds?: number;
  size?: string;
  rate?: number;
  /** Video bitrate, e.g. '800k'; CBR-ish via maxrate/bufsize. */
  bitrate?: string;
  /** Extra encoder args placed before the output. */
  extra?: string[];
  videoCodec?: string;
  audio?: boolean;
}

function encodeArgs(o: TestMediaOptions): string[] {
  const rate = o.rate ?? 30;
  const args = ['-f', 'lavfi', '-i', `testsrc2=size=${o.size ?? '320x180'}:rate=${rate}`];
  if (o.audio !== false) args.push('-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000');
  args.push('-t', String(o.seconds ?? 2));
  const codec = o.videoCodec ?? 'libx264';
  args.push('-c:v', codec);
  if (codec === 'libx264') args.push('-preset', 'ultrafast', '-tune', 'zerolatency', '-g', String(rate), '-pix_fmt', 'yuv420p');
  if (o.bitrate) args.push('-b:v', o.bitrate, '-maxrate', o.bitrate, '-bufsize', o.bitrate);
  if (o.audio !== false) args.push('-c:a', 'aac', '-b:a', '96k', '-ar', '48000', '-ac', '2');
  return [...args, ...(o.extra ?? [])];
}

/** Encodes a test pattern and returns its FLV tags (as ffmpeg would write them on a pipe). */
export function encodeTestFlv(options: TestMediaOptions = {}): FlvTag[] {
  const flv = execFileSync(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', ...encodeArgs(options), '-f', 'flv', 'pipe:1'], { maxBuffer: 256 * 1024 * 1024 });
  return new FlvDemuxer().push(flv);
}

export interface FfmpegPusher {
  process: ChildProcess;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  kill(signal?: NodeJS.Signals): void;
}

/** Starts ffmpeg pushing a real-time test pattern to `url` (rtmp:// or rtmps://). */
export function pushWithFfmpeg(url: string, options: TestMediaOptions & { caFile?: string; realtime?: boolean } = {}): FfmpegPusher {
  const args = ['-hide_banner', '-nostdin', '-loglevel', 'warning'];
  if (options.realtime !== false) args.push('-re');
  args.push(...encodeArgs(options));
  if (options.caFile) args.push('-tls_verify', '1', '-ca_file', options.caFile);
  args.push('-f', 'flv', url);
  const child = spawn(findFfmpeg().path, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    process: child,
    stderr: () => stderr,
    exited,
    kill: (signal = 'SIGKILL') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
