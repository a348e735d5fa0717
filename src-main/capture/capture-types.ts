/** The shapes shared by the capture builders (kept apart so the per-OS builders import no cycle). */
import type { Canvas } from '../contract/domains/scenes';
import { StudioError } from '../core/studio-error';

export type CapturePlatform = 'linux' | 'darwin' | 'win32';

/** One ffmpeg input: its options and `-i`, and which streams it gives. */
export interface CaptureInput {
  args: string[];
  video: boolean;
  audio: boolean;
}

/** A file the program writes into its private work folder before spawning ffmpeg (e.g. a text's words). */
export interface WorkFile {
  name: string;
  contents: string;
}

export interface SourcePlan {
  inputs: CaptureInput[];
  /** Filters after `setpts=PTS-STARTPTS` on the source's video (once per source, before any split). */
  videoFilters: string[];
  /** Filters after `asetpts=PTS-STARTPTS` on the source's audio. */
  audioFilters: string[];
  /** A device with wall-clock timestamps (no `-re`; drift corrected by aresample). */
  live: boolean;
  /** What is opened, for a DEVICE_MISSING message: "camera /dev/video0". */
  opens: string;
  /** The `-i` values, to match ffmpeg's "<url>: <error>" lines back to this source. */
  urls: string[];
  files: WorkFile[];
}

export interface CaptureContext {
  platform: CapturePlatform;
  canvas: Canvas;
  /** X11 display for window capture and the default screen (Linux), e.g. `:0`. */
  x11Display?: string;
  /** Filters the ffmpeg binary has (ddagrab on Windows is a filter). */
  filters?: readonly string[];
  /** The program's private folder, where `files` are written. */
  workDir: string;
  /** Whether a media file has video/audio streams (from ffprobe); defaults to video only. */
  media?: { hasVideo: boolean; hasAudio: boolean };
}

/** A device input as the per-OS builders return it. */
export interface DeviceInput {
  args: string[];
  url: string;
  videoFilters?: string[];
  video: boolean;
  audio: boolean;
}

/** Thrown by a per-OS builder for a kind that OS cannot capture through ffmpeg. */
export function unsupportedCapture(what: string, platform: CapturePlatform): StudioError {
  return new StudioError('DEVICE_MISSING', { message: `${what} is not available on ${platform} through ffmpeg.` });
}
