/**
 * The program monitor and the audio meters, tapped from the real program ffmpeg before encoding: JPEG
 * frames of the composed picture (right size, right colour, about the monitor's frame rate), levels
 * for the program mix and each source, after the source's gain, that match what the sources play (a
 * 440 Hz tone at ffmpeg's default amplitude 1/8, upmixed to stereo at −3 dB, is −21.1 dBFS peak and
 * −24.1 dBFS RMS; with +6 dB of gain −15.1 / −18.1; a muted source is silent) — while the encoded
 * program keeps flowing untouched. Switching the scene shows in the monitor.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import type { AudioLevels, ProgramFrame } from '../../src-main/contract/domains/monitor';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { ProgramMonitorTap } from '../../src-main/monitor/monitor-taps';
import { createTestProgram, sleep, type TestProgram } from '../support/program-harness';
import { colourScenes, nameColour, source } from '../support/scene-fixtures';

let program: TestProgram | undefined;
let tap: ProgramMonitorTap | undefined;
afterEach(async () => {
  await program?.dispose();
  tap?.dispose();
  program = undefined;
});

/** The RGB of the centre pixel of a JPEG, decoded by ffmpeg. */
function centreColour(jpeg: Buffer, width: number, height: number): number[] {
  const raw = execFileSync(findFfmpeg().path, ['-v', 'error', '-f', 'image2pipe', '-c:v', 'mjpeg', '-i', 'pipe:0', '-vf', `crop=2:2:${width / 2}:${height / 2}`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'], { input: jpeg });
  return [...raw.subarray(0, 3)];
}

function jpegSize(jpeg: Buffer): { width: number; height: number } {
  // SOF0 (FF C0): length(2) precision(1) height(2) width(2).
  const at = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
  return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
}

describe('program monitor taps', () => {
  it('frames and meters from the running program, before encoding', async () => {
    const collection = colourScenes(['red', 'blue'], { width: 640, height: 360, fps: 30 });
    collection.sources.push(source('tone', { kind: 'test-pattern', pattern: 'testsrc', toneHz: 440 }, { gainDb: 6 }), source('quiet', { kind: 'test-pattern', pattern: 'testsrc', toneHz: 880 }, { muted: true }));
    collection.globalAudio = ['tone', 'quiet'];
    tap = new ProgramMonitorTap({ width: 320, fps: 10, quality: 6, meterWindowMs: 100, maxSourceMeters: 8 });
    const frames: Array<ProgramFrame & { capturedAt: number }> = [];
    const levels: AudioLevels[] = [];
    tap.onFrame((f) => frames.push({ ...f, seq: frames.length }));
    tap.onAudioLevels((l) => levels.push(l));
    program = createTestProgram(collection, { monitorTap: tap });
    let encodedTags = 0;
    program.engine.onTag(() => encodedTags++);
    await program.engine.start();
    expect(tap.state()).toMatchObject({ state: 'running', width: 320, height: 180, fps: 10, views: ['program'] });
    await sleep(2500);
    const beforeSwitch = frames.length;
    await program.engine.switchScene('scene-blue');
    await sleep(1500);
    await program.engine.stop();
    expect(tap.state().state).toBe('off');

    // The encoded program was not disturbed.
    expect(encodedTags).toBeGreaterThan(100);
    // About 10 frames a second of the composed picture, at the monitor's size.
    expect(frames.length).toBeGreaterThan(25);
    const first = Buffer.from(frames[2]!.jpeg, 'base64');
    expect(jpegSize(first)).toEqual({ width: 320, height: 180 });
    expect(nameColour(centreColour(first, 320, 180))).toBe('red');
    expect(nameColour(centreColour(Buffer.from(frames.at(-1)!.jpeg, 'base64'), 320, 180))).toBe('blue');
    expect(beforeSwitch).toBeGreaterThan(15);
    // Capture-time estimates are never later than arrival, and advance with the frames.
    for (const f of frames) expect(f.capturedAt).toBeLessThanOrEqual(f.at);
    expect(frames.at(-1)!.capturedAt - frames[0]!.capturedAt).toBeGreaterThan(2500);

    // Meters: the program mix and both sources, up to 10 readings a second (fewer on a starved machine).
    expect(levels.length).toBeGreaterThanOrEqual(6);
    const late = levels.slice(2);
    const meter = (id: string) => late.map((l) => l.meters.find((m) => m.id === id)).filter((m) => m !== undefined);
    const tone = meter('tone');
    const quiet = meter('quiet');
    const mix = meter('program');
    expect(tone.length).toBeGreaterThanOrEqual(3);
    expect(quiet.length).toBeGreaterThanOrEqual(3);
    for (const m of tone) {
      expect(m.peakDb).toBeGreaterThan(-15.6);
      expect(m.peakDb).toBeLessThan(-14.6);
      expect(m.rmsDb).toBeGreaterThan(-18.6);
      expect(m.rmsDb).toBeLessThan(-17.6);
      expect(m.clipped).toBe(false);
    }
    for (const m of quiet) expect(m.peakDb).toBeLessThanOrEqual(-100);
    // The mix carries the tone (the muted source adds nothing).
    expect(Math.max(...mix.map((m) => m.peakDb))).toBeGreaterThan(-15.6);
    expect(late[0]!.meters.map((m) => m.label)).toEqual(expect.arrayContaining(['Program mix', 'tone', 'quiet']));
  }, 60_000);

  it('studio mode: the scene in preview beside the program, following the preview scene live', async () => {
    const collection = colourScenes(['red', 'blue', 'green'], { width: 320, height: 180, fps: 30 });
    collection.studioMode = true;
    collection.previewSceneId = 'scene-blue';
    tap = new ProgramMonitorTap({ width: 320, fps: 10, quality: 6, meterWindowMs: 100, maxSourceMeters: 8 });
    const frames: Array<{ view: string; jpeg: string; at: number }> = [];
    tap.onFrame((f) => frames.push(f));
    program = createTestProgram(collection, { monitorTap: tap });
    await program.engine.start();
    expect(tap.state().views).toEqual(['program', 'preview']);
    await sleep(2000);
    const switchedAt = Date.now();
    const next = { ...structuredClone(collection), previewSceneId: 'scene-green' };
    program.setCollection(next);
    await program.engine.applyCollection(next);
    await sleep(1500);
    await program.engine.stop();

    const colour = (f: { jpeg: string }) => nameColour(centreColour(Buffer.from(f.jpeg, 'base64'), 320, 180));
    const programFrames = frames.filter((f) => f.view === 'program');
    const previewFrames = frames.filter((f) => f.view === 'preview');
    expect(programFrames.length).toBeGreaterThan(15);
    expect(previewFrames.length).toBeGreaterThan(15);
    // The program stays red throughout; the preview shows blue, then green after the change.
    expect(new Set(programFrames.slice(2).map(colour))).toEqual(new Set(['red']));
    expect(colour(previewFrames.filter((f) => f.at < switchedAt).at(-2)!)).toBe('blue');
    expect(colour(previewFrames.at(-1)!)).toBe('green');
  }, 60_000);
});
