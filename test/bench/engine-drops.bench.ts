/**
 * Dropped frames of the engine over a long run (issue 5): 720p30 test pattern at IVS settings
 * (x264 veryfast CBR 3.5 Mbps). Counts what ffmpeg dropped or duplicated to hold 30 fps, and compares
 * frames encoded with the wall clock. Target: 0 dropped over 5 minutes.
 *
 *   BENCH_LONG=1 → 5 minutes (the acceptance figure); otherwise 60 s, and the output says so.
 *   BENCH_SECONDS=n overrides both.
 * Run: flock /tmp/ivs-team/bench.lock env BENCH_LONG=1 npx tsx test/bench/engine-drops.bench.ts
 */
import type { ProgramStats } from '../../src-main/contract/domains/program';
import { canvas720, createBenchProgram, ivsSettings, patternCollection, seconds, sleep } from './engine-bench-support';

const duration = seconds('BENCH_SECONDS', process.env.BENCH_LONG === '1' ? 300 : 60);

async function main(): Promise<void> {
  const long = duration >= 300;
  console.log(
    `720p30 test pattern, x264 ${ivsSettings.video.x264Preset} CBR ${ivsSettings.video.bitrateKbps} kbps, for ${duration} s` +
      (long ? '' : ' (short run: set BENCH_LONG=1 for the 5-minute figure)'),
  );
  const engine = await createBenchProgram(patternCollection());
  let last: ProgramStats | undefined;
  let slowest = Infinity;
  engine.onStats((s) => {
    last = s;
    if (s.uptimeMs > 5000) slowest = Math.min(slowest, s.speed);
  });
  const started = Date.now();
  await engine.start();
  await sleep(duration * 1000);
  const wall = (Date.now() - started) / 1000;
  await sleep(1100);
  const stats = last!;
  await engine.dispose();
  console.log(`frames encoded: ${stats.frames} in ${(stats.uptimeMs / 1000).toFixed(1)} s of program (${(stats.frames / (stats.uptimeMs / 1000)).toFixed(2)} fps; expected ${canvas720.fps})`);
  console.log(`DROPPED frames: ${stats.droppedFrames}   duplicated: ${stats.duplicatedFrames}   (target 0 dropped)`);
  console.log(`encoder speed at the end: ${stats.speed}x, slowest after warm-up: ${slowest === Infinity ? 'n/a' : `${slowest}x`}; CPU ${stats.cpuPercent}% of a core; wall ${wall.toFixed(0)} s`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
