/**
 * `ivs-studio local-channel [--port N] [--data-dir D] [--region R]`: the IVS-compatible local channel
 * on its own. Prints exactly one JSON line on stdout when ready —
 *   {"event":"ready","apiEndpoint":"http://127.0.0.1:…","region":"…","accessKeyId":"…","secretAccessKey":"…"}
 * — (local credentials only; the live runtime adds `ingest`: rtmp/rtmps URLs and the CA file). Logs go to stderr and
 * `<data-dir>/logs/studio.log`, never stdout. SIGINT/SIGTERM dispose everything and exit 0.
 */
import * as path from 'node:path';
import { startLocalChannel } from '../channel/local-channel';
import { startLiveRuntime, type LocalChannelLive } from '../channel/live/start-live-runtime';
import { defaultDataDir } from '../core/data-dir';
import { configureLogging, createLogger } from '../core/logger';
import type { CommandSpec } from './flags';

/** Default API port when --port is not given (--port 0 picks a free one). */
export const DEFAULT_LOCAL_CHANNEL_PORT = 7330;

const help = `usage: ivs-studio local-channel [--port N] [--data-dir D] [--region R]
Runs the IVS-compatible local channel: the IVS control-plane API (SigV4, local credentials) on 127.0.0.1.
  --port N       API port (default ${DEFAULT_LOCAL_CHANNEL_PORT}; 0 picks a free port)
  --data-dir D   where state, credentials and recordings live (default: the studio's data folder)
  --region R     region in ARNs and the SigV4 scope (default us-west-2)
Prints one JSON line {"event":"ready",…} on stdout when ready; point the AWS SDK or CLI at apiEndpoint.`;

function parsePort(value: string | boolean | undefined): number {
  if (value === undefined) return DEFAULT_LOCAL_CHANNEL_PORT;
  const port = Number(value);
  if (typeof value !== 'string' || !/^\d+$/.test(value) || port > 65535) throw new Error(`--port must be 0–65535, not "${String(value)}"`);
  return port;
}

export const localChannelCommand: CommandSpec = {
  help,
  flags: { port: 'string', 'data-dir': 'string', region: 'string' },
  async run(flags) {
    let port: number;
    try {
      port = parsePort(flags.port);
    } catch (error) {
      process.stderr.write(`ivs-studio local-channel: ${(error as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
    const region = typeof flags.region === 'string' ? flags.region : undefined;
    if (region !== undefined && !/^[a-z0-9-]+$/.test(region)) {
      process.stderr.write(`ivs-studio local-channel: --region "${region}" is not a region name (like us-west-2)\n`);
      process.exitCode = 2;
      return;
    }
    const dataDir = path.resolve(typeof flags['data-dir'] === 'string' ? flags['data-dir'] : defaultDataDir());
    configureLogging({ dir: path.join(dataDir, 'logs'), consoleLevel: 'info' });
    const log = createLogger('local-channel-cli');

    let channel;
    let live: LocalChannelLive | undefined;
    try {
      const started = await startLocalChannel({ dataDir, port, region });
      channel = started;
      // The live side: RTMP(S) ingest on free ports, LL-HLS playback; adds "ingest" to the ready line.
      live = await startLiveRuntime(started, { dataDir }).catch(async (error: unknown) => {
        await started.dispose();
        throw error;
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const reason = code === 'EADDRINUSE' ? `port ${port} is already in use (try --port 0)` : (error as Error).message;
      log.error(`could not start: ${reason}`);
      process.exitCode = 1;
      return;
    }
    const ready = channel.readyInfo();
    if (channel.problems.length > 0) ready.warnings = channel.problems.map((p) => `${path.basename(p.file)} was corrupt (${p.problem}); kept at ${p.movedTo}`);
    process.stdout.write(`${JSON.stringify(ready)}\n`);

    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        log.info(`${signal}: stopping`);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await live.dispose();
    await channel.dispose();
    process.exitCode = 0;
  },
};
