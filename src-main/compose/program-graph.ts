/**
 * The compiler: scene collection + one capture plan per source → ffmpeg inputs and ONE filtergraph that
 * composes every scene all the time and selects the program scene at run time.
 *
 *   canvas ─split─► scene 0: base ◄─overlay─ item (alpha lut → crop → scale) ◄─ … ─┐
 *                   scene 1: …                                                       ├─split─► streamselect@program ─┐
 *                                                                                    └──────► streamselect@next ────┴► blend@fade → zmq → [vout]
 *   audio: source → volume@(gain) → per item volume (visibility) → amix per scene → astreamselect@program/@next
 *          → amix@fade (weights) → amix with global audio → [aout]
 *
 * Every input is normalised with `setpts=PTS-STARTPTS` (live inputs carry wall-clock timestamps,
 * generated ones start at 0; mixed unnormalised they drop frames). Filters that change at run time
 * have instance names (`overlay@s0i1o`) listed in `targets`, so live-commands.ts can address them.
 * Pure: no process, no file system.
 */
import type { Crop, SceneCollection, SceneId, SceneItem, SourceId } from '../contract/domains/scenes';
import type { SourcePlan, WorkFile } from '../capture/capture-types';
import { ffmpegNumber } from '../capture/filter-escape';

/** Instance names of the filters one scene item's live properties map to. */
export interface ItemTargets {
  overlay?: string;
  /** The overlay x that puts the item off the canvas: how a hidden item is hidden (see itemVideoChain). */
  hiddenX?: number;
  scale?: string;
  crop?: string;
  alpha?: string;
  /** Volume that silences the item's audio while it is hidden. */
  audio?: string;
}

export interface GraphTargets {
  sceneIndex: Record<SceneId, number>;
  /** Keyed by `itemKey(sceneId, itemId)`. */
  items: Record<string, ItemTargets>;
  sourceVolume: Record<SourceId, string>;
  /** Absent with a single scene: there is nothing to select between. */
  select?: { programVideo: string; nextVideo: string; fade: string; programAudio: string; nextAudio: string; audioFade: string };
}

export interface CompiledInput {
  args: string[];
  /** The source behind this input (undefined for the canvas). */
  sourceId?: SourceId;
}

export interface ProgramGraph {
  inputs: CompiledInput[];
  filtergraph: string;
  /** Output labels to `-map`. */
  videoOut: string;
  audioOut: string;
  targets: GraphTargets;
  files: WorkFile[];
}

export interface CompileOptions {
  /** `zmq` filter bind address (e.g. `ipc:///run/x/cmd.sock`), or undefined for stdin command mode. */
  commandAddress?: string;
}

export function itemKey(sceneId: SceneId, itemId: string): string {
  return `${sceneId}/${itemId}`;
}

/** dB → the linear factor ffmpeg's volume filter takes; muted = 0. */
export function linearGain(gainDb: number, muted: boolean): string {
  if (muted) return '0';
  return ffmpegNumber(Math.pow(10, gainDb / 20));
}

export function cropExpressions(crop: Crop): { w: string; h: string; x: string; y: string } {
  // Never below 2 pixels (a crop wider than the source would fail the whole graph); commas escaped for the graph.
  return { w: `max(2\\,iw-${crop.left}-${crop.right})`, h: `max(2\\,ih-${crop.top}-${crop.bottom})`, x: String(crop.left), y: String(crop.top) };
}

/** The same expressions as a zmq/stdin command argument (no graph-level escaping there). */
export function cropCommandArgs(crop: Crop): { w: string; h: string; x: string; y: string } {
  const e = cropExpressions(crop);
  return { w: e.w.replace(/\\,/g, ','), h: e.h.replace(/\\,/g, ','), x: e.x, y: e.y };
}

export function alphaExpression(opacity: number): string {
  return opacity >= 1 ? 'val' : `val*${ffmpegNumber(opacity)}`;
}

/** ffmpeg option escaping for the zmq bind address (`tcp://127.0.0.1:5555` → `tcp\\://127.0.0.1\\:5555`). */
function escapeAddress(address: string): string {
  return address.replace(/:/g, '\\\\:');
}

export function compileProgramGraph(collection: SceneCollection, plans: ReadonlyMap<SourceId, SourcePlan>, options: CompileOptions = {}): ProgramGraph {
  const { canvas, scenes } = collection;
  const chains: string[] = [];
  const inputs: CompiledInput[] = [];
  const files: WorkFile[] = [];
  const targets: GraphTargets = { sceneIndex: {}, items: {}, sourceVolume: {} };
  scenes.forEach((scene, i) => (targets.sceneIndex[scene.id] = i));
  const programIndex = Math.max(0, scenes.findIndex((s) => s.id === collection.programSceneId));

  // A scene whose bottom item fills the canvas from a paced source is that item's picture: no canvas,
  // no overlay (the cheapest path, and the common one: a full-screen capture or camera). Every other
  // scene is drawn on its own copy of a black canvas, which also paces the generated sources (-re).
  const baseItems = scenes.map((scene) => {
    const first = scene.items[0];
    const plan = first ? plans.get(first.sourceId) : undefined;
    return first && plan && isPacedVideo(plan) && fillsCanvas(first, canvas) ? first : undefined;
  });
  const baseLabels = scenes.map((_, i) => (baseItems[i] ? undefined : `base${i}`));
  const canvasLabels = baseLabels.filter((l): l is string => l !== undefined);
  if (canvasLabels.length > 0) {
    inputs.push({ args: ['-re', '-f', 'lavfi', '-i', `color=c=black:size=${canvas.width}x${canvas.height}:rate=${canvas.fps}`] });
    chains.push(`[0:v]setpts=PTS-STARTPTS,${fanOut(canvasLabels, 'split')}`);
  }

  // Who consumes each source: video per visible-capable item, audio per item and per global-audio slot.
  const videoUsers = new Map<SourceId, string[]>();
  const audioUsers = new Map<SourceId, string[]>();
  const addUser = (map: Map<SourceId, string[]>, sourceId: SourceId, label: string) => {
    const list = map.get(sourceId) ?? [];
    list.push(label);
    map.set(sourceId, list);
  };
  scenes.forEach((scene, si) =>
    scene.items.forEach((item, ii) => {
      const plan = plans.get(item.sourceId);
      if (!plan) return;
      if (plan.inputs.some((input) => input.video)) addUser(videoUsers, item.sourceId, `v_s${si}i${ii}`);
      if (plan.inputs.some((input) => input.audio)) addUser(audioUsers, item.sourceId, `a_s${si}i${ii}`);
    }),
  );
  collection.globalAudio.forEach((sourceId, gi) => {
    const plan = plans.get(sourceId);
    if (plan?.inputs.some((input) => input.audio)) addUser(audioUsers, sourceId, `a_g${gi}`);
  });

  // Open each used source once, in collection order.
  collection.sources.forEach((source, sourceIndex) => {
    const plan = plans.get(source.id);
    const videoLabels = videoUsers.get(source.id) ?? [];
    const audioLabels = audioUsers.get(source.id) ?? [];
    if (!plan || (videoLabels.length === 0 && audioLabels.length === 0)) return;
    files.push(...plan.files);
    let videoStream: string | undefined;
    let audioStream: string | undefined;
    for (const input of plan.inputs) {
      const index = inputs.length;
      inputs.push({ args: input.args, sourceId: source.id });
      if (input.video && !videoStream) videoStream = `${index}:v:0`;
      if (input.audio && !audioStream) audioStream = `${index}:a:0`;
    }
    if (videoStream && videoLabels.length > 0) {
      chains.push(`[${videoStream}]${['setpts=PTS-STARTPTS', ...plan.videoFilters, fanOut(videoLabels, 'split')].join(',')}`);
    }
    if (audioStream && audioLabels.length > 0) {
      const volume = `volume@src${sourceIndex}`;
      targets.sourceVolume[source.id] = volume;
      const gain = linearGain(source.audio.gainDb, source.audio.muted);
      chains.push(`[${audioStream}]${['asetpts=PTS-STARTPTS', ...plan.audioFilters, `${volume}=volume=${gain}`, fanOut(audioLabels, 'asplit')].join(',')}`);
    }
  });

  // Each scene: overlays bottom to top on its own copy of the canvas; its items' audio mixed.
  const sceneVideo: string[] = [];
  const sceneAudio: string[] = [];
  scenes.forEach((scene, si) => {
    let current = baseLabels[si] ?? '';
    const mixInputs: string[] = [];
    scene.items.forEach((item, ii) => {
      const plan = plans.get(item.sourceId);
      if (!plan) return;
      const name = `s${si}i${ii}`;
      const item$: ItemTargets = {};
      targets.items[itemKey(scene.id, item.id)] = item$;
      if (baseItems[si] === item) {
        // The scene's picture itself: nothing to address live (moving or fading it means a restart).
        current = `sc${si}_${ii}`;
        chains.push(`[v_${name}]scale=w=${canvas.width}:h=${canvas.height}:flags=bilinear,format=yuv420p[${current}]`);
      } else if (plan.inputs.some((input) => input.video)) {
        const next = `sc${si}_${ii}`;
        chains.push(itemVideoChain(item, name, `v_${name}`, current, next, item$, canvas.width));
        current = next;
      }
      if (plan.inputs.some((input) => input.audio)) {
        item$.audio = `volume@${name}v`;
        chains.push(`[a_${name}]${item$.audio}=volume=${item.visible ? 1 : 0}[am_${name}]`);
        mixInputs.push(`am_${name}`);
      }
    });
    sceneVideo.push(current);
    const audioLabel = `sa${si}`;
    if (mixInputs.length === 0) chains.push(`anullsrc=r=48000:cl=stereo[${audioLabel}]`);
    else if (mixInputs.length === 1) chains.push(`[${mixInputs[0]}]anull[${audioLabel}]`);
    else chains.push(`${mixInputs.map((l) => `[${l}]`).join('')}amix=inputs=${mixInputs.length}:normalize=0[${audioLabel}]`);
    sceneAudio.push(audioLabel);
  });

  // Program selection: two selectors (program, and the scene a fade goes to) and a blend between them.
  let videoMixed: string;
  let audioMixed: string;
  if (scenes.length === 1) {
    videoMixed = sceneVideo[0]!;
    audioMixed = sceneAudio[0]!;
  } else {
    const n = scenes.length;
    targets.select = {
      programVideo: 'streamselect@program',
      nextVideo: 'streamselect@next',
      fade: 'blend@fade',
      programAudio: 'astreamselect@program',
      nextAudio: 'astreamselect@next',
      audioFade: 'amix@fade',
    };
    sceneVideo.forEach((label, i) => chains.push(`[${label}]split=2[pv${i}][nv${i}]`));
    sceneAudio.forEach((label, i) => chains.push(`[${label}]asplit=2[pa${i}][na${i}]`));
    const all = (prefix: string) => Array.from({ length: n }, (_, i) => `[${prefix}${i}]`).join('');
    chains.push(`${all('pv')}streamselect@program=inputs=${n}:map=${programIndex}[pgm]`);
    chains.push(`${all('nv')}streamselect@next=inputs=${n}:map=${programIndex}[nxt]`);
    // Disabled, blend passes the program through untouched; a fade enables it and steps the opacity.
    chains.push(`[pgm][nxt]blend@fade=all_mode=normal:all_opacity=1:enable=0[vmix]`);
    chains.push(`${all('pa')}astreamselect@program=inputs=${n}:map=${programIndex}[apgm]`);
    chains.push(`${all('na')}astreamselect@next=inputs=${n}:map=${programIndex}[anxt]`);
    chains.push(`[apgm][anxt]amix@fade=inputs=2:weights=1 0:normalize=0[amixsel]`);
    videoMixed = 'vmix';
    audioMixed = 'amixsel';
  }

  const commandFilter = options.commandAddress ? `zmq=bind_address=${escapeAddress(options.commandAddress)},` : '';
  chains.push(`[${videoMixed}]${commandFilter}format=yuv420p[vout]`);

  const globalLabels = collection.globalAudio.map((_, gi) => `a_g${gi}`).filter((label) => isProduced(label, audioUsers));
  const finalAudio = [`[${audioMixed}]`, ...globalLabels.map((l) => `[${l}]`)];
  const mix = finalAudio.length > 1 ? `amix=inputs=${finalAudio.length}:normalize=0,` : 'anull,';
  chains.push(`${finalAudio.join('')}${mix}aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo[aout]`);

  return { inputs, filtergraph: chains.join(';\n'), videoOut: 'vout', audioOut: 'aout', targets, files };
}

/** Sources whose frames arrive at their own pace (devices, or read with -re); stills are looped and unpaced. */
function isPacedVideo(plan: SourcePlan): boolean {
  return plan.inputs.some((input) => input.video && (plan.live || input.args.includes('-re')));
}

/** Kinds whose plans are paced, for `structureKey` (which has no plans). */
export const pacedVideoKinds: ReadonlySet<string> = new Set(['screen', 'window', 'camera', 'media', 'test-pattern']);

/** The item covers the canvas exactly, as is: it can be the scene's picture. */
export function fillsCanvas(item: SceneItem, canvas: { width: number; height: number }): boolean {
  const { top, right, bottom, left } = item.crop;
  return item.visible && item.opacity >= 1 && item.x === 0 && item.y === 0 && item.width === canvas.width && item.height === canvas.height && top + right + bottom + left === 0;
}

function isProduced(label: string, users: Map<SourceId, string[]>): boolean {
  for (const list of users.values()) if (list.includes(label)) return true;
  return false;
}

/** `split=2[a][b]`, or `null[a]` for one consumer (a split of one is legal but costs a queue). */
function fanOut(labels: string[], filter: 'split' | 'asplit'): string {
  const outs = labels.map((l) => `[${l}]`).join('');
  if (labels.length === 1) return `${filter === 'split' ? 'null' : 'anull'}${outs}`;
  return `${filter}=${labels.length}${outs}`;
}

/**
 * One item: alpha (opacity) at source size, crop, scale to the item's size, overlay at its position.
 * Order matters for live changes: the lut works from its link's size, so it sits before anything whose
 * size changes; `null` between crop and scale hands scale a stale link size, so scale notices a crop
 * change and reconfigures (without it, a live crop height change stalls the graph in ffmpeg 5.1).
 * A hidden item is overlaid off the canvas rather than switched off with the overlay's timeline:
 * the overlay keeps consuming its frames either way, and showing it again is one position command
 * with no stale frames (the timeline `enable` on overlay showed old frames for a moment in 5.1).
 */
function itemVideoChain(item: SceneItem, name: string, input: string, under: string, out: string, targets: ItemTargets, canvasWidth: number): string {
  targets.alpha = `lutyuv@${name}a`;
  targets.crop = `crop@${name}c`;
  targets.scale = `scale@${name}s`;
  targets.overlay = `overlay@${name}o`;
  targets.hiddenX = canvasWidth + 64;
  const crop = cropExpressions(item.crop);
  const opacityOn = item.opacity < 1 ? 1 : 0;
  return (
    `[${input}]format=yuva420p,${targets.alpha}=a=${alphaExpression(item.opacity)}:enable=${opacityOn},` +
    `${targets.crop}=w=${crop.w}:h=${crop.h}:x=${crop.x}:y=${crop.y},null,` +
    `${targets.scale}=w=${item.width}:h=${item.height}:flags=bilinear[it_${name}];` +
    `[${under}][it_${name}]${targets.overlay}=x=${item.visible ? item.x : targets.hiddenX}:y=${item.y}:eof_action=pass:repeatlast=1[${out}]`
  );
}
