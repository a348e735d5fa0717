/** Small scene collections for tests: solid colours make switches visible in sampled frames. */
import type { SceneCollection, SceneItem, Source, SourceSpec, TestPatternKind } from '../../src-main/contract/domains/scenes';

export function item(id: string, sourceId: string, placement: Partial<SceneItem> = {}, canvas = { width: 320, height: 180 }): SceneItem {
  return {
    id,
    sourceId,
    x: 0,
    y: 0,
    width: canvas.width,
    height: canvas.height,
    crop: { top: 0, right: 0, bottom: 0, left: 0 },
    opacity: 1,
    visible: true,
    ...placement,
  };
}

export function source(id: string, spec: SourceSpec, audio: Partial<Source['audio']> = {}): Source {
  return { id, name: id, spec, audio: { gainDb: 0, muted: false, ...audio } };
}

/** The RGB each colour scene shows (what a sampled pixel should read, ±codec error). */
export const sceneColours = {
  red: [255, 0, 0],
  green: [0, 255, 0],
  blue: [0, 0, 255],
  white: [255, 255, 255],
} as const;

export type ColourName = keyof typeof sceneColours;

/** One scene per colour, each a full-canvas colour item; the first is program. Optional tone per scene. */
export function colourScenes(colours: ColourName[], options: { width?: number; height?: number; fps?: number; tones?: boolean } = {}): SceneCollection {
  const canvas = { width: options.width ?? 320, height: options.height ?? 180, fps: options.fps ?? 30 };
  const hex = (c: ColourName) => `#${sceneColours[c].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
  const sources: Source[] = colours.map((c) => source(`src-${c}`, { kind: 'color', color: hex(c) }));
  if (options.tones) sources.push(source('tone', { kind: 'test-pattern', pattern: 'testsrc', toneHz: 440 }));
  return {
    version: 1,
    name: 'test',
    canvas,
    sources,
    scenes: colours.map((c) => ({ id: `scene-${c}`, name: c, items: [item(`item-${c}`, `src-${c}`, {}, canvas)] })),
    globalAudio: options.tones ? ['tone'] : [],
    programSceneId: `scene-${colours[0]}`,
    previewSceneId: `scene-${colours[1] ?? colours[0]}`,
    studioMode: false,
    transition: { kind: 'cut', durationMs: 300 },
  };
}

/** Nearest named colour to an RGB sample, or undefined when it is not close to any (a fade frame). */
export function nameColour(rgb: readonly number[], tolerance = 40): ColourName | undefined {
  for (const [name, ref] of Object.entries(sceneColours) as [ColourName, readonly number[]][]) {
    if (ref.every((v, i) => Math.abs(v - rgb[i]!) <= tolerance)) return name;
  }
  return undefined;
}

/**
 * One scene with one test pattern filling the canvas (bars and a tone by default, 320×180): the light
 * program the go-live tests stream, so the encoder does not crowd the shared cores.
 */
export function testPatternScene(options: { width?: number; height?: number; fps?: number; pattern?: TestPatternKind; gainDb?: number } = {}): SceneCollection {
  const canvas = { width: options.width ?? 320, height: options.height ?? 180, fps: options.fps ?? 30 };
  return {
    version: 1,
    name: 'Small',
    canvas,
    sources: [{ id: 'tp', name: 'Test pattern', spec: { kind: 'test-pattern', pattern: options.pattern ?? 'bars', toneHz: 440 }, audio: { gainDb: options.gainDb ?? -20, muted: false } }],
    scenes: [{ id: 's1', name: 'One', items: [item('i1', 'tp', {}, canvas)] }],
    globalAudio: [],
    programSceneId: 's1',
    previewSceneId: 's1',
    studioMode: false,
    transition: { kind: 'cut', durationMs: 300 },
  };
}
