/**
 * Hardware H.264 encoders: listed by the binary (`ffmpeg -encoders`) is not the same as usable (no GPU,
 * no driver, a busy session limit), so each candidate is test-encoded once per binary before use, and
 * x264 is the fallback.
 */
import { spawn } from 'node:child_process';
import type { VideoEncoderChoice } from '../contract/domains/program';
import { createLogger } from '../core/logger';
import { ffmpegEncoderName, type VideoEncoderKind } from './encoder-args';

const log = createLogger('hardware-encoders');

/** Preference order when the user picks `auto`. */
const hardwareOrder: VideoEncoderKind[] = ['nvenc', 'videotoolbox', 'qsv', 'amf'];

/** Hardware families the binary was built with. Pure. */
export function listedHardwareEncoders(encoders: readonly string[]): VideoEncoderKind[] {
  return hardwareOrder.filter((kind) => encoders.includes(ffmpegEncoderName[kind]));
}

/** The arguments of the test encode: a fraction of a second of a small frame, thrown away. */
export function testEncodeArgs(kind: VideoEncoderKind): string[] {
  return [
    '-hide_banner', '-nostdin', '-loglevel', 'error',
    '-f', 'lavfi', '-i', 'color=c=gray:size=320x180:rate=30:duration=0.3',
    '-c:v', ffmpegEncoderName[kind], '-b:v', '500k', '-g', '30',
    '-f', 'null', '-',
  ];
}

export type EncoderTester = (ffmpegPath: string, kind: VideoEncoderKind) => Promise<boolean>;

/** Runs the test encode; a failure or a hang (10 s) means unusable. */
export const runTestEncode: EncoderTester = (ffmpegPath, kind) =>
  new Promise((resolve) => {
    const child = spawn(ffmpegPath, testEncodeArgs(kind), { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) log.info(`${ffmpegEncoderName[kind]} is listed but unusable here: ${stderr.trim().split('\n').pop() ?? `exit ${code}`}`);
      resolve(code === 0);
    });
  });

const verdicts = new Map<string, Promise<boolean>>();

/** Test-encodes once per binary and encoder, then remembers. */
export function isEncoderUsable(ffmpegPath: string, kind: VideoEncoderKind, tester: EncoderTester = runTestEncode): Promise<boolean> {
  const key = `${ffmpegPath}|${kind}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    verdict = tester(ffmpegPath, kind);
    verdicts.set(key, verdict);
  }
  return verdict;
}

export interface EncoderChoice {
  kind: VideoEncoderKind;
  /** Why it is not what the user asked for, when it is not. */
  fallbackReason?: string;
}

/**
 * `auto`: the first listed hardware encoder that passes the test encode, else x264. An explicit choice
 * that fails falls back to x264 with the reason (the program still starts).
 */
export async function chooseVideoEncoder(
  choice: VideoEncoderChoice,
  ffmpegPath: string,
  encoders: readonly string[],
  tester: EncoderTester = runTestEncode,
): Promise<EncoderChoice> {
  if (choice === 'x264') return { kind: 'x264' };
  const listed = listedHardwareEncoders(encoders);
  if (choice === 'auto') {
    for (const kind of listed) if (await isEncoderUsable(ffmpegPath, kind, tester)) return { kind };
    return { kind: 'x264' };
  }
  if (!listed.includes(choice)) return { kind: 'x264', fallbackReason: `${ffmpegEncoderName[choice]} is not in this ffmpeg build; using x264.` };
  if (!(await isEncoderUsable(ffmpegPath, choice, tester))) {
    return { kind: 'x264', fallbackReason: `${ffmpegEncoderName[choice]} failed a test encode on this machine; using x264.` };
  }
  return { kind: choice };
}
