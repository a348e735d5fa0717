/**
 * Scenes & Sources in Chromium against `ivs-studio serve`: build a two-scene collection in the UI,
 * start the program, record, switch with a click and with a hotkey; the engine's program follows
 * (its state through the API events, and the recording's frames show each switch).
 */
import * as path from 'node:path';
import { expect, test } from '@playwright/test';
import { runs, sampleFrameColours } from '../support/program-harness';
import { nameColour } from '../support/scene-fixtures';
import { StudioApp } from '../support/studio-app';
import { checkEngine } from '../support/engine-checkbox';

/** Only the canvas is seeded (small, so the encoder spares the shared cores): the scenes are built in the UI. */
const emptyCollection = JSON.stringify({
  version: 1,
  name: 'E2E',
  canvas: { width: 320, height: 180, fps: 30 },
  sources: [],
  scenes: [{ id: 'scene-1', name: 'Scene 1', items: [] }],
  globalAudio: [],
  programSceneId: 'scene-1',
  previewSceneId: 'scene-1',
  studioMode: false,
  transition: { kind: 'cut', durationMs: 300 },
});

let app: StudioApp | undefined;
test.afterEach(async () => {
  await app?.close();
  app = undefined;
});

test('build two scenes in the UI, start the program, switch by click and by hotkey; the engine and the recording follow', async ({ browser }) => {
  test.setTimeout(120_000);
  app = await new StudioApp(browser, { seedFiles: { 'scenes.json': emptyCollection } }).start();
  const pane = app.pane('Scenes & Sources');
  const rows = pane.getByTestId('scene-row');
  const addColour = async (hex: string, name: string) => {
    await pane.getByTestId('source-kind').selectOption('color');
    await pane.getByTestId('source-name').fill(name);
    await pane.getByTestId('source-color').fill(hex);
    await pane.getByTestId('add-source').click();
    await expect(pane.getByTestId('item-row').filter({ hasText: name })).toBeVisible();
  };

  // Scene 1 → "Red", with a red colour source.
  await rows.first().getByRole('button', { name: 'Rename Scene 1' }).click();
  await pane.getByTestId('rename-scene-input').fill('Red');
  await pane.getByTestId('rename-scene-input').press('Enter');
  await expect(rows.first().getByTestId('scene-button')).toContainText('Red');
  await addColour('#ff0000', 'Red fill');

  // A second scene, "Blue", with a blue colour source (selecting it makes it the one being edited).
  await pane.getByTestId('new-scene-name').fill('Blue');
  await pane.getByTestId('add-scene').click();
  await expect(rows).toHaveCount(2);
  await rows.nth(1).getByTestId('scene-button').click();
  await expect(pane.getByTestId('edited-scene-name')).toHaveText('Blue');
  await addColour('#0000ff', 'Blue fill');
  const [redId, blueId] = await Promise.all([rows.nth(0).getAttribute('data-scene-id'), rows.nth(1).getAttribute('data-scene-id')]);

  // Start the program (Blue is program) and record it.
  await pane.getByTestId('program-start').click();
  await expect(pane.getByTestId('program-state')).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });
  await expect(pane.getByTestId('program-stats')).toBeVisible();
  await pane.getByTestId('record-start').click();
  await expect(pane.getByTestId('recording-file')).toHaveAttribute('data-phase', 'recording');
  await app.page.waitForTimeout(2600); // the recording starts at the next keyframe (2 s GOP)

  // A click takes Red to program: the engine says so.
  let mark = await app.mark();
  await rows.nth(0).getByTestId('scene-button').click();
  await app.waitForEvent('program:state-changed', { after: mark, where: { programSceneId: redId } });
  await expect(rows.nth(0)).toHaveAttribute('data-program', 'true');
  await app.page.waitForTimeout(1200);

  // The hotkey of the second scene (Ctrl+Shift+2) takes Blue back; Ctrl+Shift+1 Red again.
  mark = await app.mark();
  await app.page.locator('body').click({ position: { x: 5, y: 5 } });
  await app.page.keyboard.press('Control+Shift+Digit2');
  await app.waitForEvent('program:state-changed', { after: mark, where: { programSceneId: blueId } });
  await app.page.waitForTimeout(1200);
  mark = await app.mark();
  await app.page.keyboard.press('Control+Shift+Digit1');
  await app.waitForEvent('program:state-changed', { after: mark, where: { programSceneId: redId } });
  await expect(rows.nth(0)).toHaveAttribute('data-program', 'true');
  await app.page.waitForTimeout(1200);

  await pane.getByTestId('record-stop').click();
  await expect(pane.getByTestId('recording-file')).toHaveAttribute('data-phase', 'idle');
  const file = (await pane.getByTestId('recording-file').locator('code').textContent())!;
  expect(path.dirname(file)).toBe(path.join(app.dataDir, 'recordings'));

  // The recording shows each switch: blue, red (click), blue (hotkey 2), red (hotkey 1).
  const colours = (await sampleFrameColours(file, 160, 90)).map((rgb) => nameColour(rgb) ?? 'other');
  expect(runs(colours).filter((r) => r.count >= 3).map((r) => r.value)).toEqual(['blue', 'red', 'blue', 'red']);

  // Everything built in the UI is in the saved collection: stop, reload, still there.
  await pane.getByTestId('program-stop').click();
  await expect(pane.getByTestId('program-state')).toHaveAttribute('data-phase', 'idle', { timeout: 20_000 });
  await app.page.reload();
  await app.waitForEvent('ui:ready');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0).getByTestId('scene-button')).toContainText('Red');
  await expect(rows.nth(1).getByTestId('scene-button')).toContainText('Blue');
});

test('studio mode: prepare a preview scene, take it to program with a fade; mute a source from the mixer', async ({ browser }) => {
  test.setTimeout(90_000);
  app = await new StudioApp(browser, { seedFiles: { 'scenes.json': emptyCollection } }).start();
  const pane = app.pane('Scenes & Sources');
  const rows = pane.getByTestId('scene-row');
  // Scene 1 gets a test pattern with its tone; a second scene gets a colour.
  await pane.getByTestId('source-kind').selectOption('test-pattern');
  await pane.getByTestId('add-source').click();
  await expect(pane.getByTestId('audio-strip')).toHaveCount(1);
  await pane.getByTestId('new-scene-name').fill('Slate');
  await pane.getByTestId('add-scene').click();
  await expect(rows).toHaveCount(2);
  const slateId = await rows.nth(1).getAttribute('data-scene-id');

  await pane.getByTestId('program-start').click();
  await expect(pane.getByTestId('program-state')).toHaveAttribute('data-phase', 'running', { timeout: 60_000 });

  // Studio mode: a click prepares the preview only; the program stays on Scene 1.
  await checkEngine(pane.getByTestId('studio-mode'));
  await pane.getByTestId('transition-kind').selectOption('fade');
  await rows.nth(1).getByTestId('scene-button').click();
  await expect(rows.nth(1)).toHaveAttribute('data-preview', 'true');
  await expect(rows.nth(0)).toHaveAttribute('data-program', 'true');
  await expect(pane.getByTestId('edited-scene-name')).toHaveText('Slate');

  // Take: the engine fades to the preview scene.
  const mark = await app.mark();
  await pane.getByTestId('take').click();
  await app.waitForEvent('program:state-changed', { after: mark, where: { programSceneId: slateId } });
  await expect(rows.nth(1)).toHaveAttribute('data-program', 'true');

  // The mixer's mute reaches the engine (saved in the collection, applied live).
  const muteMark = await app.mark();
  await checkEngine(pane.getByTestId('audio-mute'));
  const changed = await app.waitForEvent('scenes:state-changed', { after: muteMark });
  const sources = (changed.payload as { collection: { sources: { spec: { kind: string }; audio: { muted: boolean } }[] } }).collection.sources;
  expect(sources.find((s) => s.spec.kind === 'test-pattern')?.audio.muted).toBe(true);
  await expect(pane.getByTestId('program-warning')).toHaveCount(0);
});
