import * as fs from 'node:fs';
import * as path from 'node:path';
import { StudioError } from '../core/studio-error';

export type FfmpegSource = 'setting' | 'env' | 'bundled' | 'path';

export interface ResolvedFfmpeg {
  path: string;
  source: FfmpegSource;
}

export interface ResolveInputs {
  settingPath?: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** Where ffmpeg-static says its binary is (may point inside app.asar in a packaged app). */
  bundledPath?: string | null;
  isExecutable: (file: string) => boolean;
}

/**
 * One resolver used everywhere: a setting, then FFMPEG_PATH, then the ffmpeg-static binary when it is
 * installed, then `ffmpeg` on PATH. Pure: the file system is a parameter, so each order is unit-tested.
 */
export function resolveFfmpeg(inputs: ResolveInputs): ResolvedFfmpeg {
  const { settingPath, env, platform, isExecutable } = inputs;
  if (settingPath) {
    if (isExecutable(settingPath)) return { path: settingPath, source: 'setting' };
    throw new StudioError('FFMPEG_NOT_FOUND', { message: `The ffmpeg chosen in Settings (${settingPath}) is not an executable file.` });
  }
  const fromEnv = env.FFMPEG_PATH;
  if (fromEnv) {
    if (isExecutable(fromEnv)) return { path: fromEnv, source: 'env' };
    throw new StudioError('FFMPEG_NOT_FOUND', { message: `FFMPEG_PATH points at ${fromEnv}, which is not an executable file.` });
  }
  if (inputs.bundledPath) {
    // electron-builder unpacks the binary next to the archive: app.asar/… → app.asar.unpacked/…
    const unpacked = inputs.bundledPath.replace(/app\.asar([\\/])/, 'app.asar.unpacked$1');
    for (const candidate of [unpacked, inputs.bundledPath]) {
      if (isExecutable(candidate)) return { path: candidate, source: 'bundled' };
    }
  }
  const exe = platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';
  const separator = platform === 'win32' ? ';' : ':';
  for (const dir of (env.PATH ?? env.Path ?? '').split(separator)) {
    if (!dir) continue;
    const candidate = path.join(dir, exe);
    if (isExecutable(candidate)) return { path: candidate, source: 'path' };
  }
  throw new StudioError('FFMPEG_NOT_FOUND');
}

export function isExecutableFile(file: string): boolean {
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) return false;
    if (process.platform === 'win32') return true;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The path ffmpeg-static exports, or null when the package (or its downloaded binary) is absent. */
export function ffmpegStaticPath(): string | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const value: unknown = require('ffmpeg-static');
    return typeof value === 'string' ? value : null;
  } catch {
    return null;
  }
}

let cached: { key: string; value: ResolvedFfmpeg } | undefined;

/** The resolver wired to this process: used by every component that spawns ffmpeg or ffprobe. */
export function findFfmpeg(settingPath?: string): ResolvedFfmpeg {
  const key = `${settingPath ?? ''}|${process.env.FFMPEG_PATH ?? ''}`;
  if (cached?.key === key) return cached.value;
  const value = resolveFfmpeg({
    settingPath,
    env: process.env,
    platform: process.platform,
    bundledPath: ffmpegStaticPath(),
    isExecutable: isExecutableFile,
  });
  cached = { key, value };
  return value;
}

/** ffprobe beside the resolved ffmpeg, else on PATH. */
export function findFfprobe(settingPath?: string): string {
  const ffmpeg = findFfmpeg(settingPath).path;
  const sibling = path.join(path.dirname(ffmpeg), path.basename(ffmpeg).replace(/ffmpeg/, 'ffprobe'));
  if (sibling !== ffmpeg && isExecutableFile(sibling)) return sibling;
  return 'ffprobe';
}
