/**
 * The local channel (control plane + live runtime) as a separate process on fixed ports, so a test can
 * kill it (-9, like a crashed or unplugged ingest) and bring it back on the same ports and data dir.
 *
 *   node --import tsx test/support/local-channel-child.ts <dataDir> <apiPort> <rtmpPort> <rtmpsPort>
 *
 * Prints the ready line (with `ingest` and the ports it listens on) on stdout.
 */
import * as path from 'node:path';
import { startLiveRuntime } from '../../src-main/channel/live/start-live-runtime';
import { startLocalChannel } from '../../src-main/channel/local-channel';
import { configureLogging } from '../../src-main/core/logger';

async function main(): Promise<void> {
  const [dataDir, apiPort, rtmpPort, rtmpsPort] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: local-channel-child.ts <dataDir> <apiPort> <rtmpPort> <rtmpsPort>');
  configureLogging({ dir: path.join(dataDir, 'logs'), consoleLevel: 'warn' });
  const channel = await startLocalChannel({ dataDir, port: Number(apiPort ?? 0) });
  const live = await startLiveRuntime(channel, { dataDir, rtmpPort: Number(rtmpPort ?? 0), rtmpsPort: Number(rtmpsPort ?? 0) });
  const ports = { api: channel.httpPort, rtmp: live.runtime.ingest.rtmpPort, rtmps: live.runtime.ingest.rtmpsPort };
  process.stdout.write(`${JSON.stringify({ ...channel.readyInfo(), ports })}\n`);
  const stop = async () => {
    await live.dispose();
    await channel.dispose();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  process.stderr.write(`local-channel-child: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
