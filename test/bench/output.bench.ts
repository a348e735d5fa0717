/**
 * Output benchmarks (issue 6), with real parts on this machine:
 *
 *   1. go-live → first byte acknowledged by the ingest: GoLiveService.start() to the local channel
 *      (target resolved through its IVS API, RTMPS handshake + publish) until the publisher's
 *      bytesAcked first moves (the ingest's RTMP Acknowledgement). The program is already running.
 *   2. reconnect time after the ingest returns: the local channel runs in a child process, is killed
 *      (SIGKILL) while live, and restarted on the same ports after an outage; time from its ready line
 *      to the output being live again.
 *   3. the publisher's CPU cost as a fraction of the encoder's: 720p30 x264 veryfast CBR 3.5 Mbps, 2 s
 *      GOP, streamed for 20 s to a local channel in a child process (so this process holds only the
 *      output path: FLV demux, SEI stamping, buffering, RTMP chunking, TLS); CPU of this process over
 *      CPU of the ffmpeg encoder, from /proc (and once more without SEI stamps, to show what they cost).
 *
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/output.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startLiveRuntime } from '../../src-main/channel/live/start-live-runtime';
import { startLocalChannel } from '../../src-main/channel/local-channel';
import type { StreamSnapshot } from '../../src-main/contract/domains/stream';
import { waitForEvent } from '../../src-main/core/emitter';
import { configureLogging } from '../../src-main/core/logger';
import { GoLiveService, type LocalChannelAccess } from '../../src-main/golive/go-live';
import type { RtmpPublisherConnection, RtmpPublishTarget } from '../../src-main/rtmp/types';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { LiveFlvSource, type LiveFlvOptions } from '../support/live-flv-source';
import { fixedPorts, localChannelAccess, startLocalChannelProcess } from '../support/local-channel-process';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-bench-'));
configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const fmt = (values: number[]) => `median ${Math.round(median(values))} ms (runs: ${values.map((v) => Math.round(v)).join(', ')})`;

/** A connection factory that reports when the ingest first acknowledges bytes. */
function watchingAcks(onFirstAck: () => void) {
  return (target: RtmpPublishTarget): RtmpPublisherConnection => {
    const connection = createRtmpPublisherConnection(target);
    const connect = connection.connect.bind(connection);
    connection.connect = async () => {
      await connect();
      const timer = setInterval(() => {
        if (connection.stats().bytesAcked > 0) {
          clearInterval(timer);
          onFirstAck();
        }
      }, 2);
      connection.onDisconnect(() => clearInterval(timer));
    };
    return connection;
  };
}

function programPort(options: LiveFlvOptions, keep: { source?: LiveFlvSource }) {
  return {
    acquire: async () => {
      keep.source ??= new LiveFlvSource(options);
      const source = keep.source;
      return { program: { source }, release: async () => undefined };
    },
  };
}

async function benchFirstAck(): Promise<void> {
  const channel = await startLocalChannel({ dataDir: path.join(dir, 'inproc'), port: 0 });
  const live = await startLiveRuntime(channel, { dataDir: path.join(dir, 'inproc') });
  const access: LocalChannelAccess = { apiEndpoint: channel.apiEndpoint, region: channel.region, credentials: channel.credentials, ingest: { rtmp: live.rtmpUrl, rtmps: live.rtmpsUrl }, caPem: live.caPem };
  const keep: { source?: LiveFlvSource } = {};
  const totals: number[] = [];
  const toLive: number[] = [];
  try {
    keep.source = new LiveFlvSource({ size: '1280x720', bitrate: '3500k', gopSeconds: 2 });
    await sleep(3000); // the program is running before anyone goes live
    for (let run = 0; run < 5; run++) {
      let firstAck: () => void = () => undefined;
      const acked = new Promise<number>((resolve) => (firstAck = () => resolve(performance.now())));
      const goLive = new GoLiveService({ createConnection: watchingAcks(() => firstAck()), program: programPort({}, keep), localChannel: () => access });
      const t0 = performance.now();
      await goLive.start({ target: { kind: 'local-channel' } });
      toLive.push(performance.now() - t0);
      totals.push((await acked) - t0);
      await goLive.stop();
      await goLive.dispose();
      await sleep(1500);
    }
  } finally {
    await keep.source?.stop();
    await live.dispose();
    await channel.dispose();
  }
  console.log(`1. go-live → first byte acknowledged by the ingest: ${fmt(totals)}`);
  console.log(`   of which go-live → publishing (target via the IVS API, RTMPS handshake, publish): ${fmt(toLive)}`);
}

async function benchReconnect(): Promise<void> {
  const ports = fixedPorts();
  const dataDir = path.join(dir, 'child');
  let channel = await startLocalChannelProcess(dataDir, ports, { clock: () => performance.now() });
  const keep: { source?: LiveFlvSource } = {};
  const goLive = new GoLiveService({ createConnection: createRtmpPublisherConnection, program: programPort({ gopSeconds: 2 }, keep), localChannel: () => localChannelAccess(channel.ready) });
  const afterReturn: number[] = [];
  const outages: number[] = [];
  try {
    await goLive.start({ target: { kind: 'local-channel' } });
    for (const outageMs of [1000, 3000, 5000, 2000, 4000]) {
      await sleep(2500);
      channel.child.kill('SIGKILL');
      await waitForEvent(goLive.onStateChange, (s: StreamSnapshot) => s.state === 'reconnecting', 10_000);
      await sleep(outageMs);
      channel = await startLocalChannelProcess(dataDir, ports, { clock: () => performance.now() });
      await waitForEvent(goLive.onStateChange, (s: StreamSnapshot) => s.state === 'live', 30_000);
      afterReturn.push(performance.now() - channel.readyAt);
      outages.push(outageMs);
    }
  } finally {
    await goLive.stop();
    await goLive.dispose();
    await keep.source?.stop();
    channel.child.kill('SIGTERM');
  }
  console.log(`2. reconnect: ingest back (ready line) → live again: ${fmt(afterReturn)} after outages of ${outages.map((o) => `${o / 1000} s`).join(', ')} (retry every 1 s inside IVS's 30 s window)`);
}

function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat (11 and 12 after "pid (comm) "), in clock ticks (100 Hz).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function benchCpu(variant: { stamps: boolean; seconds: number } = { stamps: true, seconds: 20 }): Promise<void> {
  const channel = await startLocalChannelProcess(path.join(dir, 'cpu'), fixedPorts());
  const keep: { source?: LiveFlvSource } = {};
  const options: LiveFlvOptions = { size: '1280x720', rate: 30, bitrate: '3500k', gopSeconds: 2, preset: 'veryfast' };
  const goLive = new GoLiveService({
    createConnection: createRtmpPublisherConnection,
    program: programPort(options, keep),
    localChannel: () => localChannelAccess(channel.ready),
    output: { stamps: variant.stamps ? 'every-frame' : 'off' },
  });
  let ours = 0;
  let encoder = 0;
  let seconds = 0;
  let sent = 0;
  try {
    await goLive.start({ target: { kind: 'local-channel' } });
    await sleep(3000); // settle
    const pid = keep.source!.process.pid!;
    const ourStart = process.cpuUsage();
    const encoderStart = processCpuMs(pid);
    let sentStart = -1;
    const t0 = performance.now();
    let lastBytes = 0;
    const statsSub = goLive.onStats((s) => {
      if (sentStart < 0) sentStart = s.bytesSent;
      lastBytes = s.bytesSent;
    });
    await sleep(variant.seconds * 1000);
    statsSub.dispose();
    const ourDelta = process.cpuUsage(ourStart);
    ours = (ourDelta.user + ourDelta.system) / 1000;
    encoder = processCpuMs(pid) - encoderStart;
    seconds = (performance.now() - t0) / 1000;
    sent = lastBytes - sentStart;
  } finally {
    await goLive.stop();
    await goLive.dispose();
    await keep.source?.stop();
    channel.child.kill('SIGTERM');
  }
  console.log(
    `3. CPU over ${seconds.toFixed(1)} s of 720p30 x264 veryfast 3.5 Mbps to RTMPS${variant.stamps ? '' : ' (no SEI stamps)'}: publisher process ${Math.round(ours)} ms (${((ours / seconds / 10)).toFixed(1)}% of a core), ` +
      `encoder ${Math.round(encoder)} ms (${(encoder / seconds / 10).toFixed(1)}% of a core) → publisher/encoder = ${(ours / encoder).toFixed(3)} (${(sent / 1e6).toFixed(1)} MB sent)`,
  );
}

async function main(): Promise<void> {
  console.log(`output benchmarks on ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown CPU'}), load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  // BENCH_ONLY=first-ack|reconnect|cpu runs one of them (e.g. under --cpu-prof).
  const only = process.env.BENCH_ONLY;
  if (!only || only === 'first-ack') await benchFirstAck();
  if (!only || only === 'reconnect') await benchReconnect();
  if (!only || only === 'cpu') {
    await benchCpu({ stamps: true, seconds: 20 });
    // What the SEI stamps on every frame cost, for comparison.
    await benchCpu({ stamps: false, seconds: 12 });
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => fs.rmSync(dir, { recursive: true, force: true }));
