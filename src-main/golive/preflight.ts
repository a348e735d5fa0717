/**
 * Go-live preflight: checks the encoder settings and the target against what IVS accepts, before a
 * single byte is sent. Pure — the caller gathers the facts (channel type, ingest reachability, whether
 * the keychain holds a key); every failed check says what to change.
 *
 * Limits (shared/reference/ivs-api.md §4–5; the per-type numbers live in ivs/channel-type-limits):
 * STANDARD and ADVANCED_* ingest up to 1080p and 8.5 Mbps; BASIC up to 1.5 Mbps at 480p and 3.5 Mbps
 * above; at most 60 fps; H.264 + AAC-LC; 2 s keyframes recommended (never above 5 s); CBR strongly
 * recommended; a stream ends after 48 hours.
 */
import type {
  AccountKind,
  ChannelType,
  PreflightCheck,
  PreflightEncoderSettings,
  PreflightReport,
  SessionLimitInfo,
} from '../contract/domains/accounts';
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import {
  bitrateLimitKbps,
  bitrateTiers,
  MAX_EDGE,
  MAX_FPS,
  MAX_KEYFRAME_INTERVAL_SEC,
  MAX_PIXELS,
  MAX_SHORT_EDGE,
  SD_SHORT_EDGE,
} from '../ivs/channel-type-limits';

export interface PreflightTarget {
  kind: AccountKind;
  /** IVS channels only; custom RTMP(S) targets have no known limits. */
  channelType?: ChannelType;
  name?: string;
}

export interface PreflightInput {
  /** Undefined when nothing is selected. */
  target?: PreflightTarget;
  encoder: PreflightEncoderSettings;
  ingest: { url?: string; reachable?: boolean; problem?: string };
  streamKeyPresent: boolean;
}

export interface ChannelTypeLimits {
  maxPixels: number;
  maxEdge: number;
  maxShortEdge: number;
  /** Total ingest bitrate (video + audio), kbps, for a given short edge. */
  maxKbps(shortEdge: number): number;
  maxFps: number;
  describe: string;
}

const FULL_HD = { maxPixels: MAX_PIXELS, maxEdge: MAX_EDGE, maxShortEdge: MAX_SHORT_EDGE, maxFps: MAX_FPS };
const mbps = (kbps: number): string => `${kbps / 1000} Mbps`;

/**
 * The limits of a channel type as preflight applies them. "480p and below" is read here by the short
 * edge; the encoder check and the ingest count total pixels, which differs only for odd shapes such as
 * 1920×480.
 */
export function channelTypeLimits(type: ChannelType): ChannelTypeLimits {
  const tiers = bitrateTiers(type);
  const maxKbps = (shortEdge: number) => bitrateLimitKbps(type, shortEdge <= SD_SHORT_EDGE);
  if (tiers.atOrBelowSd !== tiers.aboveSd) {
    return {
      ...FULL_HD,
      maxKbps,
      describe: `${type} channels take up to ${mbps(tiers.atOrBelowSd)} at 480p and ${mbps(tiers.aboveSd)} above 480p (up to 1080p)`,
    };
  }
  return { ...FULL_HD, maxKbps, describe: `${type} channels take up to 1080p and ${mbps(tiers.aboveSd)}` };
}

/**
 * The program's encoder settings and canvas, as preflight reads them. Every encoder the studio offers
 * (x264 and the hardware ones) produces H.264 at constant bitrate with AAC-LC audio.
 */
export function preflightEncoderFrom(settings: EncoderSettings, canvas: Canvas): PreflightEncoderSettings {
  return {
    videoCodec: settings.video.encoder === 'auto' || settings.video.encoder === 'x264' ? 'libx264' : `h264_${settings.video.encoder}`,
    width: canvas.width,
    height: canvas.height,
    fps: canvas.fps,
    videoBitrateKbps: settings.video.bitrateKbps,
    keyframeIntervalSec: settings.video.keyframeIntervalSec,
    rateControl: 'cbr',
    audioCodec: 'aac',
    audioBitrateKbps: settings.audio.bitrateKbps,
    audioSampleRate: settings.audio.sampleRate,
    audioChannels: settings.audio.channels,
  };
}

export const MAX_SESSION_MS = 48 * 60 * 60 * 1000;
const WARN_REMAINING_MS = 60 * 60 * 1000;
const CRITICAL_REMAINING_MS = 10 * 60 * 1000;

export function runPreflight(input: PreflightInput): PreflightReport {
  const checks: PreflightCheck[] = [];
  const pass = (id: PreflightCheck['id'], message: string) => checks.push({ id, ok: true, severity: 'error', message });
  const fail = (id: PreflightCheck['id'], message: string, fix: string, severity: PreflightCheck['severity'] = 'error') =>
    checks.push({ id, ok: false, severity, message, fix });
  const { encoder, target } = input;

  if (!target) fail('target', 'No channel or target is selected.', 'Pick a channel (or a custom RTMP target) in Channel.');
  else pass('target', `Target: ${target.name ?? target.kind}${target.channelType ? ` (${target.channelType})` : ''}.`);

  // Codec: IVS low-latency single-track ingest is H.264.
  if (isH264(encoder.videoCodec)) pass('video-codec', `Video codec ${encoder.videoCodec} is H.264.`);
  else fail('video-codec', `IVS takes H.264 video; the encoder is set to ${encoder.videoCodec || 'nothing'}.`, 'Choose an H.264 encoder (x264, or a hardware H.264 encoder) in the output settings.');

  const { width, height, fps } = encoder;
  const shortEdge = Math.min(width, height);
  const limits = target?.channelType ? channelTypeLimits(target.channelType) : undefined;
  if (!(width > 0 && height > 0)) {
    fail('resolution', `The output resolution ${width}×${height} is not valid.`, 'Set an output resolution such as 1280×720.');
  } else if (limits && (width * height > limits.maxPixels || Math.max(width, height) > limits.maxEdge || shortEdge > limits.maxShortEdge)) {
    fail('resolution', `${width}×${height} is above what the channel accepts: ${limits.describe}.`, 'Lower the output (scaled) resolution to 1920×1080 or less.');
  } else {
    pass('resolution', `${width}×${height} fits${limits ? ' the channel' : ''}.`);
  }

  const totalKbps = encoder.videoBitrateKbps + (encoder.audioBitrateKbps ?? 0);
  if (!(encoder.videoBitrateKbps > 0)) {
    fail('bitrate', 'The video bitrate is not set.', 'Set a video bitrate, e.g. 3500 kbps for 720p.');
  } else if (limits && totalKbps > limits.maxKbps(shortEdge)) {
    const max = limits.maxKbps(shortEdge);
    fail(
      'bitrate',
      `${totalKbps} kbps (video ${encoder.videoBitrateKbps}${encoder.audioBitrateKbps ? ` + audio ${encoder.audioBitrateKbps}` : ''}) is above the ${max} kbps this channel takes at ${shortEdge}p; IVS would disconnect the stream.`,
      `Lower the video bitrate to ${Math.max(0, max - (encoder.audioBitrateKbps ?? 0))} kbps or less${target?.channelType === 'BASIC' && shortEdge <= 480 ? ', or raise the resolution above 480p (3.5 Mbps allowed there)' : ''}.`,
    );
  } else {
    pass('bitrate', `${totalKbps} kbps fits${limits ? ' the channel' : ''}.`);
  }

  if (!(fps > 0)) fail('framerate', 'The frame rate is not set.', 'Set 30 or 60 fps.');
  else if (fps > (limits?.maxFps ?? MAX_FPS)) fail('framerate', `${fps} fps is above the ${MAX_FPS} fps IVS ingests.`, `Set the frame rate to ${MAX_FPS} fps or less.`);
  else pass('framerate', `${fps} fps is fine.`);

  const gop = encoder.keyframeIntervalSec;
  if (!(gop > 0) || gop > MAX_KEYFRAME_INTERVAL_SEC) {
    fail('keyframe-interval', `A keyframe interval of ${gop || 'unset'} s will not play well on IVS (it needs one at least every 5 s; 2 s is recommended).`, 'Set the keyframe interval to 2 s (scene-cut keyframes off).');
  } else if (gop > 2) {
    fail('keyframe-interval', `A keyframe interval of ${gop} s adds latency; IVS recommends 2 s.`, 'Set the keyframe interval to 2 s.', 'warning');
  } else {
    pass('keyframe-interval', `Keyframes every ${gop} s.`);
  }

  if (encoder.rateControl && encoder.rateControl !== 'cbr') {
    fail('rate-control', `Rate control is ${encoder.rateControl.toUpperCase()}; IVS strongly recommends CBR, and bitrate spikes above the channel limit disconnect the stream.`, 'Switch rate control to CBR.', 'warning');
  }

  checkAudio(encoder, pass, fail);

  if (!input.ingest.url) {
    fail('ingest', 'There is no ingest endpoint for the selected target.', 'Select the channel again in Channel to fetch its ingest endpoint.');
  } else if (input.ingest.reachable === false) {
    fail('ingest', `The ingest ${input.ingest.url} could not be reached${input.ingest.problem ? `: ${input.ingest.problem}` : ''}.`, 'Check the network connection (and that the local channel is running), then try again.');
  } else {
    pass('ingest', `Ingest ${input.ingest.url}${input.ingest.reachable ? ' is reachable' : ''}.`);
  }

  if (input.streamKeyPresent) pass('stream-key', 'A stream key is in the keychain.');
  else fail('stream-key', 'There is no stream key for this target in the keychain.', 'Select the channel again in Channel (the studio fetches its key), or rotate the key.');

  return { ok: checks.every((c) => c.ok || c.severity === 'warning'), checks };
}

type Pass = (id: PreflightCheck['id'], message: string) => void;
type Fail = (id: PreflightCheck['id'], message: string, fix: string, severity?: PreflightCheck['severity']) => void;

function checkAudio(encoder: PreflightEncoderSettings, pass: Pass, fail: Fail): void {
  if (!encoder.audioCodec) {
    fail('audio', 'The program has no audio track.', 'Add an audio source (or a silent track) if viewers should hear anything.', 'warning');
    return;
  }
  if (!/^(aac|mp4a|libfdk_aac)/i.test(encoder.audioCodec)) {
    fail('audio', `IVS takes AAC audio; the encoder is set to ${encoder.audioCodec}.`, 'Choose AAC (AAC-LC) for audio.');
    return;
  }
  if (encoder.audioSampleRate && encoder.audioSampleRate !== 44_100 && encoder.audioSampleRate !== 48_000) {
    fail('audio', `Audio at ${encoder.audioSampleRate} Hz; IVS takes 44.1 or 48 kHz.`, 'Set the audio sample rate to 48 kHz.');
    return;
  }
  if (encoder.audioChannels && encoder.audioChannels > 2) {
    fail('audio', `${encoder.audioChannels} audio channels; IVS takes mono or stereo.`, 'Mix the audio down to stereo.');
    return;
  }
  pass('audio', `Audio ${encoder.audioCodec}${encoder.audioSampleRate ? ` ${encoder.audioSampleRate / 1000} kHz` : ''}.`);
}

function isH264(codec: string): boolean {
  return /(^|[^a-z])(h\.?264|avc1?|x264|libx264|openh264)/i.test(codec ?? '') || /_h264$|^h264_/i.test(codec ?? '');
}

/** IVS's 48 h session limit for a stream that started at `startTime`. */
export function sessionLimit(startTime: string | Date, now: Date = new Date()): SessionLimitInfo {
  const started = typeof startTime === 'string' ? new Date(startTime) : startTime;
  const elapsedMs = Math.max(0, now.getTime() - started.getTime());
  const remainingMs = Math.max(0, MAX_SESSION_MS - elapsedMs);
  const level: SessionLimitInfo['level'] = remainingMs <= CRITICAL_REMAINING_MS ? 'critical' : remainingMs <= WARN_REMAINING_MS ? 'warning' : 'ok';
  const message =
    level === 'ok'
      ? `Live for ${formatDuration(elapsedMs)}; IVS ends a stream after 48 h (${formatDuration(remainingMs)} left).`
      : `IVS will end this stream in ${formatDuration(remainingMs)} (48 h limit). Going live again starts a new stream.`;
  return { elapsedMs, remainingMs, level, message };
}

export function formatDuration(ms: number): string {
  const totalMinutes = Math.floor(ms / 60_000);
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  if (h === 0) return `${m} min`;
  return `${h} h ${String(m).padStart(2, '0')} min`;
}
