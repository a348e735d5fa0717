/**
 * `ivs-studio serve`: the engine headless, plus the built UI and the WebSocket API on one HTTP port.
 * Prints the URL to open (token included). SIGINT/SIGTERM dispose everything (engine children first)
 * and exit 0. Also the fallback of `ivs-studio start` where Electron cannot run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ClientRights } from '../contract/domains/app';
import { defaultDataDir } from '../core/data-dir';
import { configureLogging, createLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { StudioEngine } from '../engine/studio-engine';
import { defaultRendererRoot, packageRoot } from '../transport/static-files';
import { StudioServer, bindHostFor } from '../transport/studio-server';
import type { CommandSpec } from './flags';

const log = createLogger('serve');

export interface ServeOptions {
  port: number;
  dataDir: string;
  /** --remote: bind all interfaces whatever the setting says. */
  forceRemote: boolean;
  remoteRights: ClientRights;
  staticRoot?: string;
}

export interface ServeHandle {
  engine: StudioEngine;
  server: StudioServer;
  dispose(): Promise<void>;
}

export class UsageError extends Error {}

export function parseServeFlags(flags: Record<string, string | boolean>): ServeOptions {
  const portText = typeof flags.port === 'string' ? flags.port : '0';
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535 (0 picks a free port), not "${portText}"`);
  const dataDir = typeof flags['data-dir'] === 'string' ? path.resolve(flags['data-dir']) : defaultDataDir();
  return { port: Number(portText), dataDir, forceRemote: flags.remote === true, remoteRights: flags['remote-full'] === true ? 'full' : 'cues' };
}

export function studioVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** Starts engine and server; resolves once the URL can be opened. */
export async function startServe(options: ServeOptions): Promise<ServeHandle> {
  configureLogging({ dir: path.join(options.dataDir, 'logs'), consoleLevel: 'warn' });
  const engine = new StudioEngine({ dataDir: options.dataDir, mode: 'browser', version: studioVersion() });
  let server: StudioServer | undefined;
  try {
    await engine.start();
    server = new StudioServer({ router: engine.router, staticRoot: options.staticRoot ?? defaultRendererRoot(), remoteRights: options.remoteRights });
    registerSecret(server.token);
    const remote = () => options.forceRemote || engine.settings.get().remoteAccess;
    await server.listen(bindHostFor(remote()), options.port);
    const live = server;
    engine.setRemoteAccessProvider(() => ({ enabled: live.isRemote, urls: live.remoteUrls(), remoteRights: options.remoteRights }));
    // The Settings toggle re-binds on the same port; --remote pins it on.
    const subscription = engine.settings.onDidChange(() => {
      const wasRemote = live.isRemote;
      void live
        .rebind(bindHostFor(remote()))
        .then(() => {
          if (live.isRemote === wasRemote) return;
          engine.router.emit('app:remote-access-changed', { enabled: live.isRemote });
          if (live.isRemote) printRemoteUrls(live);
          else process.stdout.write('Remote access is off: only this machine can open the studio now.\n');
        })
        .catch((error: unknown) => {
          log.error('could not change the remote-access binding', error);
          engine.notify({ level: 'error', code: 'INTERNAL', message: `Remote access could not be switched: ${(error as Error).message}` });
        });
    });
    return {
      engine,
      server,
      async dispose() {
        subscription.dispose();
        await live.dispose();
        await engine.dispose();
      },
    };
  } catch (error) {
    await server?.dispose();
    await engine.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new UsageError(`port ${options.port} is already in use; choose another with --port, or --port 0 for any free port`);
    }
    throw error;
  }
}

function printRemoteUrls(server: StudioServer): void {
  const urls = server.remoteUrls();
  if (urls.length === 0) {
    process.stdout.write('Remote access is on, but this machine has no network address other devices could use.\n');
    return;
  }
  process.stdout.write(`Remote producers on your network can open:\n${urls.map((u) => `  ${u}\n`).join('')}`);
}

/** Runs until SIGINT/SIGTERM; then disposes everything and exits 0. */
export async function runServe(options: ServeOptions): Promise<void> {
  // Listen for signals before starting: a stop during start-up (ffmpeg probe running) still waits
  // for start-up to settle and then disposes, instead of dying with children half-way.
  const stop = untilStopSignal();
  const handle = await startServe(options);
  const settingsError = handle.engine.settings.loadError;
  if (settingsError) process.stderr.write(`ivs-studio: ${settingsError.message} ${settingsError.action ?? ''}\n`);
  process.stdout.write(`IVS Studio (browser mode) is running. Open this URL in a browser:\n  ${handle.server.localUrl()}\n`);
  if (handle.server.isRemote) printRemoteUrls(handle.server);
  process.stdout.write('Press Ctrl+C to stop.\n');
  await stop;
  // A stuck disposal must not leave the process hanging forever: ffmpeg children get SIGKILLed by
  // their own disposables well within this window.
  const deadline = setTimeout(() => {
    process.stderr.write('ivs-studio: shutdown took too long; exiting anyway.\n');
    process.exit(1);
  }, 10_000);
  deadline.unref();
  try {
    await handle.dispose();
  } catch (error) {
    log.error('error while stopping', error);
  }
  process.stdout.write('IVS Studio stopped.\n');
  process.exit(0);
}

/** Resolves on the first SIGINT or SIGTERM; a second one while stopping exits at once. */
export function untilStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    let stopping = false;
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        process.stderr.write(`ivs-studio: ${signal} again; exiting without finishing cleanup.\n`);
        process.exit(1);
      }
      stopping = true;
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export const serveFlags = { port: 'string', 'data-dir': 'string', remote: 'boolean', 'remote-full': 'boolean' } as const;

export const serveHelp = `usage: ivs-studio serve [--port N] [--data-dir DIR] [--remote] [--remote-full]

Runs the studio engine without a window and serves the studio UI to a browser.
Prints the URL to open; it carries this run's access token.

  --port N        HTTP port (default 0: any free port)
  --data-dir DIR  where settings, logs and documents live (default: the OS user-data folder)
  --remote        also listen on the network, so a producer's tablet can open the cue board
                  (default: only this machine, unless remote access is on in Settings)
  --remote-full   give remote devices full control instead of the cue board only`;

export async function runCommandSafely(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ivs-studio ${name}: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`ivs-studio ${name}: ${(error as Error).message ?? String(error)}\n`);
    log.error(`${name} failed`, error);
    process.exitCode = 1;
  }
}

export const serveCommand: CommandSpec = {
  help: serveHelp,
  flags: serveFlags,
  run: (flags) => runCommandSafely('serve', () => runServe(parseServeFlags(flags))),
};
