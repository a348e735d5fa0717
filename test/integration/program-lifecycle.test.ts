/**
 * The program's lifecycle with real processes: no ffmpeg outlives a clean stop or a kill -9 of the
 * process hosting the engine; a missing or unopenable source is named (DEVICE_MISSING) while the rest
 * of the scene runs; settings over the channel limits are refused before anything is spawned; an
 * ffmpeg that dies on its own brings the state back to idle with the reason.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgramState } from '../../src-main/contract/domains/program';
import { StudioError } from '../../src-main/core/studio-error';
import { waitForEvent } from '../../src-main/core/emitter';
import { descendantsOf, isAlive } from '../support/process-tree';
import { createTestProgram, probeStreams, sampleFrameColours, sleep, type TestProgram } from '../support/program-harness';
import { colourScenes, item, nameColour, source } from '../support/scene-fixtures';

let program: TestProgram | undefined;
const folders: string[] = [];
afterEach(async () => {
  await program?.dispose();
  program = undefined;
  for (const folder of folders.splice(0)) fs.rmSync(folder, { recursive: true, force: true });
});

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return true;
    await sleep(100);
  }
  return check();
}

const ffmpegDescendants = () => descendantsOf(process.pid).filter((p) => p.comm === 'ffmpeg');

describe('program lifecycle', () => {
  it('idle → starting → running → stopping → idle, leaving no ffmpeg, socket folder or timer behind', async () => {
    program = createTestProgram(colourScenes(['red', 'green']));
    const phases: ProgramState['phase'][] = [];
    program.engine.onStateChange((s) => phases.push(s.phase));
    const running = await program.engine.start();
    expect(running.commandMode).toBe('zmq');
    expect(running.videoEncoder).toBe('libx264');
    await program.engine.startRecording({ file: path.join(program.dataDir, 'r.mp4') });
    expect(ffmpegDescendants()).toHaveLength(2);
    const stats = await waitForEvent(program.engine.onStats, () => true, 5000);
    expect(stats.phase).toBe('running');
    // The run's private folder (zmq socket, filtergraph, text files).
    const workDir = (program.engine as unknown as { run: { workDir: string } }).run.workDir;
    expect(fs.existsSync(path.join(workDir, 'program.filtergraph'))).toBe(true);
    await program.engine.stop();
    expect(phases.filter((p, i) => p !== phases[i - 1])).toEqual(['starting', 'running', 'stopping', 'idle']);
    expect(ffmpegDescendants()).toEqual([]);
    expect(fs.existsSync(workDir)).toBe(false);
  }, 30_000);

  it('kill -9 of the process hosting the engine leaves no ffmpeg, and the recording survives', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-orphan-'));
    folders.push(folder);
    const host = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '../support/program-host.ts'), folder], {
      cwd: path.join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    host.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      host.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      host.on('exit', () => reject(new Error(`host exited early:\n${stderr}`)));
      setTimeout(() => reject(new Error(`host did not start:\n${stderr}`)), 40_000);
    });
    const pids = JSON.parse(line) as { program: number; recorder: number; file: string; folders: string[] };
    folders.push(...pids.folders);
    expect(isAlive(pids.program)).toBe(true);
    expect(isAlive(pids.recorder)).toBe(true);
    await sleep(2500);
    host.kill('SIGKILL');
    // The program's next write hits a closed pipe; the recorder's input ends: both exit on their own.
    expect(await waitUntil(() => !isAlive(pids.program) && !isAlive(pids.recorder), 5000)).toBe(true);
    const streams = await probeStreams(pids.file);
    expect(streams.map((s) => s.codec_type).sort()).toEqual(['audio', 'video']);
  }, 60_000);

  it('a missing camera and an unreadable image are named; the rest of the scene keeps running', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-missing-'));
    folders.push(folder);
    const broken = path.join(folder, 'not-an-image.png');
    fs.writeFileSync(broken, 'this is not a PNG');
    const collection = colourScenes(['blue']);
    collection.sources.push(source('cam', { kind: 'camera', device: '/dev/video-studio-test-9' }), source('logo', { kind: 'image', path: broken }));
    collection.scenes[0]!.items.push(item('cam', 'cam', { width: 100, height: 60 }), item('logo', 'logo', { x: 200, y: 100, width: 50, height: 50 }));
    program = createTestProgram(collection);
    const state = await program.engine.start();
    expect(state.phase).toBe('running');
    const messages = state.warnings.map((w) => `${w.code}: ${w.message}`);
    expect(messages).toEqual([
      'DEVICE_MISSING: cam: camera /dev/video-studio-test-9 is not connected.',
      expect.stringMatching(/^DEVICE_MISSING: logo: image .*not-an-image\.png could not be opened \(.+\)$/),
    ]);
    const file = path.join(program.dataDir, 'missing.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    await sleep(800);
    await program.engine.stopRecording();
    const colours = await sampleFrameColours(file, 300, 20);
    expect(nameColour(colours[colours.length - 1]!)).toBe('blue');
  }, 60_000);

  it('settings over the channel limits are refused before anything is spawned, naming the limit', async () => {
    program = createTestProgram(colourScenes(['red'], { width: 1280, height: 720 }));
    const before = ffmpegDescendants().length;
    const attempt = program.engine.start({ channelType: 'BASIC', video: { bitrateKbps: 3500 }, audio: { bitrateKbps: 160 } });
    await expect(attempt).rejects.toThrow(StudioError);
    await expect(attempt).rejects.toMatchObject({ code: 'ENCODER_LIMIT', message: expect.stringContaining('exceeds the BASIC channel limit of 3500 kbps above 480p') });
    expect(program.engine.getState().phase).toBe('idle');
    expect(program.engine.getState().settings.channelType).toBe('STANDARD');
    expect(ffmpegDescendants().length).toBe(before);
  });

  it('an ffmpeg that dies on its own returns the program to idle with the reason', async () => {
    program = createTestProgram(colourScenes(['red']));
    const { pid } = await program.engine.start();
    const idle = waitForEvent(program.engine.onStateChange, (s) => s.phase === 'idle', 10_000);
    execFileSync('kill', ['-9', String(pid)]);
    const state = await idle;
    expect(state.lastError).toMatchObject({ code: 'ENCODE_ERROR', message: expect.stringContaining('killed by SIGKILL') });
    expect(ffmpegDescendants()).toEqual([]);
  }, 30_000);
});
