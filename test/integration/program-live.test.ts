/**
 * Live changes on the running program, seen in what it recorded: item position, size, visibility,
 * opacity and crop; a source's mute; a fade between scenes; and the same switching through ffmpeg's
 * stdin command mode (the fallback for binaries without zmq). One ffmpeg each, never restarted.
 */
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SceneCollection } from '../../src-main/contract/domains/scenes';
import { audioMaxVolume, createTestProgram, runs, sampleFrameColours, sleep, type TestProgram } from '../support/program-harness';
import { colourScenes, item, nameColour, source } from '../support/scene-fixtures';

let program: TestProgram | undefined;
afterEach(async () => {
  await program?.dispose();
  program = undefined;
});

/** Blue background, a red 60×60 item at (0,0); a tone the program hears. */
function overlayCollection(): SceneCollection {
  const c = colourScenes(['blue', 'red']);
  c.scenes[0]!.items.push(item('box', 'src-red', { x: 0, y: 0, width: 60, height: 60 }));
  c.sources.push(source('tone', { kind: 'test-pattern', pattern: 'testsrc', toneHz: 1000 }));
  c.globalAudio = ['tone'];
  return c;
}

async function changeLive(p: TestProgram, mutate: (c: SceneCollection) => void): Promise<void> {
  const next = structuredClone(p.collection());
  mutate(next);
  p.setCollection(next);
  await p.engine.applyCollection(next);
}

describe('live changes', () => {
  it('move, resize, hide, show with opacity, crop and mute — all without restarting ffmpeg', async () => {
    program = createTestProgram(overlayCollection());
    const { pid } = await program.engine.start();
    const file = path.join(program.dataDir, 'live.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    const marks: number[] = [];
    const t0 = Date.now();
    const step = async (mutate: (c: SceneCollection) => void) => {
      await sleep(700);
      await changeLive(program!, mutate);
      marks.push((Date.now() - t0) / 1000);
    };
    await step((c) => Object.assign(c.scenes[0]!.items[1]!, { x: 200, y: 100 })); // moved
    await step((c) => Object.assign(c.scenes[0]!.items[1]!, { width: 120, height: 80 })); // bigger
    await step((c) => (c.scenes[0]!.items[1]!.visible = false)); // hidden
    await step((c) => Object.assign(c.scenes[0]!.items[1]!, { visible: true, opacity: 0.5 })); // half
    await step((c) => (c.sources.find((s) => s.id === 'tone')!.audio.muted = true)); // silent
    await sleep(1000);
    await program.engine.stopRecording();
    expect(program.engine.getState().pid).toBe(pid);
    expect(program.engine.getState().needsRestart).toBe(false);

    const at = async (x: number, y: number) => (await sampleFrameColours(file, x, y)).map((rgb) => nameColour(rgb, 60) ?? `${rgb.join(',')}`);
    const origin = await at(20, 20);
    const moved = await at(210, 110);
    const grown = await at(300, 170);
    // (20,20): red until the move, then blue for good.
    expect(runs(origin).map((r) => r.value)).toEqual(['red', 'blue']);
    // (210,110): blue, red once moved, blue while hidden, then half red over blue. Position and visibility
    // act at the overlay, on the next frame. Opacity, crop and size act upstream of it, on frames not yet
    // queued for the overlay: a source shared by two scenes is read up to about a second ahead (the other
    // scene's branch pulls it), so the item may show at full opacity for that long before the mix.
    const settled = (values: string[]) => runs(values.map((v) => (v === 'red' || v === 'blue' ? v : 'mix'))).filter((r) => r.count > 2).map((r) => r.value);
    const movedRuns = settled(moved);
    expect(movedRuns.slice(0, 3)).toEqual(['blue', 'red', 'blue']);
    expect(movedRuns.slice(3).join(',')).toMatch(/^(red,)?mix$/);
    const queued = runs(moved.map((v) => (v === 'red' || v === 'blue' ? v : 'mix'))).filter((r) => r.count > 2)[3]!;
    if (queued.value === 'red') expect(queued.count).toBeLessThanOrEqual(40);
    const half = (await sampleFrameColours(file, 210, 110)).at(-1)!;
    expect(half[0]).toBeGreaterThan(90);
    expect(half[0]).toBeLessThan(170);
    expect(half[2]).toBeGreaterThan(90);
    // (300,170) is only inside the item once it is 120×80 at (200,100).
    expect(settled(grown).join(',')).toMatch(/^blue,red,blue,(red,)?mix$/);

    // Audio: the tone is loud before the mute and silent after it.
    const muteAt = marks[4]!;
    expect(await audioMaxVolume(file, 0.2, muteAt - 1)).toBeGreaterThan(-30);
    expect(await audioMaxVolume(file, muteAt + 0.5, 0.4)).toBeLessThan(-80);
  }, 60_000);

  it('a fade passes through mixed frames and lands on the new scene', async () => {
    program = createTestProgram(colourScenes(['red', 'blue']));
    await program.engine.start();
    const file = path.join(program.dataDir, 'fade.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    await sleep(500);
    await program.engine.switchScene('scene-blue', { transition: 'fade', durationMs: 600 });
    await sleep(1500);
    await program.engine.stopRecording();
    const frames = await sampleFrameColours(file, 160, 90);
    const named = frames.map((rgb) => nameColour(rgb) ?? 'mix');
    const sequence = runs(named);
    expect(sequence.map((r) => r.value)).toEqual(['red', 'mix', 'blue']);
    // About 600 ms of mixed frames at 30 fps: the fade is timed by the clock, its steps paced by frames,
    // so a loaded machine shifts it by a few frames either way.
    const mixed = sequence[1]!.count;
    expect(mixed).toBeGreaterThanOrEqual(6);
    expect(mixed).toBeLessThanOrEqual(45);
    // The mixed frames go from red towards blue.
    const mix = frames.filter((_, i) => named[i] === 'mix');
    expect(mix[0]![0]).toBeGreaterThan(mix[mix.length - 1]![0]);
  }, 60_000);

  it('stdin command mode (no zmq) switches scenes too', async () => {
    program = createTestProgram(colourScenes(['red', 'green', 'blue']), { commandMode: 'stdin' });
    const { pid, commandMode } = await program.engine.start();
    expect(commandMode).toBe('stdin');
    const file = path.join(program.dataDir, 'stdin.mp4');
    await program.engine.startRecording({ file });
    await program.engine.nextKeyframe();
    for (const colour of ['green', 'blue', 'red', 'blue']) {
      await sleep(500);
      await program.engine.switchScene(`scene-${colour}`);
    }
    await sleep(600);
    await program.engine.stopRecording();
    expect(program.engine.getState().pid).toBe(pid);
    const named = (await sampleFrameColours(file, 160, 90)).map((rgb) => nameColour(rgb) ?? 'other');
    expect(runs(named).filter((r) => r.count >= 2).map((r) => r.value)).toEqual(['red', 'green', 'blue', 'red', 'blue']);
  }, 60_000);

  it('a structural change marks the program for restart instead of breaking it', async () => {
    program = createTestProgram(colourScenes(['red', 'green']));
    await program.engine.start();
    await changeLive(program, (c) => c.scenes[0]!.items.push(item('extra', 'src-green', { width: 20, height: 20 })));
    expect(program.engine.getState()).toMatchObject({ phase: 'running', needsRestart: true });
    await program.engine.stop();
    await program.engine.start();
    expect(program.engine.getState().needsRestart).toBe(false);
  }, 30_000);
});
