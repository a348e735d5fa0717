/**
 * Live changes as ffmpeg filter commands (`<target> <command> <argument>`), addressed to the named
 * filters the compiler listed in `GraphTargets`. Sent through the zmq filter (or stdin) they take effect
 * on the next frame, without restarting ffmpeg. Pure.
 *
 * What can change live: the program scene (cut or fade), an item's position, size, crop, opacity and
 * visibility, a source's gain and mute. Anything else (adding sources or items, a new scene, a source's
 * settings) changes the graph's shape: `structureKey` tells the two apart.
 */
import type { SceneCollection, SceneItem, SourceAudio } from '../contract/domains/scenes';
import { ffmpegNumber } from '../capture/filter-escape';
import { alphaExpression, cropCommandArgs, fillsCanvas, linearGain, pacedVideoKinds, type GraphTargets, type ItemTargets } from './program-graph';

export type FilterCommand = string;

export function cutCommands(targets: GraphTargets, sceneIndex: number): FilterCommand[] {
  const s = targets.select;
  if (!s) return [];
  return [
    `${s.programVideo} map ${sceneIndex}`,
    `${s.programAudio} map ${sceneIndex}`,
    `${s.nextVideo} map ${sceneIndex}`,
    `${s.nextAudio} map ${sceneIndex}`,
  ];
}

/**
 * A fade in three parts: show the target scene under the program (`fadeStartCommands`), step the
 * program's opacity from 1 to 0 and the audio weights with it (`fadeProgressCommands`, once per frame
 * with the elapsed fraction), then select the target as program and switch the blend off
 * (`fadeEndCommands`). Each batch lands on one frame, so no frame shows anything but the two scenes mixed.
 */
export function fadeStartCommands(targets: GraphTargets, toIndex: number): FilterCommand[] {
  const s = targets.select;
  if (!s) return [];
  return [`${s.nextVideo} map ${toIndex}`, `${s.nextAudio} map ${toIndex}`, `${s.fade} all_opacity 1`, `${s.fade} enable 1`, `${s.audioFade} weights 1 0`];
}

export function fadeProgressCommands(targets: GraphTargets, progress: number): FilterCommand[] {
  const s = targets.select;
  if (!s) return [];
  const p = Math.min(1, Math.max(0, progress));
  return [`${s.fade} all_opacity ${ffmpegNumber(1 - p)}`, `${s.audioFade} weights ${ffmpegNumber(1 - p)} ${ffmpegNumber(p)}`];
}

export function fadeEndCommands(targets: GraphTargets, toIndex: number): FilterCommand[] {
  const s = targets.select;
  if (!s) return [];
  return [
    `${s.fade} all_opacity 0`,
    `${s.programVideo} map ${toIndex}`,
    `${s.programAudio} map ${toIndex}`,
    `${s.fade} enable 0`,
    `${s.fade} all_opacity 1`,
    `${s.audioFade} weights 1 0`,
  ];
}

/**
 * Commands that turn an item from `before` into `after` (only what changed). A hidden item sits off
 * the canvas (`hiddenX`): hiding moves it away first, showing moves it back last, after its opacity,
 * crop and size, so the frames around the change never show it as it was.
 */
export function itemCommands(targets: ItemTargets, before: SceneItem, after: SceneItem): FilterCommand[] {
  const out: FilterCommand[] = [];
  const x = (item: SceneItem) => (item.visible || targets.hiddenX === undefined ? item.x : targets.hiddenX);
  const hiding = before.visible && !after.visible;
  const moveX = targets.overlay && x(before) !== x(after) ? `${targets.overlay} x ${x(after)}` : undefined;
  if (hiding) {
    if (moveX) out.push(moveX);
    if (targets.audio) out.push(`${targets.audio} volume 0`);
  }
  if (targets.alpha && before.opacity !== after.opacity) {
    out.push(`${targets.alpha} a ${alphaExpression(after.opacity)}`, `${targets.alpha} enable ${after.opacity < 1 ? 1 : 0}`);
  }
  if (targets.crop && JSON.stringify(before.crop) !== JSON.stringify(after.crop)) {
    const c = cropCommandArgs(after.crop);
    out.push(`${targets.crop} w ${c.w}`, `${targets.crop} h ${c.h}`, `${targets.crop} x ${c.x}`, `${targets.crop} y ${c.y}`);
  }
  if (targets.scale) {
    if (before.width !== after.width) out.push(`${targets.scale} w ${after.width}`);
    if (before.height !== after.height) out.push(`${targets.scale} h ${after.height}`);
  }
  if (targets.overlay && before.y !== after.y) out.push(`${targets.overlay} y ${after.y}`);
  if (!hiding && moveX) out.push(moveX);
  if (!before.visible && after.visible && targets.audio) out.push(`${targets.audio} volume 1`);
  return out;
}

export function audioCommands(volumeTarget: string | undefined, audio: SourceAudio): FilterCommand[] {
  return volumeTarget ? [`${volumeTarget} volume ${linearGain(audio.gainDb, audio.muted)}`] : [];
}

/**
 * The graph's shape: everything but what live commands can change (item transform, crop, opacity,
 * visibility; source gain/mute; which scene is program; names; scene order, since scenes are addressed
 * by id). Two collections with the same key compile to filtergraphs that differ only in live values.
 */
export function structureKey(collection: SceneCollection): string {
  return JSON.stringify({
    canvas: collection.canvas,
    sources: collection.sources.map((s) => ({ id: s.id, spec: s.spec })),
    scenes: [...collection.scenes]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((scene) => ({
        id: scene.id,
        items: scene.items.map((item) => ({ id: item.id, sourceId: item.sourceId })),
        // A bottom item that is the scene's picture (program-graph.ts) changes shape when it moves.
        picture: isScenePicture(collection, scene.items[0]),
      })),
    globalAudio: collection.globalAudio,
  });
}

function isScenePicture(collection: SceneCollection, item: SceneItem | undefined): boolean {
  if (!item) return false;
  const kind = collection.sources.find((s) => s.id === item.sourceId)?.spec.kind;
  return kind !== undefined && pacedVideoKinds.has(kind) && fillsCanvas(item, collection.canvas);
}
