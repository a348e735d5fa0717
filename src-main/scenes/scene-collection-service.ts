/**
 * The scene collection document (`scenes.json` in the data dir): validated on every save, written
 * atomically, a corrupt file moved aside and reported. Every change bumps the revision and fires
 * onDidChange with the previous and next collection, so the program can apply the live parts.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { SceneCollection, SceneId, ScenesState } from '../contract/domains/scenes';
import { JsonDocument, corruptDocumentError } from '../core/documents';
import { Emitter } from '../core/emitter';
import { StudioError } from '../core/studio-error';
import { sceneCollectionSchema, validateSceneCollection } from '../compose/scene-schema';

export function newId(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** What a first run shows: one scene with a test pattern and its tone (quiet), ready to go live. */
export function defaultSceneCollection(): SceneCollection {
  return {
    version: 1,
    name: 'My scenes',
    canvas: { width: 1280, height: 720, fps: 30 },
    sources: [
      { id: 'test-pattern', name: 'Test pattern', spec: { kind: 'test-pattern', pattern: 'bars', toneHz: 440 }, audio: { gainDb: -20, muted: false } },
    ],
    scenes: [
      {
        id: 'scene-1',
        name: 'Scene 1',
        items: [{ id: 'item-1', sourceId: 'test-pattern', x: 0, y: 0, width: 1280, height: 720, crop: { top: 0, right: 0, bottom: 0, left: 0 }, opacity: 1, visible: true }],
      },
    ],
    globalAudio: [],
    programSceneId: 'scene-1',
    previewSceneId: 'scene-1',
    studioMode: false,
    transition: { kind: 'cut', durationMs: 300 },
  };
}

export interface CollectionChange {
  previous: SceneCollection;
  next: SceneCollection;
}

export class SceneCollectionService {
  private readonly document: JsonDocument<SceneCollection>;
  private current: SceneCollection;
  private revision = 0;
  private readonly changed = new Emitter<CollectionChange>();
  readonly onDidChange = this.changed.event;
  readonly loadError?: StudioError;

  constructor(dataDir: string) {
    this.document = new JsonDocument(path.join(dataDir, 'scenes.json'), sceneCollectionSchema, defaultSceneCollection);
    const loaded = this.document.load();
    this.current = loaded.value;
    if (loaded.recovered) this.loadError = corruptDocumentError(this.document.file, loaded.recovered);
  }

  collection(): SceneCollection {
    return this.current;
  }

  getState(): ScenesState {
    return { collection: this.current, revision: this.revision };
  }

  /** Validates (SCENE_INVALID naming each bad field), saves, notifies. Nothing changes on a refusal. */
  save(collection: unknown): ScenesState {
    const next = validateSceneCollection(collection);
    this.document.save(next);
    const previous = this.current;
    this.current = next;
    this.revision++;
    this.changed.fire({ previous, next });
    return this.getState();
  }

  update(mutate: (draft: SceneCollection) => SceneCollection): ScenesState {
    return this.save(mutate(structuredClone(this.current)));
  }

  create(name: string): ScenesState {
    return this.update((c) => {
      const id = newId('scene');
      c.scenes.push({ id, name: name.trim() || `Scene ${c.scenes.length + 1}`, items: [] });
      return c;
    });
  }

  rename(sceneId: SceneId, name: string): ScenesState {
    return this.update((c) => {
      const scene = this.requireScene(c, sceneId);
      scene.name = name.trim();
      return c;
    });
  }

  reorder(sceneIds: SceneId[]): ScenesState {
    return this.update((c) => {
      const known = new Set(c.scenes.map((s) => s.id));
      if (sceneIds.length !== known.size || !sceneIds.every((id) => known.has(id)) || new Set(sceneIds).size !== sceneIds.length) {
        throw new StudioError('BAD_REQUEST', { message: 'The new order must list every scene exactly once.' });
      }
      c.scenes = sceneIds.map((id) => c.scenes.find((s) => s.id === id)!);
      return c;
    });
  }

  delete(sceneId: SceneId): ScenesState {
    return this.update((c) => {
      this.requireScene(c, sceneId);
      if (c.scenes.length === 1) throw new StudioError('BAD_REQUEST', { message: 'The last scene cannot be deleted.' });
      c.scenes = c.scenes.filter((s) => s.id !== sceneId);
      if (c.programSceneId === sceneId) c.programSceneId = c.scenes[0]!.id;
      if (c.previewSceneId === sceneId) c.previewSceneId = c.programSceneId;
      // A source no scene uses any more stays (the user may add it again); nothing else refers to the scene.
      return c;
    });
  }

  private requireScene(c: SceneCollection, sceneId: SceneId) {
    const scene = c.scenes.find((s) => s.id === sceneId);
    if (!scene) throw new StudioError('NOT_FOUND', { message: `No scene with id "${sceneId}".` });
    return scene;
  }

  dispose(): void {
    this.changed.dispose();
  }
}
