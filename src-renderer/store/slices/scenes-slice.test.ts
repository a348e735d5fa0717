/** The scenes slice around a fake connection that answers scenes:* and program:* from a script. */
import { describe, expect, it } from 'vitest';
import type { ProgramState, RequestChannel, SceneCollection, ScenesState } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { FakeStudioConnection } from '../../../test/support/fake-studio-connection';
import { createStudioStore } from '../studio-store';

const collection: SceneCollection = {
  version: 1,
  name: 'c',
  canvas: { width: 1280, height: 720, fps: 30 },
  sources: [],
  scenes: [
    { id: 'a', name: 'A', items: [] },
    { id: 'b', name: 'B', items: [] },
  ],
  globalAudio: [],
  programSceneId: 'a',
  previewSceneId: 'a',
  studioMode: false,
  transition: { kind: 'cut', durationMs: 300 },
};
const idle: ProgramState = {
  phase: 'idle',
  phaseSince: '',
  settings: {
    channelType: 'STANDARD',
    video: { encoder: 'auto', bitrateKbps: 3500, keyframeIntervalSec: 2, x264Preset: 'veryfast', profile: 'main' },
    audio: { bitrateKbps: 160, sampleRate: 48000, channels: 2 },
  },
  warnings: [],
  needsRestart: false,
  recording: { phase: 'idle', bytes: 0 },
};

class ScenesFake extends FakeStudioConnection {
  state: ScenesState = { collection, revision: 3 };
  protected answer(channel: RequestChannel, args: unknown[]): Reply<unknown> | undefined {
    switch (channel) {
      case 'scenes:get-state':
        return { ok: true, value: this.state };
      case 'program:get-state':
        return { ok: true, value: idle };
      case 'scenes:save': {
        const next = args[0] as SceneCollection;
        if (next.scenes.some((s) => !s.name)) return { ok: false, error: { code: 'SCENE_INVALID', message: 'scenes.1.name: Too small', fatal: false } };
        this.state = { collection: next, revision: this.state.revision + 1 };
        return { ok: true, value: this.state };
      }
      case 'scenes:reorder':
        this.state = { collection: { ...this.state.collection, scenes: (args[0] as string[]).map((id) => this.state.collection.scenes.find((s) => s.id === id)!) }, revision: this.state.revision + 1 };
        return { ok: true, value: this.state };
      case 'program:switch-scene':
        return { ok: true, value: { ...idle, programSceneId: args[0] as string } };
      default:
        return undefined;
    }
  }
}

describe('scenes slice', () => {
  it('loads both snapshots and follows the events, keeping the newest revision', async () => {
    const fake = new ScenesFake();
    const store = createStudioStore(fake);
    await store.ready;
    expect(store.getState().scenes?.revision).toBe(3);
    expect(store.getState().program?.phase).toBe('idle');
    fake.emit('scenes:state-changed', { collection: { ...collection, name: 'old' }, revision: 2 });
    expect(store.getState().scenes?.collection.name).toBe('c');
    fake.emit('scenes:state-changed', { collection: { ...collection, name: 'new' }, revision: 4 });
    expect(store.getState().scenes?.collection.name).toBe('new');
    fake.emit('program:state-changed', { ...idle, phase: 'running' });
    expect(store.getState().program?.phase).toBe('running');
    store.dispose();
  });

  it('saves an edited copy; a refusal keeps the saved collection and becomes a notice naming the field', async () => {
    const fake = new ScenesFake();
    const store = createStudioStore(fake);
    await store.ready;
    expect(await store.getState().saveCollection((c) => void (c.studioMode = true))).toBe(true);
    expect(store.getState().scenes?.collection.studioMode).toBe(true);
    expect(await store.getState().saveCollection((c) => void (c.scenes[1]!.name = ''))).toBe(false);
    expect(store.getState().scenes?.collection.scenes[1]!.name).toBe('B');
    expect(store.getState().notices.at(-1)?.message).toContain('scenes.1.name');
    store.dispose();
  });

  it('moves a scene by reordering every id; switching passes the transition', async () => {
    const fake = new ScenesFake();
    const store = createStudioStore(fake);
    await store.ready;
    await store.getState().moveScene('b', -1);
    expect(fake.requests.find(([c]) => c === 'scenes:reorder')?.[1]).toEqual([['b', 'a']]);
    await store.getState().switchScene('b', 'fade', 500);
    expect(fake.requests.find(([c]) => c === 'program:switch-scene')?.[1]).toEqual(['b', { transition: 'fade', durationMs: 500 }]);
    expect(store.getState().program?.programSceneId).toBe('b');
    store.dispose();
  });
});
