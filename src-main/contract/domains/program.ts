/**
 * The program: one long-lived ffmpeg that captures every source, composes every scene, selects the
 * program scene at run time and encodes it (H.264 + AAC as FLV on a pipe). Streaming (stream:*) and
 * recording (record:*) both consume that one encode.
 *
 *   idle ──start──► starting ──first frames──► running ──stop──► stopping ──► idle
 *                      │ (error)                   │ (ffmpeg died)
 *                      └──────────► idle ◄──────────┘   (lastError says why)
 *
 * Snapshot: program:get-state; events: program:state-changed, program:stats (every second).
 */
import type { StudioErrorPayload } from '../errors';
import type { ChannelType } from './accounts';
import type { SceneId, SceneItem, SceneItemId, SourceAudio, SourceId, TransitionKind } from './scenes';

export type ProgramPhase = 'idle' | 'starting' | 'running' | 'stopping';

/** `auto` = the first hardware encoder that passes a test encode, else x264. */
export type VideoEncoderChoice = 'auto' | 'x264' | 'nvenc' | 'videotoolbox' | 'qsv' | 'amf';
export type X264Preset = 'ultrafast' | 'superfast' | 'veryfast' | 'faster' | 'fast' | 'medium';
export type H264Profile = 'baseline' | 'main' | 'high';

/** Encoder settings as data. Defaults follow IVS's recommendation (src-main/encode/encoder-profile.ts). */
export interface EncoderSettings {
  /** The channel type the settings must fit; checked before the program starts. */
  channelType: ChannelType;
  video: {
    encoder: VideoEncoderChoice;
    /** Constant bitrate (CBR). */
    bitrateKbps: number;
    keyframeIntervalSec: number;
    x264Preset: X264Preset;
    profile: H264Profile;
  };
  audio: {
    bitrateKbps: number;
    sampleRate: 44100 | 48000;
    channels: 1 | 2;
  };
}

export type EncoderSettingsPatch = {
  channelType?: ChannelType;
  video?: Partial<EncoderSettings['video']>;
  audio?: Partial<EncoderSettings['audio']>;
};

export type RecordingPhase = 'idle' | 'starting' | 'recording' | 'stopping';
export type RecordingFormat = 'mp4' | 'mkv';

export interface RecordingState {
  phase: RecordingPhase;
  /** The file being written (or the last one written, when idle). */
  file?: string;
  format?: RecordingFormat;
  startedAt?: string;
  bytes: number;
  lastError?: StudioErrorPayload;
}

export interface ProgramState {
  phase: ProgramPhase;
  phaseSince: string;
  programSceneId?: SceneId;
  /** The ffmpeg doing the work (one process for the whole run, whatever is switched). */
  pid?: number;
  /** The encoder in use, e.g. `libx264` or `h264_nvenc`. */
  videoEncoder?: string;
  /** How live changes reach ffmpeg: its zmq filter, or its stdin command mode where zmq is missing. */
  commandMode?: 'zmq' | 'stdin';
  settings: EncoderSettings;
  /** Sources that could not be opened (DEVICE_MISSING naming each); the rest of the scene runs. */
  warnings: StudioErrorPayload[];
  /** Sources or items were added/removed while running: they appear after the next start. */
  needsRestart: boolean;
  /** Why the last run ended or failed to start, when it was not a stop. */
  lastError?: StudioErrorPayload;
  recording: RecordingState;
}

export interface ProgramStats {
  at: string;
  phase: ProgramPhase;
  uptimeMs: number;
  /** Frames encoded in total, and per second over the last interval. */
  frames: number;
  fps: number;
  /** Frames ffmpeg dropped / duplicated to hold the constant frame rate (capture fell behind or jittered). */
  droppedFrames: number;
  duplicatedFrames: number;
  /** Encoding speed relative to real time (1 = keeping up). */
  speed: number;
  bitrateKbps: number;
  /** CPU of the ffmpeg children (program + recorder), percent of one core. */
  cpuPercent: number;
  recordingBytes: number;
}

export interface ProgramStartOptions {
  /** Overrides for this run (and saved as the new settings). */
  encoder?: EncoderSettingsPatch;
}

export interface SwitchSceneOptions {
  transition?: TransitionKind;
  durationMs?: number;
}

export type SceneItemPatch = Partial<Pick<SceneItem, 'x' | 'y' | 'width' | 'height' | 'crop' | 'opacity' | 'visible'>>;

export interface RecordStartOptions {
  /** Absolute file path; absent = `<data dir>/recordings/<date>.mp4`. */
  file?: string;
  format?: RecordingFormat;
}

export type ProgramRequests = {
  'program:get-state': () => ProgramState;
  'program:start': (options?: ProgramStartOptions) => ProgramState;
  'program:stop': () => ProgramState;
  /** Takes a scene to program with a cut or a fade; saved in the collection. */
  'program:switch-scene': (sceneId: SceneId, options?: SwitchSceneOptions) => ProgramState;
  /** Changes one item's transform, crop, opacity or visibility, live when running; saved. */
  'program:set-item': (sceneId: SceneId, itemId: SceneItemId, patch: SceneItemPatch) => ProgramState;
  /** Gain and mute of one source, live when running; saved. */
  'program:set-audio': (sourceId: SourceId, patch: Partial<SourceAudio>) => ProgramState;
  /** Saves encoder settings (refused, naming the limit, when over the channel type's). */
  'program:set-encoder': (patch: EncoderSettingsPatch) => ProgramState;
  'record:start': (options?: RecordStartOptions) => ProgramState;
  'record:stop': () => ProgramState;
};

export type ProgramEvents = {
  'program:state-changed': ProgramState;
  'program:stats': ProgramStats;
};

export const programRequestChannels = {
  'program:get-state': true,
  'program:start': true,
  'program:stop': true,
  'program:switch-scene': true,
  'program:set-item': true,
  'program:set-audio': true,
  'program:set-encoder': true,
  'record:start': true,
  'record:stop': true,
} as const satisfies Record<keyof ProgramRequests, true>;

export const programEventChannels = {
  'program:state-changed': true,
  'program:stats': true,
} as const satisfies Record<keyof ProgramEvents, true>;
