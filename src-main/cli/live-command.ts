/**
 * `ivs-studio live`: go live headless, through the same engine the UI drives (StudioEngine →
 * GoLiveService → program → StreamOutput), and print one JSON line of stats per second on stdout:
 *
 *   {"at":"…","state":"live","output":{…OutputStats},"program":{…ProgramStats}}
 *
 * Human messages (going live, reconnecting, errors) go to stderr; logs to <data-dir>/logs/studio.log.
 * The stream key never comes from argv or the environment: it is the local channel's (default), the
 * keychain's (--channel-arn), or read from standard input (--stream-key-stdin).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { StreamSnapshot, StreamTargetRequest } from '../contract/domains/stream';
import { defaultDataDir } from '../core/data-dir';
import { writeFileAtomic } from '../core/documents';
import { configureLogging, createLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import { StudioEngine } from '../engine/studio-engine';
import { defaultSceneCollection } from '../scenes/scene-collection-service';
import type { CommandSpec } from './flags';
import { studioVersion, untilStopSignal } from './serve-command';

const log = createLogger('live-cli');

const help = `usage: ivs-studio live (--scene FILE | --test-pattern)
                        [--channel-arn ARN | --ingest URL --stream-key-stdin [--ca-file PEM]]
                        [--data-dir D] [--duration S] [--record FILE]

Goes live without a window and prints one JSON line of stats per second on stdout.
  --scene FILE          a scene collection (JSON, as the studio saves it) to put on air
  --test-pattern        colour bars with a tone instead of a scene
  --channel-arn ARN     an IVS channel whose stream key is in the keychain (an account in the data dir
                        must own it), or a local-channel ARN
  --ingest URL          any RTMP(S) ingest, rtmps://host[:port]/app (no key in the URL), with
  --stream-key-stdin    the stream key read from standard input (never from the command line)
  --ca-file PEM         also trust this certificate authority for --ingest (verification stays on)
  (no target)           the local channel's default channel; the local channel runs embedded
  --data-dir D          the studio's data folder (default: the OS user-data folder)
  --duration S          stop after S seconds (default: until Ctrl+C)
  --record FILE         also record the program to FILE (.mkv or .mp4) while live
The scene becomes the data folder's scene collection for the run; the previous one is put back on exit
(and kept beside it as scenes.before-live-<pid>.json until then).
Exit status: 0 after a clean stop, 1 if going live failed or the stream ended with an error, 2 for bad usage.`;

class UsageError extends Error {}

export interface LiveOptions {
  scene: { file: string } | { testPattern: true };
  target: { kind: 'local-channel' } | { kind: 'ivs-channel'; channelArn: string } | { kind: 'custom'; ingestUrl: string; caFile?: string };
  dataDir: string;
  durationMs?: number;
  recordPath?: string;
}

/** Pure: flags → options, or a UsageError saying what is wrong. */
export function parseLiveFlags(flags: Record<string, string | boolean>, cwd = process.cwd()): LiveOptions {
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const scene = str('scene');
  if (scene !== undefined && flags['test-pattern'] === true) throw new UsageError('give either --scene FILE or --test-pattern, not both');
  if (scene === undefined && flags['test-pattern'] !== true) throw new UsageError('say what goes on air: --scene FILE or --test-pattern');
  const arn = str('channel-arn');
  const ingest = str('ingest');
  if (arn !== undefined && ingest !== undefined) throw new UsageError('give either --channel-arn or --ingest, not both');
  if (ingest !== undefined && flags['stream-key-stdin'] !== true) throw new UsageError('--ingest needs --stream-key-stdin (the key is read from standard input, never from the command line)');
  if (ingest === undefined && flags['stream-key-stdin'] === true) throw new UsageError('--stream-key-stdin goes with --ingest URL');
  if (str('ca-file') !== undefined && ingest === undefined) throw new UsageError('--ca-file goes with --ingest URL');
  if (arn !== undefined && !/^arn:aws[a-z-]*:ivs:[a-z0-9-]+:\d{12}:channel\/[A-Za-z0-9]+$/.test(arn)) throw new UsageError(`--channel-arn "${arn}" is not an IVS channel ARN (arn:aws:ivs:REGION:ACCOUNT:channel/ID)`);
  let durationMs: number | undefined;
  const duration = str('duration');
  if (duration !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(duration) || Number(duration) <= 0) throw new UsageError(`--duration must be a number of seconds above 0, not "${duration}"`);
    durationMs = Math.round(Number(duration) * 1000);
  }
  const target: LiveOptions['target'] =
    arn !== undefined
      ? { kind: 'ivs-channel', channelArn: arn }
      : ingest !== undefined
        ? { kind: 'custom', ingestUrl: ingest, ...(str('ca-file') ? { caFile: path.resolve(cwd, str('ca-file')!) } : {}) }
        : { kind: 'local-channel' };
  const options: LiveOptions = {
    scene: scene !== undefined ? { file: path.resolve(cwd, scene) } : { testPattern: true },
    target,
    dataDir: str('data-dir') !== undefined ? path.resolve(cwd, str('data-dir')!) : defaultDataDir(),
  };
  if (durationMs !== undefined) options.durationMs = durationMs;
  if (str('record') !== undefined) options.recordPath = path.resolve(cwd, str('record')!);
  return options;
}

/** The whole of standard input, first line, trimmed: a key piped in or typed then Ctrl+D. */
async function readStreamKeyFromStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const key = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0]!.trim();
  registerSecret(key);
  if (!key) throw new UsageError('--stream-key-stdin: standard input was empty; pipe the stream key in');
  return key;
}

/** Puts the run's scene collection in place and gives back a function that restores the previous one. */
function installScene(engine: StudioEngine, options: LiveOptions): () => void {
  let collection: unknown;
  if ('file' in options.scene) {
    let text: string;
    try {
      text = fs.readFileSync(options.scene.file, 'utf8');
    } catch (error) {
      throw new UsageError(`--scene: cannot read ${options.scene.file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
    try {
      collection = JSON.parse(text);
    } catch (error) {
      throw new UsageError(`--scene: ${options.scene.file} is not valid JSON (${(error as Error).message})`);
    }
  } else {
    collection = defaultSceneCollection();
  }
  const file = path.join(options.dataDir, 'scenes.json');
  const backup = path.join(options.dataDir, `scenes.before-live-${process.pid}.json`);
  const existed = fs.existsSync(file);
  if (existed) fs.copyFileSync(file, backup);
  try {
    engine.scenes.scenes.save(collection); // SCENE_INVALID names each bad field; nothing is written then
  } catch (error) {
    if (existed) fs.rmSync(backup, { force: true });
    throw error;
  }
  return () => {
    if (existed) {
      writeFileAtomic(file, fs.readFileSync(backup));
      fs.rmSync(backup, { force: true });
    } else {
      fs.rmSync(file, { force: true });
    }
  };
}

function describeState(snapshot: StreamSnapshot): string | undefined {
  switch (snapshot.state) {
    case 'live':
      return `live on ${snapshot.target?.label ?? 'the ingest'} (${snapshot.target?.ingestUrl ?? ''}, key ${snapshot.target?.streamKeyMasked ?? ''})`;
    case 'reconnecting':
      return snapshot.reconnect ? `reconnecting (attempt ${snapshot.reconnect.attempt}${snapshot.reconnect.lastError ? `: ${snapshot.reconnect.lastError.message}` : ''})` : 'reconnecting';
    case 'stopping':
      return 'stopping';
    default:
      return undefined;
  }
}

export async function runLive(options: LiveOptions, streamKey?: string): Promise<number> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  configureLogging({ dir: path.join(options.dataDir, 'logs'), consoleLevel: 'warn' });
  const stop = untilStopSignal();
  // The embedded local channel only when the target is on it.
  const needsLocal = options.target.kind === 'local-channel' || (options.target.kind === 'ivs-channel' && options.target.channelArn.split(':')[4] === '000000000000');
  const engine = new StudioEngine({ dataDir: options.dataDir, mode: 'browser', version: studioVersion(), localChannel: needsLocal ? {} : false });
  let restoreScene: (() => void) | undefined;
  let exitCode = 0;
  try {
    await engine.start();
    restoreScene = installScene(engine, options);
    let target: StreamTargetRequest;
    if (options.target.kind === 'custom') {
      const caPem = options.target.caFile ? readCa(options.target.caFile) : undefined;
      target = { kind: 'custom', ingestUrl: options.target.ingestUrl, streamKey: streamKey ?? '', ...(caPem ? { caPem } : {}) };
    } else {
      target = options.target;
    }

    let lastState = '';
    engine.goLive.onStateChange((snapshot) => {
      const text = describeState(snapshot);
      const key = `${snapshot.state}:${snapshot.reconnect?.attempt ?? ''}`;
      if (text && key !== lastState) process.stderr.write(`ivs-studio live: ${text}\n`);
      lastState = key;
    });
    engine.goLive.onStats((output) => {
      process.stdout.write(`${JSON.stringify({ at: output.at, state: output.state, output, program: engine.goLive.programStats() ?? null })}\n`);
    });
    await engine.goLive.start(options.recordPath ? { target, recordPath: options.recordPath } : { target });

    // Until the duration is up, a signal, or the stream ends on its own (an error the user must act on).
    const ended = new Promise<'ended'>((resolve) => {
      engine.goLive.onStateChange((snapshot) => {
        if (snapshot.state === 'offline') resolve('ended');
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const elapsed = options.durationMs !== undefined ? new Promise<'duration'>((resolve) => (timer = setTimeout(() => resolve('duration'), options.durationMs))) : new Promise<never>(() => undefined);
    const why = await Promise.race([stop, ended, elapsed]);
    clearTimeout(timer);
    if (why === 'ended') {
      const error = engine.goLive.snapshot().lastError;
      process.stderr.write(`ivs-studio live: the stream ended: ${error?.message ?? 'unknown reason'}${error?.action ? ` ${error.action}` : ''}\n`);
      exitCode = 1;
    }
    await engine.goLive.stop();
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`ivs-studio live: ${error.message}\n`);
      exitCode = 2;
    } else {
      const studioError = error instanceof StudioError ? error : undefined;
      process.stderr.write(`ivs-studio live: ${studioError ? `${studioError.message}${studioError.action ? ` ${studioError.action}` : ''}` : (error as Error).message}\n`);
      if (!studioError) log.error('live failed', error);
      exitCode = 1;
    }
  } finally {
    try {
      await engine.dispose();
    } catch (error) {
      log.error('error while stopping the engine', error);
    }
    restoreScene?.();
  }
  return exitCode;
}

function readCa(file: string): string {
  try {
    const pem = fs.readFileSync(file, 'utf8');
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--ca-file: ${file} holds no PEM certificate`);
    return pem;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--ca-file: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export const liveCommand: CommandSpec = {
  help,
  flags: {
    scene: 'string',
    'test-pattern': 'boolean',
    'channel-arn': 'string',
    ingest: 'string',
    'stream-key-stdin': 'boolean',
    'ca-file': 'string',
    'data-dir': 'string',
    duration: 'string',
    record: 'string',
  },
  async run(flags) {
    let options: LiveOptions;
    let streamKey: string | undefined;
    try {
      options = parseLiveFlags(flags);
      if (options.target.kind === 'custom') streamKey = await readStreamKeyFromStdin();
    } catch (error) {
      process.stderr.write(`ivs-studio live: ${(error as Error).message}\n${error instanceof UsageError ? `${help}\n` : ''}`);
      process.exitCode = 2;
      return;
    }
    const code = await runLive(options, streamKey);
    // The engine is disposed (no child, socket or timer left); exit now rather than wait on stdin.
    process.exit(code);
  },
};
