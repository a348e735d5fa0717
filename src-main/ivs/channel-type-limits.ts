/**
 * What each IVS channel type accepts at ingest (reference/ivs-api.md §4). The one table behind the
 * encoder check (encode/channel-limits), the go-live preflight (golive/preflight) and the local
 * channel's ingest (channel/ingest/ingest-limits): kept in one place so the studio never lets through
 * what the channel would cut off, nor refuses what it takes. Data and pure functions only.
 */
import type { ChannelType } from '../contract/domains/accounts';

/** Every type ingests at most 1080p, which IVS checks as total pixels and as the longest edge (portrait 1080×1920 fits, 2560×810 does not). */
export const MAX_PIXELS = 1920 * 1080;
export const MAX_EDGE = 1920;
export const MAX_SHORT_EDGE = 1080;
export const MAX_FPS = 60;
/** IVS wants a keyframe every 2 s and never more than 5 s apart. */
export const MAX_KEYFRAME_INTERVAL_SEC = 5;

/** 480p as encoders make it: 854×480 (16:9) or 640×480 (4:3). BASIC's lower bitrate applies up to here. */
export const SD_PIXELS = 854 * 480;
export const SD_SHORT_EDGE = 480;

/** Total ingest bitrate (video + audio) in kbps, at 480p and below and above it. */
export interface BitrateTiers {
  atOrBelowSd: number;
  aboveSd: number;
}

export const BITRATE_KBPS: Record<ChannelType, BitrateTiers> = {
  STANDARD: { atOrBelowSd: 8_500, aboveSd: 8_500 },
  ADVANCED_SD: { atOrBelowSd: 8_500, aboveSd: 8_500 },
  ADVANCED_HD: { atOrBelowSd: 8_500, aboveSd: 8_500 },
  BASIC: { atOrBelowSd: 1_500, aboveSd: 3_500 },
};

/** The tiers of a type; a type newer than this table (from a newer IVS) gets STANDARD's, as every non-BASIC type has so far. */
export function bitrateTiers(type: ChannelType): BitrateTiers {
  return BITRATE_KBPS[type] ?? BITRATE_KBPS.STANDARD;
}

/** The bitrate cap in kbps; `atOrBelowSd` is the caller's reading of "480p and below". */
export function bitrateLimitKbps(type: ChannelType, atOrBelowSd: boolean): number {
  const tiers = bitrateTiers(type);
  return atOrBelowSd ? tiers.atOrBelowSd : tiers.aboveSd;
}

/** " at 480p and below" / " above 480p" for a type whose cap depends on the resolution, else "": to end a sentence naming the cap. */
export function bitrateTierPhrase(type: ChannelType, atOrBelowSd: boolean): string {
  const tiers = bitrateTiers(type);
  if (tiers.atOrBelowSd === tiers.aboveSd) return '';
  return atOrBelowSd ? ' at 480p and below' : ' above 480p';
}
