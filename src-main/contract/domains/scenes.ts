/**
 * Scenes and sources, as data. A scene collection is one JSON document in the data dir: the canvas,
 * the sources (what ffmpeg opens), the scenes (ordered items placing sources on the canvas) and the
 * audio mix. The engine compiles it into one ffmpeg filtergraph (src-main/compose).
 *
 * Snapshot: scenes:get-state; event: scenes:state-changed (after every save, from any window).
 */
export type SourceId = string;
export type SceneId = string;
export type SceneItemId = string;

export interface Canvas {
  width: number;
  height: number;
  fps: number;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A whole display. `device`: X11 `:0.0` (Linux), avfoundation screen index `1` (macOS), monitor index `0` (Windows). */
export interface ScreenSourceSpec {
  kind: 'screen';
  device: string;
  /** Part of the display to grab; absent = all of it. */
  region?: Rect;
  captureCursor: boolean;
}

/** One window: an X11 window id (`0x1e00007`) on Linux, a window title on Windows. macOS: not through ffmpeg. */
export interface WindowSourceSpec {
  kind: 'window';
  device: string;
  captureCursor: boolean;
}

/** `/dev/video0` (Linux), avfoundation name or index (macOS), DirectShow name (Windows). */
export interface CameraSourceSpec {
  kind: 'camera';
  device: string;
  width?: number;
  height?: number;
  fps?: number;
}

/**
 * Audio inputs. Linux: a PulseAudio source name, or `alsa:hw:1,0` for ALSA; macOS: avfoundation audio
 * index; Windows: DirectShow audio device name. System audio is a monitor/loopback device.
 */
export interface MicrophoneSourceSpec {
  kind: 'microphone';
  device: string;
}

export interface SystemAudioSourceSpec {
  kind: 'system-audio';
  device: string;
}

export interface ImageSourceSpec {
  kind: 'image';
  path: string;
}

export interface TextSourceSpec {
  kind: 'text';
  text: string;
  fontSize: number;
  /** `#rrggbb` or `#rrggbbaa`. */
  color: string;
  /** Box behind the text, `#rrggbbaa` (`#00000000` = none). */
  background: string;
  /** A .ttf/.otf file; absent = the system's default sans font. */
  fontFile?: string;
}

export interface MediaSourceSpec {
  kind: 'media';
  path: string;
  loop: boolean;
}

export interface ColorSourceSpec {
  kind: 'color';
  color: string;
}

export type TestPatternKind = 'bars' | 'testsrc' | 'grid';

export interface TestPatternSourceSpec {
  kind: 'test-pattern';
  pattern: TestPatternKind;
  /** A sine tone in Hz; 0 = silent. */
  toneHz: number;
}

export type SourceSpec =
  | ScreenSourceSpec
  | WindowSourceSpec
  | CameraSourceSpec
  | MicrophoneSourceSpec
  | SystemAudioSourceSpec
  | ImageSourceSpec
  | TextSourceSpec
  | MediaSourceSpec
  | ColorSourceSpec
  | TestPatternSourceSpec;

export type SourceKind = SourceSpec['kind'];

/** Per-source audio, as in a mixer strip. Ignored for sources without audio. */
export interface SourceAudio {
  /** Gain in dB (−60 … +20). */
  gainDb: number;
  muted: boolean;
}

export interface Source {
  id: SourceId;
  name: string;
  spec: SourceSpec;
  audio: SourceAudio;
}

export interface Crop {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A source placed on a scene. Size is on the canvas; crop is in source pixels. */
export interface SceneItem {
  id: SceneItemId;
  sourceId: SourceId;
  x: number;
  y: number;
  width: number;
  height: number;
  crop: Crop;
  /** 0 … 1. */
  opacity: number;
  /** Hidden items are neither drawn nor heard. */
  visible: boolean;
}

export interface Scene {
  id: SceneId;
  name: string;
  /** Bottom to top: the last item is drawn over the others. */
  items: SceneItem[];
}

export type TransitionKind = 'cut' | 'fade';

export interface Transition {
  kind: TransitionKind;
  durationMs: number;
}

export interface SceneCollection {
  version: 1;
  name: string;
  canvas: Canvas;
  sources: Source[];
  scenes: Scene[];
  /** Audio sources heard in every scene (desktop audio, microphone), besides each scene's own. */
  globalAudio: SourceId[];
  programSceneId: SceneId;
  /** Studio mode: the scene being prepared, taken to program with a cut or a fade. */
  previewSceneId: SceneId;
  studioMode: boolean;
  transition: Transition;
}

export interface ScenesState {
  collection: SceneCollection;
  /** Increments on every save, so a client can tell a stale copy. */
  revision: number;
}

/** What ffmpeg can open on this machine, per kind, from the enumeration in src-main/capture. */
export interface CaptureDevice {
  kind: 'screen' | 'window' | 'camera' | 'microphone' | 'system-audio';
  /** The value for the source spec's `device`. */
  device: string;
  label: string;
  /** Native size where known (screens, cameras). */
  width?: number;
  height?: number;
}

export interface DeviceList {
  platform: string;
  devices: CaptureDevice[];
  /** Why a kind could not be listed (tool missing, no display), in plain words. */
  problems: string[];
}

export type ScenesRequests = {
  'scenes:get-state': () => ScenesState;
  /** Replaces the whole collection (validated; the path of a bad field is named). Live parts apply at once. */
  'scenes:save': (collection: SceneCollection) => ScenesState;
  'scenes:create': (name: string) => ScenesState;
  'scenes:rename': (sceneId: SceneId, name: string) => ScenesState;
  /** The new order of every scene id. */
  'scenes:reorder': (sceneIds: SceneId[]) => ScenesState;
  'scenes:delete': (sceneId: SceneId) => ScenesState;
  'sources:list-devices': () => DeviceList;
};

export type ScenesEvents = {
  'scenes:state-changed': ScenesState;
};

export const scenesRequestChannels = {
  'scenes:get-state': true,
  'scenes:save': true,
  'scenes:create': true,
  'scenes:rename': true,
  'scenes:reorder': true,
  'scenes:delete': true,
  'sources:list-devices': true,
} as const satisfies Record<keyof ScenesRequests, true>;

export const scenesEventChannels = { 'scenes:state-changed': true } as const satisfies Record<keyof ScenesEvents, true>;
