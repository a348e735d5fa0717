/**
 * Acceptance for the broadcast engine, part 1, with real parts: Xvfb screen, PulseAudio null sink,
 * real ffmpeg and zmq. (1) A scene of screen capture + test pattern + image + text + tone records to a
 * file ffprobe reads at the configured size, rate and codecs. (2) Twenty scene switches during a
 * recording: one ffmpeg throughout, no timestamp going backwards, every switch visible in the frames.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgramState } from '../../src-main/contract/domains/program';
import type { SceneCollection } from '../../src-main/contract/domains/scenes';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { listProcesses } from '../support/process-tree';
import {
  createTestProgram,
  probePackets,
  probeStreams,
  requireTestDesktop,
  runs,
  sampleFrameColours,
  sleep,
  type TestProgram,
  videoFrames,
} from '../support/program-harness';
import { colourScenes, item, nameColour, source, type ColourName } from '../support/scene-fixtures';

let program: TestProgram | undefined;
let window: ChildProcess | undefined;
const folders: string[] = [];
afterEach(async () => {
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
  await program?.dispose();
  program = undefined;
  window?.kill();
  window = undefined;
});

describe('program acceptance', () => {
  it('screen + test pattern + image + text + tone record to a file ffprobe reads at the configured size, rate and codecs', async () => {
    const { display, pulseSource } = requireTestDesktop();
    // A green window over the whole X screen, so the capture has something to prove it is the screen.
    window = spawn('xmessage', ['-display', display, '-geometry', '4000x4000+0+0', '-bg', '#00ff00', '-fg', '#00ff00', ' '], { stdio: 'ignore' });
    await sleep(500);
    const canvas = { width: 480, height: 270, fps: 25 };
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-accept-'));
    folders.push(workDir);
    const image = path.join(workDir, 'logo.png');
    execFileSync(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'color=c=0xff00ff:size=64x64:duration=0.1', '-frames:v', '1', image]);
    const collection: SceneCollection = {
      version: 1,
      name: 'acceptance',
      canvas,
      sources: [
        source('screen', { kind: 'screen', device: display, captureCursor: false }),
        source('bars', { kind: 'test-pattern', pattern: 'bars', toneHz: 440 }),
        source('logo', { kind: 'image', path: image }),
        source('title', { kind: 'text', text: 'On air: 10:30', fontSize: 24, color: '#ffffff', background: '#000000ff' }),
        source('desktop-audio', { kind: 'system-audio', device: pulseSource }),
      ],
      scenes: [
        {
          id: 'main',
          name: 'Main',
          items: [
            item('screen', 'screen', { width: 480, height: 270 }),
            item('bars', 'bars', { x: 240, y: 0, width: 240, height: 135 }),
            item('logo', 'logo', { x: 16, y: 190, width: 64, height: 64 }),
            item('title', 'title', { x: 120, y: 200, width: 200, height: 40 }),
          ],
        },
      ],
      globalAudio: ['desktop-audio'],
      programSceneId: 'main',
      previewSceneId: 'main',
      studioMode: false,
      transition: { kind: 'cut', durationMs: 0 },
    };
    program = createTestProgram(collection);
    // The profile IVS recommends: Main (x264's ultrafast would fall back to Constrained Baseline, having no CABAC).
    program.engine.setEncoderSettings({ video: { x264Preset: 'veryfast', profile: 'main' } });
    const state = await program.engine.start();
    expect(state.phase).toBe('running');
    expect(state.warnings).toEqual([]);
    const file = path.join(workDir, 'acceptance.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe(); // the recording begins at a keyframe
    // Three seconds of program video, counted in frames rather than wall time: a loaded CI machine can
    // run the encoder below real time, and this test is about what is in the file, not about speed.
    await videoFrames(program, 3 * canvas.fps, 30_000);
    const stopped = await program.engine.stopRecording();
    expect(stopped.recording).toMatchObject({ phase: 'idle', file });
    expect(stopped.recording.lastError).toBeUndefined();

    const streams = await probeStreams(file);
    const video = streams.find((s) => s.codec_type === 'video')!;
    const audio = streams.find((s) => s.codec_type === 'audio')!;
    expect(video).toMatchObject({ codec_name: 'h264', profile: 'Main', width: 480, height: 270, r_frame_rate: '25/1' });
    expect(audio).toMatchObject({ codec_name: 'aac', profile: 'LC', sample_rate: '48000', channels: 2 });

    // What each source put on the canvas: screen green (top left), image magenta, bars' white-ish top band.
    const screen = await sampleFrameColours(file, 40, 40);
    const logo = await sampleFrameColours(file, 40, 220);
    expect(screen.length).toBeGreaterThan(2 * canvas.fps); // at least two of the three seconds fed to the recorder
    expect(nameColour(screen[screen.length - 1]!)).toBe('green');
    const magenta = logo[logo.length - 1]!;
    expect(magenta[0]).toBeGreaterThan(200);
    expect(magenta[1]).toBeLessThan(50);
    expect(magenta[2]).toBeGreaterThan(200);
  }, 90_000);

  it('20 scene switches during a recording: one ffmpeg throughout, timestamps never go back, every switch in the frames', async () => {
    const colours: ColourName[] = ['red', 'green', 'blue'];
    program = createTestProgram(colourScenes(colours, { tones: true }));
    const phases: ProgramState['phase'][] = [];
    program.engine.onStateChange((s) => phases.push(s.phase));
    const started = await program.engine.start();
    const pid = started.pid!;
    const file = path.join(program.dataDir, 'switches.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    await sleep(500);

    const expected: ColourName[] = ['red'];
    for (let i = 1; i <= 20; i++) {
      const colour = colours[i % colours.length]!;
      await program.engine.switchScene(`scene-${colour}`, { transition: 'cut' });
      expected.push(colour);
      expect(program.engine.getState().pid).toBe(pid);
      await sleep(350);
    }
    await sleep(300);
    await program.engine.stopRecording();
    // One program ffmpeg for the whole run: same pid, never restarted (no second 'starting').
    expect(program.engine.getState().pid).toBe(pid);
    expect(phases.filter((p) => p === 'starting')).toHaveLength(1);
    const ffmpegChildren = listProcesses().filter((p) => p.ppid === process.pid && p.comm === 'ffmpeg');
    expect(ffmpegChildren.map((p) => p.pid)).toEqual([pid]);

    // Timestamps: per stream, decode order never goes backwards.
    const packets = await probePackets(file);
    for (const stream of [0, 1]) {
      const dts = packets.filter((p) => p.stream === stream).map((p) => p.dts);
      expect(dts.length).toBeGreaterThan(10);
      for (let i = 1; i < dts.length; i++) expect(dts[i]!, `stream ${stream} packet ${i}`).toBeGreaterThan(dts[i - 1]!);
    }

    // Every switch is in the frames: the colour sequence, runs collapsed, is the switch sequence.
    const named = (await sampleFrameColours(file, 160, 90)).map((rgb) => nameColour(rgb) ?? 'other');
    const sequence = runs(named).filter((r) => r.value !== 'other' && r.count >= 2);
    expect(sequence.map((r) => r.value)).toEqual(expected);
  }, 90_000);
});
