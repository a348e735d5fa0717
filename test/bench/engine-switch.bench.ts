/**
 * Scene-switch delay in frames (issue 5): three solid-colour scenes at 720p30, IVS encoder settings.
 * For each cut, the reference is the newest frame that had left the encoder when the switch was asked
 * for; the delay is how many frames later the first frame of the new scene leaves it (decoded from the
 * program's own FLV and classified by colour). Also the zmq round trip (command → "0 Success").
 *
 *   BENCH_SWITCHES=12 (default)
 * Run: flock /tmp/ivs-team/bench.lock npx tsx test/bench/engine-switch.bench.ts
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { encodeFlvHeader, encodeFlvTag, isAvcSequenceHeader, isVideoKeyframe, type FlvTag } from '../../src-main/media/flv';
import { sampleFrameColours } from '../support/program-harness';
import { colourScenes, nameColour, type ColourName } from '../support/scene-fixtures';
import { benchDir, createBenchProgram, seconds, sleep } from './engine-bench-support';

const switches = seconds('BENCH_SWITCHES', 12);
const fps = 30;

async function main(): Promise<void> {
  const colours: ColourName[] = ['red', 'green', 'blue'];
  const engine = await createBenchProgram(colourScenes(colours, { width: 1280, height: 720, fps }));
  const captured: FlvTag[] = [];
  let recording = false;
  let lastVideoTs = -1;
  engine.onTag((tag) => {
    const isFrame = tag.type === 'video' && !isAvcSequenceHeader(tag.data);
    if (!recording && isFrame && isVideoKeyframe(tag.data)) recording = true;
    if (recording) captured.push(tag);
    if (isFrame) lastVideoTs = tag.timestamp;
  });
  await engine.start();
  await engine.nextKeyframe();
  await sleep(1000);
  const asked: { refTs: number; colour: ColourName; replyMs: number }[] = [];
  for (let i = 1; i <= switches; i++) {
    const colour = colours[i % colours.length]!;
    const refTs = lastVideoTs;
    const sent = performance.now();
    await engine.switchScene(`scene-${colour}`, { transition: 'cut' });
    asked.push({ refTs, colour, replyMs: performance.now() - sent });
    await sleep(700 + Math.random() * 300);
  }
  await sleep(500);
  const headers = engine.headerTags();
  await engine.dispose();

  const file = path.join(benchDir, 'switches.flv');
  fs.writeFileSync(file, Buffer.concat([encodeFlvHeader(true, true), ...headers.map((t) => encodeFlvTag({ ...t, timestamp: 0 })), ...captured.map(encodeFlvTag)]));
  const frameTimes = captured.filter((t) => t.type === 'video' && !isAvcSequenceHeader(t.data)).map((t) => t.timestamp);
  const frames = (await sampleFrameColours(file, 640, 360)).map((rgb) => nameColour(rgb));
  if (frames.length !== frameTimes.length) console.log(`(decoded ${frames.length} frames for ${frameTimes.length} video tags)`);

  const delays: number[] = [];
  for (const switchAsked of asked) {
    const index = frames.findIndex((colour, i) => frameTimes[i]! > switchAsked.refTs && colour === switchAsked.colour);
    if (index < 0) {
      console.log(`switch to ${switchAsked.colour}: not found in the output`);
      continue;
    }
    delays.push(Math.round((frameTimes[index]! - switchAsked.refTs) / (1000 / fps)));
  }
  const sorted = [...delays].sort((a, b) => a - b);
  const replies = asked.map((a) => a.replyMs).sort((a, b) => a - b);
  console.log(`cuts: ${asked.length}, found in output: ${delays.length}`);
  console.log(`SWITCH DELAY (frames after the newest frame out when asked): median ${sorted[Math.floor(sorted.length / 2)]}, min ${sorted[0]}, max ${sorted[sorted.length - 1]}  [${delays.join(', ')}]`);
  console.log(`zmq command round trip: median ${replies[Math.floor(replies.length / 2)]!.toFixed(1)} ms, max ${replies[replies.length - 1]!.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
