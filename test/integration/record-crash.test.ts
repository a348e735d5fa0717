/**
 * Recording: crash-safe files (a recorder killed with -9 leaves a file ffprobe reads and ffmpeg
 * decodes to its last whole fragment), started and stopped independently of the program run, in
 * fragmented MP4 or Matroska.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitForEvent } from '../../src-main/core/emitter';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { createTestProgram, probePackets, probeStreams, sleep, videoFrames, type TestProgram } from '../support/program-harness';
import { colourScenes } from '../support/scene-fixtures';

let program: TestProgram | undefined;
afterEach(async () => {
  await program?.dispose();
  program = undefined;
});

describe('recording', () => {
  it('a recorder killed with -9 leaves a file that plays to its last fragment', async () => {
    program = createTestProgram(colourScenes(['red', 'blue'], { tones: true }));
    program.engine.setEncoderSettings({ video: { keyframeIntervalSec: 1 } });
    await program.engine.start();
    const file = path.join(program.dataDir, 'crash.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    // 3.2 s of program frames (30 fps), counted rather than timed: a loaded machine may encode below real time.
    await videoFrames(program, 96, 30_000);
    await sleep(200); // the last 1 s fragment reaches the disk
    const recorderPid = (program.engine as unknown as { recorder: { pid: number } }).recorder.pid;
    const stopped = waitForEvent(program.engine.onStateChange, (s) => s.recording.phase === 'idle', 10_000);
    execFileSync('kill', ['-9', String(recorderPid)]);
    const state = await stopped;
    expect(state.recording.lastError).toMatchObject({ code: 'ENCODE_ERROR', message: expect.stringContaining('stopped unexpectedly') });
    expect(state.phase).toBe('running'); // the program goes on
    const streams = await probeStreams(file);
    expect(streams.map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    const video = (await probePackets(file)).filter((p) => p.stream === 0);
    // Fragments of 1 s were complete on disk: at least two seconds survive.
    expect(video.length).toBeGreaterThanOrEqual(60);
    const decode = execFileSync(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-i', file, '-f', 'null', '-'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(decode).toBe('');
  }, 60_000);

  it('starts and stops independently of the program, twice in one run, MP4 then Matroska', async () => {
    program = createTestProgram(colourScenes(['green'], { tones: true }));
    const { pid } = await program.engine.start();
    const files = [path.join(program.dataDir, 'one.mp4'), path.join(program.dataDir, 'two.mkv')];
    for (const file of files) {
      const started = await program.engine.startRecording({ file });
      expect(started.recording).toMatchObject({ phase: 'recording', file, format: file.endsWith('.mkv') ? 'mkv' : 'mp4' });
      await program.engine.nextKeyframe();
      await sleep(1200);
      const stopped = await program.engine.stopRecording();
      expect(stopped.recording.phase).toBe('idle');
      expect(stopped.recording.lastError).toBeUndefined();
      expect(stopped.recording.bytes).toBeGreaterThan(10_000);
      expect(stopped.phase).toBe('running');
    }
    expect(program.engine.getState().pid).toBe(pid);
    expect((await probeStreams(files[0]!)).map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    expect((await probeStreams(files[1]!)).map((s) => s.codec_name).sort()).toEqual(['aac', 'h264']);
    // Each file starts at 0 (rebased to its first keyframe), whenever in the program run it began.
    const first = (await probePackets(files[1]!)).find((p) => p.stream === 0)!;
    expect(first.dts).toBeLessThan(0.1);
  }, 60_000);

  it('never overwrites an existing file', async () => {
    program = createTestProgram(colourScenes(['green']));
    await program.engine.start();
    const file = path.join(program.dataDir, 'exists.mp4');
    fs.writeFileSync(file, 'keep me');
    await expect(program.engine.startRecording({ file })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('already exists') });
    expect(fs.readFileSync(file, 'utf8')).toBe('keep me');
  }, 30_000);
});
