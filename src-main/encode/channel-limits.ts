/**
 * What each IVS channel type accepts, checked BEFORE the program starts so a stream is never cut off
 * by the ingest for settings the studio could have refused (reference/ivs-api.md §4): STANDARD and
 * ADVANCED_* take up to 1080p and 8.5 Mbps; BASIC 1.5 Mbps at 480p and below, 3.5 Mbps above, still
 * at most 1080p; any type at most 60 fps. Resolution counts total pixels and the longest edge, as the
 * ingest does (portrait 1080×1920 fits, 2560×810 does not). Bitrate counts video + audio.
 */
import type { ChannelType } from '../contract/domains/accounts';
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import { StudioError } from '../core/studio-error';

const FULL_HD_PIXELS = 1920 * 1080;
const MAX_EDGE = 1920;
const SD_PIXELS = 854 * 480;
const MAX_FPS = 60;
/** IVS wants a keyframe every 2 s and never more than 5 s apart. */
const MAX_KEYFRAME_INTERVAL_SEC = 5;

export function channelBitrateLimitKbps(type: ChannelType, canvas: Pick<Canvas, 'width' | 'height'>): number {
  if (type !== 'BASIC') return 8500;
  return canvas.width * canvas.height <= SD_PIXELS ? 1500 : 3500;
}

/** Every limit the settings break, each as a sentence naming the limit; empty when they fit. */
export function findEncoderLimitBreaches(settings: EncoderSettings, canvas: Canvas): string[] {
  const type = settings.channelType;
  const breaches: string[] = [];
  const pixels = canvas.width * canvas.height;
  const edge = Math.max(canvas.width, canvas.height);
  if (pixels > FULL_HD_PIXELS || edge > MAX_EDGE) {
    const why = pixels > FULL_HD_PIXELS ? `${pixels} pixels, more than ${FULL_HD_PIXELS}` : `an edge of ${edge} pixels, longer than ${MAX_EDGE}`;
    breaches.push(`Resolution ${canvas.width}x${canvas.height} exceeds the ${type} channel limit of 1080p (${why}).`);
  }
  if (canvas.fps > MAX_FPS) breaches.push(`Frame rate ${canvas.fps} fps exceeds the IVS limit of ${MAX_FPS} fps.`);
  const limit = channelBitrateLimitKbps(type, canvas);
  const total = settings.video.bitrateKbps + settings.audio.bitrateKbps;
  if (total > limit) {
    const where = type === 'BASIC' ? (limit === 1500 ? ' at 480p and below' : ' above 480p') : '';
    breaches.push(
      `Bitrate ${settings.video.bitrateKbps} kbps video + ${settings.audio.bitrateKbps} kbps audio = ${total} kbps exceeds the ${type} channel limit of ${limit} kbps${where}.`,
    );
  }
  if (settings.video.keyframeIntervalSec > MAX_KEYFRAME_INTERVAL_SEC) {
    breaches.push(`Keyframe interval ${settings.video.keyframeIntervalSec} s exceeds the IVS limit of ${MAX_KEYFRAME_INTERVAL_SEC} s (2 s recommended).`);
  }
  return breaches;
}

/** Throws ENCODER_LIMIT naming every broken limit. */
export function assertWithinChannelLimits(settings: EncoderSettings, canvas: Canvas): void {
  const breaches = findEncoderLimitBreaches(settings, canvas);
  if (breaches.length > 0) {
    throw new StudioError('ENCODER_LIMIT', {
      message: breaches.join(' '),
      action: `Lower the bitrate or the canvas size, or use a channel type that allows more.`,
    });
  }
}
