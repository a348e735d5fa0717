/**
 * Preview and program monitor benchmarks (issue 8), on this machine, with real parts:
 *
 *   1. Preview glass-to-glass latency: `ivs-studio serve` with its embedded local channel; go live from
 *      the Go Live pane in Chromium (program ffmpeg → the studio's output with its SEI wall-clock stamps
 *      → RTMPS → LL-HLS); the Preview pane's hls.js player holds PART-HOLD-BACK. For every frame the
 *      video element presents, display wall clock − the frame's SEI stamp (test/support/preview-probe.ts).
 *      p50 and p95 (target p50 ≤ 1.0 s), with hls.js's own latency and the readout's figures beside.
 *   2. Program monitor delay: capture (the program's media time on the wall clock) → the JPEG in the
 *      page, as the Program pane measures it.
 *   3. Program monitor CPU: the program at IVS's 720p30 settings (x264 veryfast, 3.5 Mbps) run twice for
 *      the same time, without and with the monitor taps (MJPEG 480p10 + audio meters, frames encoded for
 *      a listener as the API would): the extra CPU (ffmpeg + this process) as a fraction of the engine's.
 *
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/preview.bench.ts
 */
import * as os from 'node:os';
import { chromium } from '@playwright/test';
import { ProgramMonitorTap } from '../../src-main/monitor/monitor-taps';
import { ProgramEngine } from '../../src-main/program/program-engine';
import { installPreviewProbe, type ProbeResult } from '../support/preview-probe';
import { StudioApp } from '../support/studio-app';
import { benchDir, cpuSeconds, ivsSettings, ownCpuSeconds, patternCollection, sleep } from './engine-bench-support';
import { probeFfmpeg } from '../../src-main/ffmpeg/probe';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--autoplay-policy=no-user-gesture-required'];
const STUDIO_SEI_UUID = '7308d79e-43ce-4e16-997e-0438fe841425';
const MEASURE_MS = Number(process.env.PREVIEW_BENCH_SECONDS ?? 30) * 1000;

const pct = (values: number[], p: number) => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
};
const ms = (v: number) => (Number.isFinite(v) ? `${Math.round(v)} ms` : 'n/a');

/** The studio's program for the latency run: 640×360 test pattern, x264 ultrafast, 1 s keyframes. */
const seedFiles = {
  'scenes.json': JSON.stringify({ ...patternCollection(), canvas: { width: 640, height: 360, fps: 30 }, scenes: [{ id: 'main', name: 'Main', items: [{ id: 'full', sourceId: 'pattern', x: 0, y: 0, width: 640, height: 360, crop: { top: 0, right: 0, bottom: 0, left: 0 }, opacity: 1, visible: true }] }] }),
  'program.json': JSON.stringify({ encoder: { channelType: 'STANDARD', video: { encoder: 'x264', bitrateKbps: 1200, keyframeIntervalSec: 1, x264Preset: 'ultrafast', profile: 'main' }, audio: { bitrateKbps: 96, sampleRate: 48000, channels: 2 } } }),
};

async function latencyBench(): Promise<void> {
  const browser = await chromium.launch({ executablePath: process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const app = new StudioApp(browser, { seedFiles });
  try {
    await app.start();
    const { page } = app;
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.getByTestId('go-live').click();
    await page.getByTestId('stream-state').and(page.locator('[data-state="live"]')).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="preview-state"][data-state="playing"]').waitFor({ timeout: 60_000 });
    // Let the player seek to its target and settle.
    await sleep(6000);
    // tsx (esbuild keepNames) wraps named functions in __name(); the page has no such helper.
    await page.evaluate('globalThis.__name = (f) => f');
    const deadline = Date.now() + 20_000;
    while (!(await page.evaluate(installPreviewProbe, STUDIO_SEI_UUID))) {
      if (Date.now() > deadline) throw new Error('the preview player never exposed its hls.js instance');
      await sleep(200);
    }
    const mark = await app.mark();
    await sleep(MEASURE_MS);
    const probe = (await page.evaluate(() => window.__previewProbe)) as ProbeResult;
    const events = await page.evaluate((after) => window.__studioTest!.events().filter((e) => e.seq > after).map((e) => ({ name: e.name, payload: e.payload as Record<string, number | undefined> })), mark);
    const latencies = probe.samples.map((s) => s.latency);
    const buffers = events.filter((e) => e.name === 'ui:preview-latency' && e.payload.bufferMs !== undefined).map((e) => e.payload.bufferMs!);
    const targets = events.filter((e) => e.name === 'ui:preview-latency' && e.payload.targetMs !== undefined).map((e) => e.payload.targetMs!);
    const monitorDelays = events.filter((e) => e.name === 'ui:program-monitor' && e.payload.delayMs !== undefined).map((e) => e.payload.delayMs!);
    const monitorFps = events.filter((e) => e.name === 'ui:program-monitor').map((e) => e.payload.fps ?? 0);
    const reconnects = events.filter((e) => e.name === 'ui:preview-state' && (e.payload as unknown as { state: string }).state === 'reconnecting').length;
    console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(`preview glass-to-glass (SEI stamps, ${latencies.length} presented frames over ${MEASURE_MS / 1000} s): p50 ${ms(pct(latencies, 50))}, p95 ${ms(pct(latencies, 95))} (target p50 ≤ 1000 ms)`);
    console.log(`  hls.js latency (buffer) p50 ${ms(pct(buffers, 50))}; held target (PART-HOLD-BACK) ${ms(pct(targets, 50))}; preview reconnects during the run: ${reconnects}`);
    console.log(`program monitor delay (capture → JPEG in the page): p50 ${ms(pct(monitorDelays, 50))}, p95 ${ms(pct(monitorDelays, 95))}; ${pct(monitorFps, 50)} fps shown`);
    await page.getByRole('button', { name: /^Stop/ }).first().click().catch(() => undefined);
    await sleep(2000);
  } finally {
    await app.close();
    await browser.close();
  }
}

/** CPU of the program (ffmpeg + this process) for `seconds`, with or without the monitor taps. */
async function programCpu(withTap: boolean, seconds: number): Promise<{ ffmpeg: number; node: number; frames: number }> {
  const caps = await probeFfmpeg(findFfmpeg());
  const dataDir = fs.mkdtempSync(path.join(benchDir, withTap ? 'tap-' : 'plain-'));
  const tap = withTap ? new ProgramMonitorTap() : undefined;
  let frames = 0;
  // What the API does with each frame: it is serialised for every window (JSON over the WebSocket).
  tap?.onFrame((frame) => {
    frames++;
    JSON.stringify({ type: 'event', event: 'monitor:program-frame', payload: frame });
  });
  tap?.onAudioLevels((levels) => JSON.stringify(levels));
  const engine = new ProgramEngine({ dataDir, collection: patternCollection, ffmpeg: async () => ({ path: caps.path, ffprobePath: findFfprobe(), capabilities: caps }), ...(tap ? { monitorTap: tap } : {}) });
  engine.setEncoderSettings(ivsSettings);
  try {
    const { pid } = await engine.start();
    await sleep(3000);
    const ffmpeg0 = await cpuSeconds(pid!);
    const node0 = ownCpuSeconds();
    await sleep(seconds * 1000);
    const ffmpeg = (await cpuSeconds(pid!)) - ffmpeg0;
    const node = ownCpuSeconds() - node0;
    return { ffmpeg: ffmpeg / seconds, node: node / seconds, frames };
  } finally {
    await engine.dispose();
    tap?.dispose();
  }
}

async function monitorCpuBench(): Promise<void> {
  const seconds = Number(process.env.PREVIEW_BENCH_CPU_SECONDS ?? 20);
  // Alternate twice to even out the shared machine's load.
  const plain = [await programCpu(false, seconds)];
  const tapped = [await programCpu(true, seconds)];
  plain.push(await programCpu(false, seconds));
  tapped.push(await programCpu(true, seconds));
  const avg = (runs: Array<{ ffmpeg: number; node: number }>) => runs.reduce((n, r) => n + r.ffmpeg + r.node, 0) / runs.length;
  const base = avg(plain);
  const with_ = avg(tapped);
  console.log(`program at 720p30 x264 veryfast: ${(base * 100).toFixed(0)}% of a core without the monitor, ${(with_ * 100).toFixed(0)}% with it (ffmpeg + engine process)`);
  console.log(`program monitor CPU: +${((with_ - base) * 100).toFixed(1)}% of a core = ${(((with_ - base) / with_) * 100).toFixed(1)}% of the engine's (monitor frames: ${tapped.map((t) => t.frames).join(', ')} in ${seconds} s runs)`);
}

async function main(): Promise<void> {
  await latencyBench();
  await monitorCpuBench();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
