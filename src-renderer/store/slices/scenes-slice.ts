/**
 * Scenes, sources and the program. Snapshots: scenes:get-state, program:get-state; events:
 * scenes:state-changed, program:state-changed, program:stats. Every edit goes to the engine, which
 * validates, saves and applies it live; the slice shows what the engine answered (a refusal becomes a
 * notice, naming the bad field).
 */
import type {
  DeviceList,
  EncoderSettingsPatch,
  ProgramState,
  ProgramStats,
  RecordStartOptions,
  SceneCollection,
  SceneItemPatch,
  ScenesState,
  SourceAudio,
  StudioErrorPayload,
  TransitionKind,
} from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

export interface ScenesSlice {
  scenes: ScenesState | undefined;
  program: ProgramState | undefined;
  programStats: ProgramStats | undefined;
  devices: DeviceList | undefined;
  /** Which program request is in flight (buttons disable themselves). */
  programBusy: 'start' | 'stop' | 'record' | undefined;
  loadScenes(): Promise<void>;
  /** Saves an edited copy of the collection; resolves false when the engine refused it. */
  saveCollection(mutate: (draft: SceneCollection) => SceneCollection | void): Promise<boolean>;
  createScene(name: string): Promise<string | undefined>;
  renameScene(sceneId: string, name: string): Promise<void>;
  moveScene(sceneId: string, offset: -1 | 1): Promise<void>;
  deleteScene(sceneId: string): Promise<void>;
  switchScene(sceneId: string, transition?: TransitionKind, durationMs?: number): Promise<void>;
  setPreviewScene(sceneId: string): Promise<void>;
  setItem(sceneId: string, itemId: string, patch: SceneItemPatch): Promise<void>;
  setAudio(sourceId: string, patch: Partial<SourceAudio>): Promise<void>;
  startProgram(encoder?: EncoderSettingsPatch): Promise<void>;
  stopProgram(): Promise<void>;
  setEncoder(patch: EncoderSettingsPatch): Promise<boolean>;
  startRecording(options?: RecordStartOptions): Promise<void>;
  stopRecording(): Promise<void>;
  listDevices(): Promise<void>;
}

export const scenesSlice: StudioSliceModule<ScenesSlice> = {
  create: (client) => (set, get) => {
    const fail = (error: StudioErrorPayload, context: string) => get().reportError(error, context);
    const takeProgram = (reply: { ok: true; value: ProgramState } | { ok: false; error: StudioErrorPayload }, context: string) => {
      if (reply.ok) set({ program: reply.value });
      else fail(reply.error, context);
    };
    const takeScenes = (reply: { ok: true; value: ScenesState } | { ok: false; error: StudioErrorPayload }, context: string): boolean => {
      if (reply.ok) {
        set({ scenes: reply.value });
        return true;
      }
      fail(reply.error, context);
      return false;
    };
    return {
      scenes: undefined,
      program: undefined,
      programStats: undefined,
      devices: undefined,
      programBusy: undefined,
      async loadScenes() {
        const [scenes, program] = await Promise.all([client.invoke('scenes:get-state'), client.invoke('program:get-state')]);
        if (scenes.ok) set({ scenes: scenes.value });
        else if (scenes.error.code !== 'FORBIDDEN') fail(scenes.error, 'Reading the scenes failed');
        if (program.ok) set({ program: program.value });
        else if (program.error.code !== 'FORBIDDEN') fail(program.error, 'Reading the program state failed');
      },
      async saveCollection(mutate) {
        const before = get().scenes;
        if (!before) return false;
        const draft = structuredClone(before.collection);
        const next = mutate(draft) ?? draft;
        // Optimistic: a control shows its new value at once; the engine's answer replaces it, and a
        // refusal puts the saved collection back.
        set({ scenes: { collection: next, revision: before.revision } });
        const reply = await client.invoke('scenes:save', next);
        if (reply.ok) {
          set({ scenes: reply.value });
          return true;
        }
        if (get().scenes?.collection === next) set({ scenes: before });
        fail(reply.error, 'The scenes were not saved');
        return false;
      },
      async createScene(name) {
        const before = new Set(get().scenes?.collection.scenes.map((s) => s.id));
        const reply = await client.invoke('scenes:create', name);
        if (!takeScenes(reply, 'The scene was not created') || !reply.ok) return undefined;
        return reply.value.collection.scenes.find((s) => !before.has(s.id))?.id;
      },
      async renameScene(sceneId, name) {
        takeScenes(await client.invoke('scenes:rename', sceneId, name), 'The scene was not renamed');
      },
      async moveScene(sceneId, offset) {
        const ids = get().scenes?.collection.scenes.map((s) => s.id) ?? [];
        const from = ids.indexOf(sceneId);
        const to = from + offset;
        if (from < 0 || to < 0 || to >= ids.length) return;
        ids.splice(to, 0, ...ids.splice(from, 1));
        takeScenes(await client.invoke('scenes:reorder', ids), 'The scenes were not reordered');
      },
      async deleteScene(sceneId) {
        takeScenes(await client.invoke('scenes:delete', sceneId), 'The scene was not deleted');
      },
      async switchScene(sceneId, transition, durationMs) {
        const options = transition ? { transition, ...(durationMs !== undefined ? { durationMs } : {}) } : undefined;
        const reply = options ? await client.invoke('program:switch-scene', sceneId, options) : await client.invoke('program:switch-scene', sceneId);
        takeProgram(reply, 'The scene was not switched');
      },
      async setPreviewScene(sceneId) {
        await get().saveCollection((c) => {
          c.previewSceneId = sceneId;
        });
      },
      async setItem(sceneId, itemId, patch) {
        takeProgram(await client.invoke('program:set-item', sceneId, itemId, patch), 'The item was not changed');
      },
      async setAudio(sourceId, patch) {
        takeProgram(await client.invoke('program:set-audio', sourceId, patch), 'The audio was not changed');
      },
      async startProgram(encoder) {
        set({ programBusy: 'start' });
        try {
          takeProgram(encoder ? await client.invoke('program:start', { encoder }) : await client.invoke('program:start'), 'The program did not start');
        } finally {
          set({ programBusy: undefined });
        }
      },
      async stopProgram() {
        set({ programBusy: 'stop' });
        try {
          takeProgram(await client.invoke('program:stop'), 'The program did not stop');
        } finally {
          set({ programBusy: undefined });
        }
      },
      async setEncoder(patch) {
        const reply = await client.invoke('program:set-encoder', patch);
        takeProgram(reply, 'The encoder settings were not saved');
        return reply.ok;
      },
      async startRecording(options) {
        set({ programBusy: 'record' });
        try {
          takeProgram(options ? await client.invoke('record:start', options) : await client.invoke('record:start'), 'The recording did not start');
        } finally {
          set({ programBusy: undefined });
        }
      },
      async stopRecording() {
        set({ programBusy: 'record' });
        try {
          takeProgram(await client.invoke('record:stop'), 'The recording did not stop');
        } finally {
          set({ programBusy: undefined });
        }
      },
      async listDevices() {
        const reply = await client.invoke('sources:list-devices');
        if (reply.ok) set({ devices: reply.value });
        else fail(reply.error, 'Listing the capture devices failed');
      },
    };
  },
  bind: (client, store) => {
    const offs = [
      client.on('scenes:state-changed', (scenes) => {
        // Events and replies can cross: keep the newest revision.
        const current = store.getState().scenes;
        if (!current || scenes.revision >= current.revision) store.setState({ scenes });
      }),
      client.on('program:state-changed', (program) => store.setState({ program })),
      client.on('program:stats', (programStats) => store.setState({ programStats })),
    ];
    return () => offs.forEach((off) => off());
  },
  load: (store) => store.getState().loadScenes(),
};
