/**
 * Engine CPU overhead (issue 5): CPU time of the engine encoding a 720p30 test pattern for 60 s
 * (its ffmpeg: capture → compose graph with the zmq command filter, canvas, overlay, audio mix; plus
 * this Node process demuxing the FLV) divided by the CPU time of a bare ffmpeg encoding the same
 * source with the same settings (x264 veryfast, CBR 3.5 Mbps, 2 s GOP, AAC 160k, FLV to a pipe).
 * Target ≤ 1.10. The two run one after the other, each measured over the same window after a warm-up.
 * The bare ffmpeg's FLV is read and demuxed by this process too (an output has to read it either way),
 * so the headline ratio is (engine ffmpeg + engine Node) / (bare ffmpeg + the same reader); the ratio
 * of the two ffmpeg processes alone is printed beside it.
 *
 *   BENCH_SECONDS=60 (default) — the measured window.
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/engine-cpu.bench.ts
 */
import { spawn } from 'node:child_process';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { FlvDemuxer } from '../../src-main/media/flv';
import { buildAudioEncoderArgs, buildVideoEncoderArgs } from '../../src-main/encode/encoder-args';
import { canvas720, cpuSeconds, createBenchProgram, ivsSettings, ownCpuSeconds, patternCollection, seconds, sleep } from './engine-bench-support';

const windowSeconds = seconds('BENCH_SECONDS', 60);
const warmupMs = 4000;

async function measureEngine(): Promise<{ ffmpeg: number; node: number; dropped: number; duplicated: number; frames: number }> {
  const engine = await createBenchProgram(patternCollection());
  let bytes = 0;
  engine.onTag((tag) => (bytes += tag.data.length));
  const { pid } = await engine.start();
  await sleep(warmupMs);
  const ffmpegBefore = await cpuSeconds(pid!);
  const nodeBefore = ownCpuSeconds();
  const framesBefore = (await nextStats(engine)).frames;
  await sleep(windowSeconds * 1000);
  const ffmpegAfter = await cpuSeconds(pid!);
  const nodeAfter = ownCpuSeconds();
  const stats = await nextStats(engine);
  await engine.dispose();
  if (bytes === 0) throw new Error('the engine produced no output');
  return { ffmpeg: ffmpegAfter - ffmpegBefore, node: nodeAfter - nodeBefore, dropped: stats.droppedFrames, duplicated: stats.duplicatedFrames, frames: stats.frames - framesBefore };
}

function nextStats(engine: Awaited<ReturnType<typeof createBenchProgram>>) {
  return new Promise<{ frames: number; droppedFrames: number; duplicatedFrames: number }>((resolve) => {
    const subscription = engine.onStats((s) => {
      subscription.dispose();
      resolve(s);
    });
  });
}

async function measureBare(): Promise<{ ffmpeg: number; node: number }> {
  const { width, height, fps } = canvas720;
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-re', '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}`,
    '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-map', '0:v', '-map', '1:a',
    ...buildVideoEncoderArgs('x264', ivsSettings, canvas720),
    ...buildAudioEncoderArgs(ivsSettings),
    '-fps_mode', 'cfr', '-r', String(fps),
    '-f', 'flv', '-flvflags', 'no_duration_filesize', '-flush_packets', '1', 'pipe:1',
  ];
  const child = spawn(findFfmpeg().path, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const demuxer = new FlvDemuxer();
  let tags = 0;
  child.stdout.on('data', (chunk: Buffer) => (tags += demuxer.push(chunk).length));
  await sleep(warmupMs);
  const before = await cpuSeconds(child.pid!);
  const nodeBefore = ownCpuSeconds();
  await sleep(windowSeconds * 1000);
  const after = await cpuSeconds(child.pid!);
  const nodeAfter = ownCpuSeconds();
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('close', resolve));
  if (tags === 0) throw new Error('the bare ffmpeg produced no output');
  return { ffmpeg: after - before, node: nodeAfter - nodeBefore };
}

async function main(): Promise<void> {
  console.log(`720p30 test pattern + 440 Hz tone, x264 ${ivsSettings.video.x264Preset} CBR ${ivsSettings.video.bitrateKbps} kbps, ${ivsSettings.video.keyframeIntervalSec} s GOP, AAC ${ivsSettings.audio.bitrateKbps}k; window ${windowSeconds} s after ${warmupMs / 1000} s warm-up`);
  const bare = await measureBare();
  console.log(`bare ffmpeg:           ${bare.ffmpeg.toFixed(2)} s CPU (${((bare.ffmpeg / windowSeconds) * 100).toFixed(1)}% of a core)`);
  console.log(`bare reader (Node):    ${bare.node.toFixed(2)} s CPU`);
  const engine = await measureEngine();
  const total = engine.ffmpeg + engine.node;
  console.log(`engine ffmpeg:         ${engine.ffmpeg.toFixed(2)} s CPU (${((engine.ffmpeg / windowSeconds) * 100).toFixed(1)}% of a core)`);
  console.log(`engine Node (FLV out): ${engine.node.toFixed(2)} s CPU`);
  console.log(`engine frames in window: ${engine.frames} (expected ${windowSeconds * canvas720.fps}); dropped ${engine.dropped}, duplicated ${engine.duplicated} since start`);
  console.log(`RATIO engine/bare, each with its FLV reader: ${(total / (bare.ffmpeg + bare.node)).toFixed(3)}   (target ≤ 1.10)`);
  console.log(`ratio of the ffmpeg processes alone:         ${(engine.ffmpeg / bare.ffmpeg).toFixed(3)}`);
  console.log(`ratio engine (ffmpeg + Node) / bare ffmpeg:  ${(total / bare.ffmpeg).toFixed(3)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
