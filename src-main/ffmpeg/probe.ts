import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { FfmpegCapabilities } from '../contract/domains/app';
import type { ResolvedFfmpeg } from './resolve-ffmpeg';

const run = promisify(execFile);

/** What the studio needs from ffmpeg, and what a user loses without each. */
const requirements: { kind: 'encoders' | 'filters' | 'protocols'; name: string; loss: string }[] = [
  { kind: 'encoders', name: 'libx264', loss: 'no H.264 software encoder: streaming needs a hardware encoder' },
  { kind: 'encoders', name: 'aac', loss: 'no AAC encoder: streams would have no audio' },
  { kind: 'filters', name: 'zmq', loss: 'no zmq filter: live scene switching falls back to the slower stdin command mode' },
  { kind: 'filters', name: 'streamselect', loss: 'no streamselect filter: scenes cannot switch while live' },
  { kind: 'filters', name: 'drawtext', loss: 'no drawtext filter: text sources are unavailable' },
  { kind: 'filters', name: 'overlay', loss: 'no overlay filter: scenes cannot layer sources' },
  { kind: 'filters', name: 'amix', loss: 'no amix filter: only one audio source per scene' },
];

/** Pure parsers of `ffmpeg -encoders|-filters|-protocols|-devices` output. */
export function parseEncoders(text: string): string[] {
  return [...text.matchAll(/^\s*[VAS][F.][S.][X.][B.][D.]\s+(\S+)/gm)].map((m) => m[1]!);
}

export function parseFilters(text: string): string[] {
  return [...text.matchAll(/^\s*[T.][S.][C.]\s+(\S+)\s+\S+->\S+/gm)].map((m) => m[1]!);
}

export function parseProtocols(text: string): string[] {
  const inputSection = text.split(/^Output:/m)[0] ?? '';
  return inputSection
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^[a-z0-9_]+$/.test(line));
}

export function parseDevices(text: string): string[] {
  return [...text.matchAll(/^\s*[D ][E ]\s+(\S+)\s/gm)].map((m) => m[1]!).filter((name) => name !== '=');
}

export function parseVersion(text: string): string {
  return /ffmpeg version (\S+)/.exec(text)?.[1] ?? 'unknown';
}

export function missingFeatures(caps: Pick<FfmpegCapabilities, 'encoders' | 'filters' | 'protocols'>): string[] {
  return requirements.filter((r) => !caps[r.kind].includes(r.name)).map((r) => `${r.name}: ${r.loss}`);
}

/** Probes the binary once at start: encoders, filters, protocols, devices. */
export async function probeFfmpeg(resolved: ResolvedFfmpeg): Promise<FfmpegCapabilities> {
  const ask = async (flag: string) => (await run(resolved.path, ['-hide_banner', flag], { maxBuffer: 8 * 1024 * 1024 })).stdout;
  const [version, encoders, filters, protocols, devices] = await Promise.all([
    run(resolved.path, ['-version']).then((r) => r.stdout),
    ask('-encoders'),
    ask('-filters'),
    ask('-protocols'),
    ask('-devices'),
  ]);
  const caps = {
    path: resolved.path,
    source: resolved.source,
    version: parseVersion(version),
    encoders: parseEncoders(encoders),
    filters: parseFilters(filters),
    protocols: parseProtocols(protocols),
    devices: parseDevices(devices),
  };
  return { ...caps, missing: missingFeatures(caps) };
}
