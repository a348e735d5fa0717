/**
 * Monitoring: what the viewers see and how healthy the stream is, at a glance.
 *
 * - Preview: which playback the preview player plays (`monitor:get-state` → `preview`), and the
 *   latency it measures from the output's wall-clock SEI stamps (`monitor:latency-report`, player → engine).
 * - Program monitor: the composed program before encoding, as small JPEG frames (`monitor:program-frame`).
 * - Stats dock: one `monitor:stats` per second — program, output, processes, latency, IVS's own view and
 *   where the two disagree — with OBS's warning/danger levels already decided.
 * - Audio meters: `monitor:audio-levels` several times a second, per source and for the program mix.
 * - Post-show reports: one per stream, written to `<data dir>/reports/`, listed and read back here.
 */
import type { StudioErrorPayload } from '../errors';
import type { IngestAudioConfiguration, IngestVideoConfiguration } from './accounts';
import type { StreamState } from './stream';

/** OBS's colours: warning from 1% dropped frames or under 95% of the target frame rate, danger from 5% / under 80%. */
export type HealthLevel = 'ok' | 'warning' | 'danger';

/* ------------------------------------------------------------------ preview */

export type PreviewPlayerKind = 'hls.js' | 'ivs-player';

/** What the preview plays. */
export interface PreviewSource {
  /** local-channel: the embedded channel (hls.js, low-latency HLS); ivs: a real IVS channel (IVS Player SDK); custom: a URL the user gave. */
  kind: 'local-channel' | 'ivs' | 'custom';
  player: PreviewPlayerKind;
  /** The playback URL, with `?token=` for a private channel. */
  playbackUrl: string;
  channelArn?: string;
  label: string;
  /** The channel is private: the URL carries a viewer token the studio signed (or none could be made: see `problem`). */
  authorized: boolean;
  /** When the token in the URL stops being accepted for a new playback session. */
  tokenExpiresAt?: string;
  /** Why the preview may not play (private channel without a playback key, …), in plain words. */
  problem?: string;
}

export type PlayerState = 'offline' | 'starting' | 'playing' | 'reconnecting' | 'error';

/** What the preview player measured since its last report (about once a second). */
export interface PlayerLatencyReport {
  player: PreviewPlayerKind;
  state: PlayerState;
  /** Glass-to-glass latency of frames shown since the last report, ms (display wall clock − SEI stamp). */
  samplesMs: number[];
  /** The player's own estimate of its distance from the live edge, ms (hls.latency / IVS getLiveLatency). */
  bufferMs?: number;
  /** The player's target latency (hls.js: the playlist's PART-HOLD-BACK), ms. */
  targetMs?: number;
  /** Frames shown carried our SEI stamp. False with frames shown: the stream has no stamps (not ours, or stripped). */
  seiPresent: boolean;
  /** Times the player stalled or recovered since the last report. */
  stalls: number;
  recoveries: number;
}

/* ------------------------------------------------------------------ stats */

export interface ProcessUsage {
  /** `studio` (the engine's own process), `program ffmpeg`, `recorder ffmpeg`, … */
  label: string;
  pid?: number;
  /** Percent of one core over the last interval. */
  cpuPercent: number;
  /** Resident memory. */
  memoryMb: number;
}

export interface ProgramHealth {
  running: boolean;
  fps: number;
  targetFps: number;
  fpsLevel: HealthLevel;
  frames: number;
  /** Frames ffmpeg dropped / duplicated to hold the frame rate (capture or compose fell behind). */
  droppedFrames: number;
  duplicatedFrames: number;
  /** (dropped + duplicated) / frames, as OBS's "skipped frames", percent. */
  skippedPercent: number;
  skippedLevel: HealthLevel;
  /** Encoding speed relative to real time (1 = keeping up). */
  speed: number;
  encoder?: string;
}

export interface OutputHealth {
  state: StreamState;
  uptimeMs: number;
  bitrateKbps: number;
  framesSent: number;
  droppedFrames: number;
  /** dropped / (sent + dropped), percent, as OBS's "dropped frames (network)". */
  droppedPercent: number;
  droppedLevel: HealthLevel;
  congestion: number;
  reconnects: { count: number; durationsMs: number[]; current?: { attempt: number; sinceMs: number } };
}

export interface LatencyHealth {
  /** Where the glass-to-glass figure comes from: our SEI stamps, or nothing (then it is absent, never guessed). */
  source: 'sei' | 'none';
  playerState: PlayerState;
  player?: PreviewPlayerKind;
  /** Median glass-to-glass over the last few seconds, ms. */
  glassToGlassMs?: number;
  p95Ms?: number;
  bufferMs?: number;
  targetMs?: number;
  /** IVS's advertised end-to-end latency: under 5 s. */
  ivsTargetMs: number;
  level: HealthLevel;
  reportedAt?: string;
}

/** IVS's own view of the stream (GetStream / GetStreamSession, from the status poller). */
export interface IvsView {
  channelArn: string;
  state: 'LIVE' | 'OFFLINE' | 'UNKNOWN';
  health?: 'HEALTHY' | 'STARVING' | 'UNKNOWN';
  viewerCount?: number;
  video?: IngestVideoConfiguration;
  audio?: IngestAudioConfiguration;
  polledAt: string;
  error?: StudioErrorPayload;
}

/** A disagreement between what the studio believes and what IVS reports. */
export interface Divergence {
  id: 'state' | 'health' | 'resolution' | 'framerate' | 'bitrate' | 'codec';
  level: HealthLevel;
  message: string;
}

export interface StudioStats {
  at: string;
  program?: ProgramHealth;
  output?: OutputHealth;
  processes: ProcessUsage[];
  cpuTotalPercent: number;
  memoryTotalMb: number;
  latency: LatencyHealth;
  ivs?: IvsView;
  divergences: Divergence[];
  /** The worst level shown anywhere above. */
  level: HealthLevel;
}

/* ------------------------------------------------------------------ audio */

export interface AudioLevel {
  /** Peak over the window, dBFS (−∞ is sent as −120). */
  peakDb: number;
  rmsDb: number;
  /** A sample reached full scale (≥ −0.1 dBFS) in the window. */
  clipped: boolean;
}

export interface AudioMeter extends AudioLevel {
  /** `program` for the mix, else the source id. */
  id: string;
  label: string;
}

export interface AudioLevels {
  at: string;
  meters: AudioMeter[];
}

/* ------------------------------------------------------------------ program monitor */

export type MonitorView = 'program' | 'preview';

export interface ProgramMonitorState {
  state: 'off' | 'running' | 'unavailable';
  /** Why there is no picture, in plain words. */
  reason?: string;
  width?: number;
  height?: number;
  fps?: number;
  /** Studio mode: a second view with the preview scene. */
  views: MonitorView[];
}

/** One frame of the program (or studio-mode preview scene) before encoding, as a small JPEG. */
export interface ProgramFrame {
  view: MonitorView;
  seq: number;
  /** Wall clock when the engine received the frame from ffmpeg. */
  at: number;
  /** Estimated capture time of the frame (the program's media time on the wall clock, as the SEI stamps use). */
  capturedAt?: number;
  /** Base64 JPEG. */
  jpeg: string;
}

/* ------------------------------------------------------------------ reports */

export interface ShowReportSummary {
  id: string;
  label: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  droppedFrames: number;
  reconnects: number;
  latencyP50Ms?: number;
}

export interface ShowTimelinePoint {
  /** ms since the show started. */
  t: number;
  state: StreamState;
  fps?: number;
  bitrateKbps?: number;
  /** Cumulative. */
  droppedOutput: number;
  skippedProgram: number;
  cpuPercent: number;
  latencyMs?: number;
  viewers?: number;
}

export interface ShowReport extends ShowReportSummary {
  target: { kind: string; label: string; channelArn?: string };
  timeline: ShowTimelinePoint[];
  dropped: { output: number; outputByCause: Record<string, number>; programDropped: number; programDuplicated: number; framesSent: number };
  reconnectList: Array<{ at: string; durationMs: number }>;
  latency: {
    samples: number;
    source: 'sei' | 'none';
    p50Ms?: number;
    p95Ms?: number;
    minMs?: number;
    maxMs?: number;
    /** 100 ms buckets. */
    histogram: Array<{ fromMs: number; count: number }>;
  };
  cues: { fired: number; confirmed: number; failed: number; items: Array<{ at: string; label: string; confirmedAfterMs?: number; failed?: string }> };
  throttles: Array<{ at: string; what: string }>;
  /** The plots, as SVG drawn by the engine from the numbers above (no script, labels escaped). */
  plots: Array<{ id: string; title: string; svg: string }>;
  /** Where the report lives on disk (JSON + a standalone HTML page with the same plots). */
  files: { json: string; html: string };
}

/* ------------------------------------------------------------------ state and API */

export interface MonitorState {
  preview: PreviewSource | null;
  /** A playback URL the user set for the preview (custom targets); overrides the channel's. */
  customPlaybackUrl?: string;
  /** The player chosen for it (IVS playback behind a custom domain needs the IVS player). */
  customPlayer?: PreviewPlayerKind;
  programMonitor: ProgramMonitorState;
  stats?: StudioStats;
}

export type MonitorRequests = {
  'monitor:get-state': () => MonitorState;
  /** Plays this URL in the preview instead of the channel's (e.g. a custom RTMP target's player URL); null goes back. */
  'monitor:set-preview-url': (url: string | null, player?: PreviewPlayerKind) => MonitorState;
  /** The preview player's measurements (glass-to-glass samples from the SEI stamps, buffer latency, state). */
  'monitor:latency-report': (report: PlayerLatencyReport) => void;
  'reports:list': () => ShowReportSummary[];
  'reports:get': (id: string) => ShowReport;
};

export type MonitorEvents = {
  'monitor:state-changed': MonitorState;
  'monitor:stats': StudioStats;
  'monitor:audio-levels': AudioLevels;
  'monitor:program-frame': ProgramFrame;
  /** A post-show report was written. */
  'reports:added': ShowReportSummary;
};

export const monitorRequestChannels = {
  'monitor:get-state': true,
  'monitor:set-preview-url': true,
  'monitor:latency-report': true,
  'reports:list': true,
  'reports:get': true,
} as const satisfies Record<keyof MonitorRequests, true>;

export const monitorEventChannels = {
  'monitor:state-changed': true,
  'monitor:stats': true,
  'monitor:audio-levels': true,
  'monitor:program-frame': true,
  'reports:added': true,
} as const satisfies Record<keyof MonitorEvents, true>;
