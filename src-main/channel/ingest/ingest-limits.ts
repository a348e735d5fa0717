/**
 * What each channel type accepts at ingest (IVS: STANDARD and ADVANCED_* up to 1080p and 8.5 Mbps;
 * BASIC up to 1.5 Mbps at 480p and 3.5 Mbps above, still at most 1080p). Resolution is checked both as
 * total pixels and as pixels per edge, as IVS's "Ingest Resolution" breach reports it, so portrait
 * 1080×1920 passes and 2560×810 does not. Pure functions, unit-tested.
 */
import type { ChannelType } from '../runtime';

const FULL_HD_PIXELS = 1920 * 1080;
const MAX_EDGE = 1920;
/** 480p as encoders make it: 854×480 (16:9) or 640×480 (4:3). */
const SD_PIXELS = 854 * 480;

export interface LimitBreach {
  /** IVS's limit_name: "Ingest Bitrate" or "Ingest Resolution". */
  limit: 'Ingest Bitrate' | 'Ingest Resolution';
  /** For StreamEvent.code. */
  code: 'IngestBitrateExceeded' | 'IngestResolutionExceeded';
  /** A sentence for the log and the encoder's onStatus. */
  description: string;
}

export function checkResolution(type: ChannelType, width: number, height: number): LimitBreach | undefined {
  const pixels = width * height;
  if (pixels <= FULL_HD_PIXELS && Math.max(width, height) <= MAX_EDGE) return undefined;
  const why = pixels > FULL_HD_PIXELS ? `${pixels} pixels is more than ${FULL_HD_PIXELS}` : `an edge of ${Math.max(width, height)} pixels is longer than ${MAX_EDGE}`;
  return {
    limit: 'Ingest Resolution',
    code: 'IngestResolutionExceeded',
    description: `Input resolution ${width}x${height} exceeds the ${type} channel limit of 1080p (${why}).`,
  };
}

/** The bitrate cap for a channel type at a resolution, in bits per second. */
export function bitrateLimitBps(type: ChannelType, width: number, height: number): number {
  if (type !== 'BASIC') return 8_500_000;
  return width * height <= SD_PIXELS ? 1_500_000 : 3_500_000;
}

/**
 * `measuredBps` is audio + video over the measurement window; `tolerance` absorbs CBR encoders'
 * short overshoot (rate control settles over a few seconds, the window is about that long).
 */
export function checkBitrate(type: ChannelType, width: number, height: number, measuredBps: number, tolerance = 1.1): LimitBreach | undefined {
  const limit = bitrateLimitBps(type, width, height);
  if (measuredBps <= limit * tolerance) return undefined;
  const mbps = (bps: number) => `${(bps / 1e6).toFixed(2).replace(/\.?0+$/, '')} Mbps`;
  const at = type === 'BASIC' ? (limit === 1_500_000 ? ' at 480p and below' : ' above 480p') : '';
  return {
    limit: 'Ingest Bitrate',
    code: 'IngestBitrateExceeded',
    description: `Input bitrate ${mbps(measuredBps)} exceeds the ${type} channel limit of ${mbps(limit)}${at}.`,
  };
}
