import { describe, expect, it } from 'vitest';
import { colourScenes, item } from '../../test/support/scene-fixtures';
import type { SceneCollection } from '../contract/domains/scenes';
import { StudioError } from '../core/studio-error';
import { validateSceneCollection } from './scene-schema';

const valid = () => colourScenes(['red', 'green']);

function problemOf(mutate: (c: SceneCollection) => void): string {
  const c = structuredClone(valid()) as SceneCollection;
  mutate(c);
  try {
    validateSceneCollection(c);
  } catch (error) {
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('SCENE_INVALID');
    return (error as StudioError).message;
  }
  throw new Error('expected the collection to be refused');
}

describe('scene collection validation', () => {
  it('accepts a valid collection unchanged', () => {
    expect(validateSceneCollection(valid())).toEqual(valid());
  });

  it.each<[string, (c: SceneCollection) => void, string]>([
    ['opacity above 1', (c) => (c.scenes[1]!.items[0]!.opacity = 1.5), 'scenes.1.items.0.opacity'],
    ['odd canvas width', (c) => (c.canvas.width = 321), 'canvas.width: must be even'],
    ['frame rate above 60', (c) => (c.canvas.fps = 120), 'canvas.fps'],
    ['item pointing at no source', (c) => (c.scenes[0]!.items[0]!.sourceId = 'ghost'), 'scenes.0.items.0.sourceId: no source with id "ghost"'],
    ['duplicate scene id', (c) => (c.scenes[1]!.id = c.scenes[0]!.id), 'scenes.1.id: duplicate scene id'],
    ['duplicate item id in a scene', (c) => c.scenes[0]!.items.push(item('item-red', 'src-red')), 'scenes.0.items.1.id: duplicate item id'],
    ['program scene missing', (c) => (c.programSceneId = 'nope'), 'programSceneId: no scene with id "nope"'],
    ['global audio without audio', (c) => (c.globalAudio = ['src-red']), 'globalAudio.0: source "src-red" has no audio'],
    ['unknown source kind', (c) => ((c.sources[0]!.spec as { kind: string }).kind = 'hologram'), 'sources.0.spec.kind'],
    ['bad colour', (c) => ((c.sources[0]!.spec as { color: string }).color = 'red'), 'sources.0.spec.color: use #rrggbb or #rrggbbaa'],
    ['unknown field', (c) => ((c as unknown as Record<string, unknown>).extra = 1), 'extra'],
    ['no scenes', (c) => (c.scenes = []), 'scenes: a collection needs at least one scene'],
    ['id with a space', (c) => (c.sources[0]!.id = 'my source'), 'sources.0.id: use letters, digits, - and _ only'],
  ])('%s → names %s', (_name, mutate, path) => {
    expect(problemOf(mutate)).toContain(path);
  });

  it('names every problem, not just the first', () => {
    const message = problemOf((c) => {
      c.scenes[0]!.items[0]!.width = 0;
      c.scenes[1]!.items[0]!.opacity = -1;
    });
    expect(message).toContain('scenes.0.items.0.width');
    expect(message).toContain('scenes.1.items.0.opacity');
  });
});
