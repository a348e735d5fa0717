/**
 * The scene collection's schema: shape (zod) plus the cross-references zod cannot see (ids unique,
 * items pointing at existing sources, program/preview scenes existing). Every problem names the path
 * of the bad field, e.g. `scenes.1.items.0.opacity: must be at most 1`.
 */
import { z } from 'zod';
import type { SceneCollection } from '../contract/domains/scenes';
import { StudioError } from '../core/studio-error';

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'use letters, digits, - and _ only');
const name = z.string().min(1).max(120);
const int = z.number().int();
/** `#rrggbb` or `#rrggbbaa`. */
const color = z.string().regex(/^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$/, 'use #rrggbb or #rrggbbaa');
const device = z.string().min(1).max(512);
const filePath = z.string().min(1).max(4096);

const rect = z.object({ x: int.min(0), y: int.min(0), width: int.min(2).max(16384), height: int.min(2).max(16384) }).strict();

export const sourceSpecSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('screen'), device, region: rect.optional(), captureCursor: z.boolean() }).strict(),
  z.object({ kind: z.literal('window'), device, captureCursor: z.boolean() }).strict(),
  z
    .object({
      kind: z.literal('camera'),
      device,
      width: int.min(16).max(7680).optional(),
      height: int.min(16).max(4320).optional(),
      fps: z.number().min(1).max(120).optional(),
    })
    .strict(),
  z.object({ kind: z.literal('microphone'), device }).strict(),
  z.object({ kind: z.literal('system-audio'), device }).strict(),
  z.object({ kind: z.literal('image'), path: filePath }).strict(),
  z
    .object({
      kind: z.literal('text'),
      text: z.string().min(1).max(2000),
      fontSize: int.min(4).max(1000),
      color,
      background: color,
      fontFile: filePath.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('media'), path: filePath, loop: z.boolean() }).strict(),
  z.object({ kind: z.literal('color'), color }).strict(),
  z.object({ kind: z.literal('test-pattern'), pattern: z.enum(['bars', 'testsrc', 'grid']), toneHz: z.number().min(0).max(20000) }).strict(),
]);

export const sourceAudioSchema = z.object({ gainDb: z.number().min(-60).max(20), muted: z.boolean() }).strict();

export const cropSchema = z.object({ top: int.min(0), right: int.min(0), bottom: int.min(0), left: int.min(0) }).strict();

export const sceneItemSchema = z
  .object({
    id,
    sourceId: id,
    x: int.min(-16384).max(16384),
    y: int.min(-16384).max(16384),
    width: int.min(2).max(16384),
    height: int.min(2).max(16384),
    crop: cropSchema,
    opacity: z.number().min(0).max(1),
    visible: z.boolean(),
  })
  .strict();

const sceneSchema = z.object({ id, name, items: z.array(sceneItemSchema).max(64) }).strict();

const collectionShape = z
  .object({
    version: z.literal(1),
    name,
    canvas: z
      .object({
        // yuv420p needs even dimensions.
        width: int.min(16).max(3840).refine((v) => v % 2 === 0, 'must be even'),
        height: int.min(16).max(2160).refine((v) => v % 2 === 0, 'must be even'),
        fps: z.number().min(1).max(60),
      })
      .strict(),
    sources: z.array(z.object({ id, name, spec: sourceSpecSchema, audio: sourceAudioSchema }).strict()).max(64),
    scenes: z.array(sceneSchema).min(1, 'a collection needs at least one scene').max(32),
    globalAudio: z.array(id),
    programSceneId: id,
    previewSceneId: id,
    studioMode: z.boolean(),
    transition: z.object({ kind: z.enum(['cut', 'fade']), durationMs: int.min(0).max(10_000) }).strict(),
  })
  .strict();

const audioKinds = new Set(['microphone', 'system-audio', 'media', 'test-pattern']);

/** The schema `JsonDocument` and the API use: shape first, then references. */
export const sceneCollectionSchema: z.ZodType<SceneCollection> = collectionShape.superRefine((c, ctx) => {
  const problem = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const sourceIds = new Map<string, number>();
  c.sources.forEach((s, i) => {
    if (sourceIds.has(s.id)) problem(['sources', i, 'id'], `duplicate source id "${s.id}"`);
    sourceIds.set(s.id, i);
  });
  const sceneIds = new Set<string>();
  c.scenes.forEach((scene, si) => {
    if (sceneIds.has(scene.id)) problem(['scenes', si, 'id'], `duplicate scene id "${scene.id}"`);
    sceneIds.add(scene.id);
    const itemIds = new Set<string>();
    scene.items.forEach((item, ii) => {
      if (itemIds.has(item.id)) problem(['scenes', si, 'items', ii, 'id'], `duplicate item id "${item.id}" in scene "${scene.name}"`);
      itemIds.add(item.id);
      if (!sourceIds.has(item.sourceId)) problem(['scenes', si, 'items', ii, 'sourceId'], `no source with id "${item.sourceId}"`);
    });
  });
  if (!sceneIds.has(c.programSceneId)) problem(['programSceneId'], `no scene with id "${c.programSceneId}"`);
  if (!sceneIds.has(c.previewSceneId)) problem(['previewSceneId'], `no scene with id "${c.previewSceneId}"`);
  c.globalAudio.forEach((sourceId, i) => {
    const index = sourceIds.get(sourceId);
    if (index === undefined) problem(['globalAudio', i], `no source with id "${sourceId}"`);
    else if (!audioKinds.has(c.sources[index]!.spec.kind)) problem(['globalAudio', i], `source "${sourceId}" has no audio`);
  });
  if (new Set(c.globalAudio).size !== c.globalAudio.length) problem(['globalAudio'], 'a source is listed twice');
});

/** Issues as `path: message` lines, the path in dotted form (`scenes.0.items.2.width`). */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => `${i.path.map(String).join('.') || '(collection)'}: ${i.message}`).join('; ');
}

/** Parses or throws SCENE_INVALID naming every bad field. */
export function validateSceneCollection(value: unknown): SceneCollection {
  const parsed = sceneCollectionSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new StudioError('SCENE_INVALID', { message: `The scene collection is not valid: ${describeIssues(parsed.error.issues)}` });
}

/** Source kinds that carry audio (and so get a mixer strip). */
export function sourceHasAudio(kind: string): boolean {
  return audioKinds.has(kind);
}

/** Source kinds that carry video (and so can be drawn on a scene). */
export function sourceHasVideo(kind: string): boolean {
  return kind !== 'microphone' && kind !== 'system-audio';
}
