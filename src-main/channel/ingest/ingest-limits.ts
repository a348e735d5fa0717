/**
 * What the local channel's ingest enforces per channel type, as IVS does. The limits are in
 * ivs/channel-type-limits, shared with the studio's own checks so both agree. Resolution is checked
 * both as total pixels and as pixels per edge, as IVS's "Ingest Resolution" breach reports it, so
 * portrait 1080×1920 passes and 2560×810 does not. Pure functions, unit-tested.
 */
import { bitrateLimitKbps, bitrateTierPhrase, MAX_EDGE, MAX_PIXELS, SD_PIXELS } from '../../ivs/channel-type-limits';
import type { ChannelType } from '../runtime';

/** 480p and below, for BASIC's lower bitrate: judged by total pixels. */
const isSd = (width: number, height: number): boolean => width * height <= SD_PIXELS;

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
  if (pixels <= MAX_PIXELS && Math.max(width, height) <= MAX_EDGE) return undefined;
  const why = pixels > MAX_PIXELS ? `${pixels} pixels is more than ${MAX_PIXELS}` : `an edge of ${Math.max(width, height)} pixels is longer than ${MAX_EDGE}`;
  return {
    limit: 'Ingest Resolution',
    code: 'IngestResolutionExceeded',
    description: `Input resolution ${width}x${height} exceeds the ${type} channel limit of 1080p (${why}).`,
  };
}

/** The bitrate cap for a channel type at a resolution, in bits per second. */
export function bitrateLimitBps(type: ChannelType, width: number, height: number): number {
  return bitrateLimitKbps(type, isSd(width, height)) * 1000;
}

/**
 * `measuredBps` is audio + video over the measurement window; `tolerance` absorbs CBR encoders'
 * short overshoot (rate control settles over a few seconds, the window is about that long).
 */
export function checkBitrate(type: ChannelType, width: number, height: number, measuredBps: number, tolerance = 1.1): LimitBreach | undefined {
  const limit = bitrateLimitBps(type, width, height);
  if (measuredBps <= limit * tolerance) return undefined;
  const mbps = (bps: number) => `${(bps / 1e6).toFixed(2).replace(/\.?0+$/, '')} Mbps`;
  const at = bitrateTierPhrase(type, isSd(width, height));
  return {
    limit: 'Ingest Bitrate',
    code: 'IngestBitrateExceeded',
    description: `Input bitrate ${mbps(measuredBps)} exceeds the ${type} channel limit of ${mbps(limit)}${at}.`,
  };
}
