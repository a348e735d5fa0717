/**
 * The scenes:*, sources:*, program:* and record:* requests and their events. Every change to the
 * collection is saved first (validated, atomic) and then applied to the running program live where
 * ffmpeg allows it.
 */
import { z } from 'zod';
import type { ProgramState, SceneItemPatch } from '../contract/domains/program';
import type { DeviceList, SceneCollection } from '../contract/domains/scenes';
import type { CapturePlatform } from '../capture/capture-types';
import { enumerateDevices } from '../capture/device-enumeration';
import { cropSchema, sourceAudioSchema } from '../compose/scene-schema';
import { encoderSettingsPatchSchema } from '../encode/encoder-profile';
import type { Disposable } from '../core/disposable';
import { StudioError } from '../core/studio-error';
import { noArgs, type ApiRouter } from '../engine/api-router';
import type { ProgramEngine } from '../program/program-engine';
import type { SceneCollectionService } from './scene-collection-service';

export interface ScenesDeps {
  scenes: SceneCollectionService;
  program: ProgramEngine;
  ffmpeg(): Promise<{ path: string; capabilities: { filters: readonly string[] } }>;
}

const id = z.string().min(1).max(64);
const sceneName = z.string().trim().min(1).max(120);
const itemPatch: z.ZodType<SceneItemPatch> = z
  .object({
    x: z.number().int().min(-16384).max(16384),
    y: z.number().int().min(-16384).max(16384),
    width: z.number().int().min(2).max(16384),
    height: z.number().int().min(2).max(16384),
    crop: cropSchema,
    opacity: z.number().min(0).max(1),
    visible: z.boolean(),
  })
  .partial()
  .strict();
const switchOptions = z.object({ transition: z.enum(['cut', 'fade']).optional(), durationMs: z.number().int().min(0).max(10_000).optional() }).strict();
const recordOptions = z.object({ file: z.string().min(1).max(4096).optional(), format: z.enum(['mp4', 'mkv']).optional() }).strict();

export function registerScenes(router: ApiRouter, deps: ScenesDeps): Disposable[] {
  const { scenes, program } = deps;

  const saveAndApply = async (mutate: (draft: SceneCollection) => SceneCollection) => {
    const state = scenes.update(mutate);
    await program.applyCollection(state.collection);
    return state;
  };

  router.register({
    'scenes:get-state': { args: noArgs, handle: () => scenes.getState() },
    'scenes:save': {
      // Validated by the collection schema itself, so a refusal names the path of the bad field.
      args: z.tuple([z.unknown()]) as never,
      handle: async (_ctx, collection) => {
        const state = scenes.save(collection);
        await program.applyCollection(state.collection);
        return state;
      },
    },
    'scenes:create': { args: z.tuple([z.string().max(120)]) as never, handle: (_ctx, name) => scenes.create(name) },
    'scenes:rename': { args: z.tuple([id, sceneName]) as never, handle: (_ctx, sceneId, name) => scenes.rename(sceneId, name) },
    'scenes:reorder': { args: z.tuple([z.array(id).max(64)]) as never, handle: (_ctx, ids) => scenes.reorder(ids) },
    'scenes:delete': { args: z.tuple([id]) as never, handle: (_ctx, sceneId) => scenes.delete(sceneId) },
    'sources:list-devices': {
      args: noArgs,
      handle: async (): Promise<DeviceList> => {
        const ffmpeg = await deps.ffmpeg();
        return enumerateDevices({ platform: process.platform as CapturePlatform, ffmpegPath: ffmpeg.path, filters: ffmpeg.capabilities.filters });
      },
    },

    'program:get-state': { args: noArgs, handle: () => program.getState() },
    'program:start': {
      args: z.union([z.tuple([]), z.tuple([z.object({ encoder: encoderSettingsPatchSchema.optional() }).strict()])]) as never,
      handle: (_ctx, options) => program.start(options?.encoder),
    },
    'program:stop': { args: noArgs, handle: () => program.stop() },
    'program:switch-scene': {
      args: z.union([z.tuple([id]), z.tuple([id, switchOptions])]) as never,
      handle: async (_ctx, sceneId, options): Promise<ProgramState> => {
        if (!scenes.collection().scenes.some((s) => s.id === sceneId)) throw new StudioError('NOT_FOUND', { message: `No scene with id "${sceneId}".` });
        await program.switchScene(sceneId, options ?? {});
        await saveAndApply((c) => ({ ...c, programSceneId: sceneId }));
        return program.getState();
      },
    },
    'program:set-item': {
      args: z.tuple([id, id, itemPatch]) as never,
      handle: async (_ctx, sceneId, itemId, patch): Promise<ProgramState> => {
        await saveAndApply((c) => {
          const scene = c.scenes.find((s) => s.id === sceneId);
          const item = scene?.items.find((i) => i.id === itemId);
          if (!scene || !item) throw new StudioError('NOT_FOUND', { message: `No item "${itemId}" in scene "${sceneId}".` });
          Object.assign(item, patch);
          return c;
        });
        return program.getState();
      },
    },
    'program:set-audio': {
      args: z.tuple([id, sourceAudioSchema.partial().strict()]) as never,
      handle: async (_ctx, sourceId, patch): Promise<ProgramState> => {
        await saveAndApply((c) => {
          const source = c.sources.find((s) => s.id === sourceId);
          if (!source) throw new StudioError('NOT_FOUND', { message: `No source with id "${sourceId}".` });
          source.audio = { ...source.audio, ...patch };
          return c;
        });
        return program.getState();
      },
    },
    'program:set-encoder': { args: z.tuple([encoderSettingsPatchSchema]) as never, handle: (_ctx, patch) => program.setEncoderSettings(patch) },
    'record:start': {
      args: z.union([z.tuple([]), z.tuple([recordOptions])]) as never,
      handle: (_ctx, options) => program.startRecording(options ?? {}),
    },
    'record:stop': { args: noArgs, handle: () => program.stopRecording() },
  });

  return [
    scenes.onDidChange(() => router.emit('scenes:state-changed', scenes.getState())),
    program.onStateChange((state) => router.emit('program:state-changed', state)),
    program.onStats((stats) => router.emit('program:stats', stats)),
  ];
}
