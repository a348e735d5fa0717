/**
 * Finding a runnable Electron binary without importing `electron` into this process (which would
 * throw where the binary is missing). `require('electron')` returns the binary's path and, when it
 * is absent, tries to download it (Electron ≥ 42 downloads lazily): that runs in a child process so
 * its progress output and failure stay out of ours.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export interface LocateOptions {
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  /** A first-run download of ~100 MB may take a while on a slow link. */
  downloadTimeoutMs?: number;
}

/** Why no window could open on this machine, before trying: no display server to show one on. */
export function missingDisplayReason(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'linux' && platform !== 'freebsd' && platform !== 'openbsd') return undefined;
  if (env.DISPLAY || env.WAYLAND_DISPLAY) return undefined;
  return 'no display server ($DISPLAY and $WAYLAND_DISPLAY are not set)';
}

export function locateElectronBinary(options: LocateOptions = {}): ElectronBinary {
  const env = options.env ?? process.env;
  try {
    require.resolve('electron');
  } catch {
    return { ok: false, reason: 'the electron package is not installed' };
  }
  const result = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('electron')))"], {
    encoding: 'utf8',
    timeout: options.downloadTimeoutMs ?? 10 * 60_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env, ELECTRON_RUN_AS_NODE: undefined },
  });
  if (result.error || result.status !== 0) {
    return { ok: false, reason: 'the Electron binary is missing and could not be downloaded (no access to the Electron release server)' };
  }
  const binary = result.stdout.trim();
  if (!binary || !fs.existsSync(binary)) return { ok: false, reason: `the Electron binary is missing (${binary || 'no path'})` };
  return { ok: true, path: binary };
}
