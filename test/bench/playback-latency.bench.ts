/**
 * Playback benchmarks for the local channel (issue 4), on this machine, with real parts:
 *
 *   1. publish → first playable part: ffmpeg starts pushing over RTMPS; time until the playback URL
 *      serves a playlist whose first part downloads (from ffmpeg spawn, and from the ingest accepting
 *      the publish).
 *   2. glass-to-glass latency, ffmpeg push → hls.js in Chromium: ffmpeg burns its wall clock at capture
 *      (ms mod 2^24 as a 24-bit barcode, via setpts=RTCTIME + geq) into every frame; the page reads it
 *      back from each displayed frame (requestVideoFrameCallback + canvas) and subtracts it from the
 *      frame's display time. Three players: hls.js lowLatencyMode seeking once to hls.liveSyncPosition
 *      (holding PART-HOLD-BACK; target ≤ 1.0 s), an untuned `new Hls()` page (target ≤ 1.5 s), and the
 *      tuned player on a FRAGMENTED_MP4 channel.
 *   3. PutMetadata → cue shown: the real SDK call to the `cuechange` that shows it (p50; target ≤ 1.0 s).
 *   4. playlist responses with 200 concurrent loopback LL-HLS clients (a worker thread): each client
 *      does what hls.js does — blocking reload for the next part, then GET the part — while a sampler
 *      times plain playlist reloads. Reports blocking-reload delivery after the part was published and
 *      plain playlist response time, p50/p99.
 *
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/playback-latency.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { CreateChannelCommand, GetStreamCommand, IvsClient, PutMetadataCommand } from '@aws-sdk/client-ivs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { configureLogging } from '../../src-main/core/logger';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { startViewerOrigin, type ViewerOrigin } from '../e2e/playback-viewer-page';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];

/** ffmpeg -vf: stamp the capture wall clock as a barcode, then give the encoder regular timestamps. */
export const WALL_CLOCK_BARCODE_FILTER = [
  'settb=1/1000000,setpts=RTCTIME,split[main][bar]',
  "[bar]crop=288:16:0:0,geq=lum='255*mod(floor(mod(floor(T*1000)\\,16777216)/pow(2\\,floor(X/12)))\\,2)':cb=128:cr=128[code]",
  '[main][code]overlay=0:0,settb=1/30,setpts=N',
].join(';');

interface Summary {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), n: sorted.length };
}

const ms = (v: number) => `${Math.round(v)} ms`;
const sec = (v: number) => `${(v / 1000).toFixed(2)} s`;
const sleep = (t: number) => new Promise((resolve) => setTimeout(resolve, t));

interface Setup {
  dataDir: string;
  local: LocalChannel;
  live: LocalChannelLive;
  ivs: IvsClient;
  viewer: ViewerOrigin;
  browser: Browser;
  pushers: FfmpegPusher[];
}

async function createChannel(setup: Setup, name: string, containerFormat: 'TS' | 'FRAGMENTED_MP4' = 'TS') {
  const created = await setup.ivs.send(new CreateChannelCommand({ name, containerFormat }));
  return { arn: created.channel!.arn!, playbackUrl: created.channel!.playbackUrl!, key: created.streamKey!.value! };
}

function push(setup: Setup, key: string, seconds: number, barcode: boolean): FfmpegPusher {
  const pusher = pushWithFfmpeg(setup.live.rtmpsUrl + key, {
    seconds,
    size: '640x360',
    rate: 30,
    bitrate: '1200k',
    caFile: setup.live.caFile,
    extra: barcode ? ['-vf', WALL_CLOCK_BARCODE_FILTER] : [],
  });
  setup.pushers.push(pusher);
  return pusher;
}

async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs: number, intervalMs = 10): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(intervalMs);
  }
}

async function stopPush(setup: Setup, arn: string, pusher: FfmpegPusher): Promise<void> {
  pusher.kill('SIGKILL');
  await pusher.exited;
  await waitUntil(() => setup.ivs.send(new GetStreamCommand({ channelArn: arn })).then(() => undefined, () => true), 15_000, 100);
}

/* ------------------------------------------------------------------ 1. publish → first playable part */

async function benchFirstPart(setup: Setup, trials: number) {
  const fromSpawn: number[] = [];
  const fromAccept: number[] = [];
  const channel = await createChannel(setup, 'bench-first-part');
  for (let i = 0; i < trials; i++) {
    const spawnedAt = Date.now();
    const pusher = push(setup, channel.key, 20, false);
    const acceptedAt = await waitUntil(async () => {
      const status = setup.live.runtime.liveStream(channel.arn);
      return status ? Date.parse(status.startTime) : undefined;
    }, 15_000, 5);
    const playableAt = await waitUntil(async () => {
      const multivariant = await fetch(channel.playbackUrl);
      if (multivariant.status !== 200) return undefined;
      const mediaUrl = new URL((await multivariant.text()).split('\n').find((l) => l && !l.startsWith('#'))!, channel.playbackUrl);
      const playlist = await (await fetch(mediaUrl)).text();
      const part = /#EXT-X-PART:[^\n]*URI="([^"]+)"/.exec(playlist)?.[1];
      if (!part) return undefined;
      const response = await fetch(new URL(part, mediaUrl));
      await response.arrayBuffer();
      return response.status === 200 ? Date.now() : undefined;
    }, 15_000, 5);
    fromSpawn.push(playableAt - spawnedAt);
    fromAccept.push(playableAt - acceptedAt);
    await stopPush(setup, channel.arn, pusher);
  }
  return { fromSpawn: summarize(fromSpawn), fromAccept: summarize(fromAccept) };
}

/* ------------------------------------------------------------------ 2 + 3. glass-to-glass, cues */

interface PageLatency {
  glass: Summary;
  /** hls.js's own target (PART-HOLD-BACK unless it raised it after stalls), seconds. */
  targetLatency: number;
  hlsLatency: Summary;
  cue?: Summary;
  errors: string[];
}

async function measurePlayer(setup: Setup, playbackUrl: string, arn: string, options: { config: 'low-latency' | 'default'; seek: boolean; settleMs: number; measureMs: number; cues: number }): Promise<PageLatency> {
  const page: Page = await setup.browser.newPage();
  try {
    await page.goto(setup.viewer.pageUrl(playbackUrl, options.config, { barcode: true, seek: options.seek }));
    await page.waitForFunction(() => (window as unknown as { viewer: { playing: boolean } }).viewer.playing, undefined, { timeout: 20_000 });
    await sleep(options.settleMs);
    const from = Date.now();
    const sent = new Map<string, number>();
    const cueInterval = options.cues > 0 ? options.measureMs / (options.cues + 1) : 0;
    for (let i = 0; i < options.cues; i++) {
      await sleep(cueInterval);
      const id = `cue-${i}-${Math.random().toString(36).slice(2)}`;
      sent.set(id, Date.now());
      await setup.ivs.send(new PutMetadataCommand({ channelArn: arn, metadata: JSON.stringify({ id }) }));
    }
    await sleep(Math.max(0, options.measureMs - (Date.now() - from)));
    const state = await page.evaluate(() => (window as unknown as { viewer: { latencies: Array<{ at: number; latency: number }>; hlsLatencies: number[]; targetLatency: number; cues: Array<{ text: string; shownAt: number }>; errors: Array<{ details: string; fatal: boolean }> } }).viewer);
    const latencies = state.latencies.filter((l) => l.at >= from).map((l) => l.latency).filter((l) => l < 30_000);
    const cueDelays = state.cues.flatMap((cue) => {
      const id = (JSON.parse(cue.text) as { id: string }).id;
      const at = sent.get(id);
      return at === undefined ? [] : [cue.shownAt - at];
    });
    return {
      glass: summarize(latencies),
      targetLatency: state.targetLatency,
      hlsLatency: summarize(state.hlsLatencies.slice(-300)),
      cue: options.cues > 0 ? { ...summarize(cueDelays), n: cueDelays.length } : undefined,
      errors: state.errors.map((e) => `${e.details}${e.fatal ? ' (fatal)' : ''}`),
    };
  } finally {
    await page.close();
  }
}

/* ------------------------------------------------------------------ 4. 200 concurrent clients */

/** 200 hls.js-like clients in one worker thread: blocking reload for the next part, then GET the part. */
const CLIENT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { playbackUrl, clients, durationMs } = workerData;
const now = () => performance.timeOrigin + performance.now();
const blocking = [];
let stop = false;
let errors = 0;
async function client() {
  const text = await (await fetch(playbackUrl)).text();
  const url = new URL(text.split('\\n').find((l) => l && !l.startsWith('#')), playbackUrl).toString();
  let body = await (await fetch(url)).text();
  while (!stop) {
    const hint = /PRELOAD-HINT:TYPE=PART,URI="seg(\\d+)\\.(\\d+)\\.(ts|m4s)"/.exec(body);
    if (!hint) break;
    const started = now();
    const response = await fetch(url + '?_HLS_msn=' + hint[1] + '&_HLS_part=' + hint[2]).catch(() => undefined);
    if (!response || response.status !== 200) { errors++; await new Promise((r) => setTimeout(r, 100)); body = await (await fetch(url)).text(); continue; }
    body = await response.text();
    blocking.push({ msn: Number(hint[1]), part: Number(hint[2]), started, answered: now() });
    const parts = [...body.matchAll(/#EXT-X-PART:[^\\n]*URI="([^"]+)"/g)];
    const newest = parts.at(-1);
    if (newest) {
      const part = await fetch(new URL(newest[1], url)).catch(() => undefined);
      if (part) await part.arrayBuffer();
    }
  }
}
const runs = Array.from({ length: clients }, () => client().catch(() => { errors++; }));
setTimeout(() => { stop = true; }, durationMs);
Promise.all(runs).then(() => parentPort.postMessage({ blocking, errors }));
`;

/** A lone sampler in its own thread, so its timings are the server's and not the 200 clients' loop. */
const SAMPLER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { playbackUrl, durationMs } = workerData;
const plain = [];
(async () => {
  const text = await (await fetch(playbackUrl)).text();
  const url = new URL(text.split('\\n').find((l) => l && !l.startsWith('#')), playbackUrl).toString();
  const until = Date.now() + durationMs;
  while (Date.now() < until) {
    const started = performance.now();
    const response = await fetch(url);
    await response.text();
    plain.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  parentPort.postMessage({ plain });
})();
`;

function runWorker<T>(code: string, workerData: unknown): { result: Promise<T>; worker: Worker } {
  const worker = new Worker(code, { eval: true, workerData });
  const result = new Promise<T>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { result, worker };
}

async function benchConcurrentClients(setup: Setup, playbackUrl: string, arn: string, clients: number, durationMs: number) {
  const stream = setup.live.playback.stream(arn);
  if (!stream) throw new Error('no live stream to load');
  const published: Array<{ msn: number; part: number; at: number }> = [];
  const subscription = stream.timeline.onChange((change) => {
    if (change.kind === 'part') published.push({ msn: change.part.msn, part: change.part.index, at: performance.timeOrigin + performance.now() });
  });
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const load = runWorker<{ blocking: Array<{ msn: number; part: number; started: number; answered: number }>; errors: number }>(CLIENT_WORKER, { playbackUrl, clients, durationMs });
  await sleep(2000); // let the clients reach their steady loop before sampling
  const sampler = runWorker<{ plain: number[] }>(SAMPLER_WORKER, { playbackUrl, durationMs: durationMs - 3000 });
  let viewers = 0;
  const viewerProbe = setInterval(() => (viewers = Math.max(viewers, setup.live.playback.viewerCount(arn))), 500);
  const [result, sampled] = await Promise.all([load.result, sampler.result]);
  clearInterval(viewerProbe);
  loop.disable();
  subscription.dispose();
  await Promise.all([load.worker.terminate(), sampler.worker.terminate()]);
  // Delivery: from the publication of the first part that satisfies the request to the response.
  const delivery = result.blocking.flatMap((b) => {
    const satisfying = published.find((p) => p.msn > b.msn || (p.msn === b.msn && p.part >= b.part));
    return satisfying && satisfying.at >= b.started ? [b.answered - satisfying.at] : [];
  });
  return {
    delivery: summarize(delivery),
    plain: summarize(sampled.plain),
    requestsPerSecond: (result.blocking.length * 2) / (durationMs / 1000),
    errors: result.errors,
    viewers,
    serverLoopDelayP99: loop.percentile(99) / 1e6,
  };
}

/* ------------------------------------------------------------------ main */

export async function main(): Promise<void> {
  configureLogging({ consoleLevel: 'error' });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playback-bench-'));
  const local = await startLocalChannel({ dataDir, port: 0 });
  const live = await startLiveRuntime(local, { dataDir });
  const setup: Setup = {
    dataDir,
    local,
    live,
    ivs: new IvsClient({ region: local.region, endpoint: local.apiEndpoint, credentials: local.credentials }),
    viewer: await startViewerOrigin(),
    browser: await chromium.launch({ executablePath: process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS }),
    pushers: [],
  };
  const lines: string[] = [];
  const report = (line: string) => {
    lines.push(line);
    console.log(line);
  };
  try {
    report(`playback benchmarks — ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join('/')} at start, parts 0.2 s (PART-HOLD-BACK 0.6 s), 640x360p30 x264 ultrafast 1.2 Mbps, 1 s GOP, RTMPS ingest`);

    const first = await benchFirstPart(setup, 5);
    report(`publish → first playable part: p50 ${sec(first.fromSpawn.p50)} from ffmpeg spawn, ${sec(first.fromAccept.p50)} from the ingest accepting the publish (n=${first.fromSpawn.n}, p95 ${sec(first.fromSpawn.p95)} / ${sec(first.fromAccept.p95)})`);

    const ts = await createChannel(setup, 'bench-latency-ts');
    const tsPusher = push(setup, ts.key, 180, true);
    await waitUntil(() => fetch(ts.playbackUrl).then((r) => (r.status === 200 ? true : undefined)), 15_000, 50);

    const tuned = await measurePlayer(setup, ts.playbackUrl, ts.arn, { config: 'low-latency', seek: true, settleMs: 4000, measureMs: 20_000, cues: 10 });
    report(`glass-to-glass, hls.js lowLatencyMode + one seek to liveSyncPosition (TS): p50 ${sec(tuned.glass.p50)}, p95 ${sec(tuned.glass.p95)} (n=${tuned.glass.n} frames; hls.latency p50 ${sec(tuned.hlsLatency.p50)}, hls.js target ${tuned.targetLatency.toFixed(2)} s) — target ≤ 1.00 s, ratio ${(tuned.glass.p50 / 1000).toFixed(2)}`);
    report(`PutMetadata → cue shown (SDK call to cuechange, tuned player): p50 ${sec(tuned.cue!.p50)}, p95 ${sec(tuned.cue!.p95)} (${tuned.cue!.n}/10 cues) — target ≤ 1.00 s, ratio ${(tuned.cue!.p50 / 1000).toFixed(2)}`);

    const untuned = await measurePlayer(setup, ts.playbackUrl, ts.arn, { config: 'default', seek: false, settleMs: 6000, measureMs: 20_000, cues: 0 });
    report(`glass-to-glass, untuned \`new Hls()\` page (TS): p50 ${sec(untuned.glass.p50)}, p95 ${sec(untuned.glass.p95)} (n=${untuned.glass.n}; hls.latency p50 ${sec(untuned.hlsLatency.p50)}, hls.js target ${untuned.targetLatency.toFixed(2)} s) — target ≤ 1.50 s, ratio ${(untuned.glass.p50 / 1500).toFixed(2)}`);

    const load = await benchConcurrentClients(setup, ts.playbackUrl, ts.arn, 200, 15_000);
    report(`200 concurrent LL-HLS clients (viewerCount ${load.viewers}, ${Math.round(load.requestsPerSecond)} req/s): playlist response p50 ${ms(load.plain.p50)}, p99 ${ms(load.plain.p99)} (n=${load.plain.n}); blocking reload answered after its part was published p50 ${ms(load.delivery.p50)}, p99 ${ms(load.delivery.p99)} (n=${load.delivery.n}); server event-loop delay p99 ${ms(load.serverLoopDelayP99)}; errors ${load.errors}`);
    await stopPush(setup, ts.arn, tsPusher);

    const mp4 = await createChannel(setup, 'bench-latency-fmp4', 'FRAGMENTED_MP4');
    const mp4Pusher = push(setup, mp4.key, 60, true);
    await waitUntil(() => fetch(mp4.playbackUrl).then((r) => (r.status === 200 ? true : undefined)), 15_000, 50);
    const tunedMp4 = await measurePlayer(setup, mp4.playbackUrl, mp4.arn, { config: 'low-latency', seek: true, settleMs: 4000, measureMs: 15_000, cues: 0 });
    report(`glass-to-glass, hls.js lowLatencyMode + seek (FRAGMENTED_MP4): p50 ${sec(tunedMp4.glass.p50)}, p95 ${sec(tunedMp4.glass.p95)} (n=${tunedMp4.glass.n})`);
    await stopPush(setup, mp4.arn, mp4Pusher);

    const errors = [...tuned.errors, ...untuned.errors, ...tunedMp4.errors];
    report(`hls.js errors during the runs: ${errors.length === 0 ? 'none' : [...new Set(errors)].join(', ')}`);
  } finally {
    for (const pusher of setup.pushers) pusher.kill('SIGKILL');
    await setup.browser.close();
    await setup.viewer.dispose();
    setup.ivs.destroy();
    await live.dispose();
    await local.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const out = path.resolve(__dirname, '..', '..', 'test-results', 'bench-playback.txt');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${lines.join('\n')}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
