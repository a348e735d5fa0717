/**
 * `ivs-studio start` (what `npm start` runs): the Electron studio where Electron can run; elsewhere
 * ONE line saying why, then the same studio in browser mode (`serve`), printing the URL to open.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ELECTRON_READY_LINE } from '../app/ready-line';
import { createLogger } from '../core/logger';
import { packageRoot } from '../transport/static-files';
import { locateElectronBinary, missingDisplayReason } from './electron-binary';
import type { CommandSpec } from './flags';
import { parseServeFlags, runCommandSafely, runServe, serveFlags, untilStopSignal } from './serve-command';

const log = createLogger('start');

type LaunchResult = { ok: true; child: ChildProcess } | { ok: false; reason: string };

/** Spawns Electron on this package; succeeds once the window reports ready, fails if it exits first. */
export function launchElectron(binary: string, args: string[]): Promise<LaunchResult> {
  return new Promise((resolve) => {
    const child = spawn(binary, [packageRoot(), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
    });
    let ready = false;
    let lastError = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      if (!ready && text.includes(ELECTRON_READY_LINE)) {
        ready = true;
        resolve({ ok: true, child });
        text = text.replace(`${ELECTRON_READY_LINE}\n`, '');
      }
      if (ready && text) process.stdout.write(text);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      if (ready) process.stderr.write(text);
      else lastError = text.trim().split('\n').pop() ?? lastError;
    });
    child.once('error', (error) => resolve({ ok: false, reason: `it could not be run (${error.message})` }));
    child.once('exit', (code, signal) => {
      if (!ready) resolve({ ok: false, reason: `it exited (${signal ?? `code ${code}`}) before opening a window${lastError ? `: ${lastError.slice(0, 160)}` : ''}` });
    });
  });
}

async function runStart(flags: Record<string, string | boolean>): Promise<void> {
  const options = parseServeFlags(flags);
  let reason = missingDisplayReason(process.env, process.platform);
  if (!reason) {
    const binary = locateElectronBinary();
    if (binary.ok) {
      const args = ['--data-dir', options.dataDir, ...(options.forceRemote ? ['--remote'] : []), ...(options.remoteRights === 'full' ? ['--remote-full'] : [])];
      const launched = await launchElectron(binary.path, args);
      if (launched.ok) {
        await runUntilElectronExits(launched.child);
        return;
      }
      reason = launched.reason;
    } else {
      reason = binary.reason;
    }
  }
  process.stdout.write(`Electron cannot start here: ${reason}. Serving the studio to your browser instead.\n`);
  log.info(`electron unavailable: ${reason}`);
  await runServe(options);
}

async function runUntilElectronExits(child: ChildProcess): Promise<void> {
  const exited = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? 0)));
  const result = await Promise.race([exited, untilStopSignal().then(() => undefined)]);
  if (result !== undefined) {
    process.exitCode = result;
    return;
  }
  // Electron quits gracefully on SIGTERM (its main process disposes the engine and its children).
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
  process.exit(0);
}

export const startCommand: CommandSpec = {
  help: `usage: ivs-studio start [--port N] [--data-dir DIR] [--remote] [--remote-full]

Opens the IVS Studio window (Electron). Where Electron cannot run (no binary, no display), says so
in one line and runs "ivs-studio serve" instead, printing the URL to open in a browser.
Options are those of "ivs-studio serve".`,
  flags: serveFlags,
  run: (flags) => runCommandSafely('start', () => runStart(flags)),
};
