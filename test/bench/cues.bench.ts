/**
 * Cue board latency on this machine, with real parts end to end: the studio engine (its embedded
 * local channel, the real @aws-sdk/client-ivs), its HTTP/WebSocket server with the built UI, a real
 * ffmpeg broadcast into the ingest over RTMPS, and the viewer example page in Chromium (hls.js,
 * low-latency HLS) reporting each cue it shows through `cues:report-seen`.
 *
 *   fire → accepted:        the press (cues:fire) to IVS's PutMetadata answer, queue wait included
 *   fire → seen in stream:  the press to the moment the player showed the cue (its wall clock)
 *
 * Two runs: single presses 1.2 s apart (the producer's normal case), and bursts of 20 presses in one
 * second (queued at 5 PutMetadata/s, so fire → accepted grows by design; nothing may be throttled).
 *
 * Needs `npm run build` (the viewer page is served from dist/renderer).
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/cues.bench.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium } from '@playwright/test';
import type { CueFire } from '../../src-main/contract/domains/cues';
import { configureLogging } from '../../src-main/core/logger';
import { StudioEngine } from '../../src-main/engine/studio-engine';
import { StudioServer } from '../../src-main/transport/studio-server';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { until } from '../support/until';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];
const SINGLE_PRESSES = Number(process.env.CUES_BENCH_SINGLES ?? 30);
const BURSTS = Number(process.env.CUES_BENCH_BURSTS ?? 2);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function summarize(values: number[]): { p50: number; p95: number; n: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN, n: sorted.length };
}
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');

async function main(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const staticRoot = path.join(root, 'dist', 'renderer');
  if (!fs.existsSync(path.join(staticRoot, 'viewer.html'))) throw new Error('dist/renderer/viewer.html is missing: run "npm run build" first');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cues-bench-'));
  configureLogging({ dir: path.join(dataDir, 'logs'), consoleLevel: 'error' });
  const engine = new StudioEngine({ dataDir, mode: 'browser', version: 'bench' });
  let server: StudioServer | undefined;
  let pusher: FfmpegPusher | undefined;
  const browser = await chromium.launch({ executablePath: process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    await engine.start();
    server = new StudioServer({ router: engine.router, staticRoot });
    await server.listen('127.0.0.1', 0);
    await engine.accounts.allowSessionSecrets();
    const channel = (await engine.accounts.listChannels('local')).find((c) => c.name === 'default')!;
    await engine.accounts.select('local', channel.arn);
    const target = await engine.accounts.resolveStreamTarget();
    pusher = pushWithFfmpeg(`${target.ingestUrl}${target.streamKey}`, {
      seconds: 600,
      size: '640x360',
      rate: 30,
      bitrate: '800k',
      caFile: path.join(dataDir, 'local-channel', 'tls', 'ca.pem'),
    });
    engine.cues.setArmed(true);
    const playbackUrl = await until(
      async () => {
        await engine.cues.refreshTarget(true);
        const t = engine.cues.getState().target;
        return t?.live && t.playbackUrl ? t.playbackUrl : undefined;
      },
      30_000,
      'the channel to go live',
      100,
    );

    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/viewer.html?playbackUrl=${encodeURIComponent(playbackUrl)}#token=${server.token}`);
    await page.getByTestId('viewer-status').and(page.locator('[data-state="playing"]')).waitFor({ timeout: 30_000 });
    // Let hls.js settle at its live sync point (the page seeks there 1.5 s after playback starts).
    await sleep(4_000);

    const finals = new Map<string, CueFire>();
    const waiters = new Map<string, () => void>();
    engine.cues.onFireUpdated((fire) => {
      if (fire.status === 'seen' || fire.status === 'failed') {
        finals.set(fire.fid, fire);
        waiters.get(fire.fid)?.();
      }
    });
    const settled = (fid: string, timeoutMs = 20_000) =>
      finals.has(fid)
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, timeoutMs);
            waiters.set(fid, () => {
              clearTimeout(timer);
              resolve();
            });
          });

    // 1. Single presses, alternating a JSON template (matched by fid) and free text (matched by text).
    const singles: string[] = [];
    for (let i = 0; i < SINGLE_PRESSES; i++) {
      const fire = await engine.cues.fire({ cueId: i % 2 ? 'note' : 'chapter' }, 'api');
      singles.push(fire.fid);
      await sleep(1_200);
    }
    await Promise.all(singles.map((fid) => settled(fid)));

    // 2. Bursts of 20 presses in one second.
    const bursts: string[] = [];
    for (let b = 0; b < BURSTS; b++) {
      const presses: Promise<CueFire>[] = [];
      for (let i = 0; i < 20; i++) {
        presses.push(engine.cues.fire({ cueId: 'note' }, 'api'));
        await sleep(50);
      }
      bursts.push(...(await Promise.all(presses)).map((f) => f.fid));
      await engine.cues.whenIdle();
      await Promise.all(bursts.map((fid) => settled(fid)));
      await sleep(2_000);
    }

    const log = new Map(engine.cues.getLog().map((f) => [f.fid, f]));
    const report = (name: string, fids: string[]) => {
      const fires = fids.map((fid) => log.get(fid)!);
      const accepted = summarize(fires.filter((f) => f.acceptMs !== undefined).map((f) => f.acceptMs!));
      const seen = summarize(fires.filter((f) => f.deliveryMs !== undefined).map((f) => f.deliveryMs!));
      const failed = fires.filter((f) => f.status === 'failed').length;
      const unseen = fires.filter((f) => f.status !== 'seen' && f.status !== 'failed').length;
      const throttled = fires.reduce((n, f) => n + f.throttled, 0);
      console.log(`${name} (${fires.length} fires)`);
      console.log(`  fire → accepted:        p50 ${ms(accepted.p50)}   p95 ${ms(accepted.p95)}   max ${ms(accepted.max)}`);
      console.log(`  fire → seen in stream:  p50 ${ms(seen.p50)}   p95 ${ms(seen.p95)}   max ${ms(seen.max)}   (${seen.n} seen, ${unseen} not seen, ${failed} failed, ${throttled} throttled retries)`);
    };
    console.log(`local channel, LL-HLS (TS parts), viewer example page (hls.js lowLatencyMode) in Chromium; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
    report('single presses, 1.2 s apart', singles);
    report(`bursts of 20 presses in 1 s (×${BURSTS}), queued at 5/s`, bursts);
    await page.close();
  } finally {
    pusher?.kill();
    await pusher?.exited;
    await browser.close();
    await server?.dispose();
    await engine.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
