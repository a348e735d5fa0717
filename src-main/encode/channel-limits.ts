/**
 * The encoder settings against what the selected IVS channel type accepts, checked BEFORE the program
 * starts so a stream is never cut off by the ingest for settings the studio could have refused. The
 * limits themselves (1080p, 60 fps, 8.5 Mbps; BASIC's 1.5/3.5 Mbps) are in ivs/channel-type-limits.
 * Bitrate counts video + audio.
 */
import type { ChannelType } from '../contract/domains/accounts';
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import { StudioError } from '../core/studio-error';
import {
  bitrateLimitKbps,
  bitrateTierPhrase,
  MAX_EDGE,
  MAX_FPS,
  MAX_KEYFRAME_INTERVAL_SEC,
  MAX_PIXELS,
  SD_PIXELS,
} from '../ivs/channel-type-limits';

/** 480p and below, for BASIC's lower bitrate: judged by total pixels, as the ingest does. */
const isSd = (canvas: Pick<Canvas, 'width' | 'height'>): boolean => canvas.width * canvas.height <= SD_PIXELS;

export function channelBitrateLimitKbps(type: ChannelType, canvas: Pick<Canvas, 'width' | 'height'>): number {
  return bitrateLimitKbps(type, isSd(canvas));
}

/** Every limit the settings break, each as a sentence naming the limit; empty when they fit. */
export function findEncoderLimitBreaches(settings: EncoderSettings, canvas: Canvas): string[] {
  const type = settings.channelType;
  const breaches: string[] = [];
  const pixels = canvas.width * canvas.height;
  const edge = Math.max(canvas.width, canvas.height);
  if (pixels > MAX_PIXELS || edge > MAX_EDGE) {
    const why = pixels > MAX_PIXELS ? `${pixels} pixels, more than ${MAX_PIXELS}` : `an edge of ${edge} pixels, longer than ${MAX_EDGE}`;
    breaches.push(`Resolution ${canvas.width}x${canvas.height} exceeds the ${type} channel limit of 1080p (${why}).`);
  }
  if (canvas.fps > MAX_FPS) breaches.push(`Frame rate ${canvas.fps} fps exceeds the IVS limit of ${MAX_FPS} fps.`);
  const limit = channelBitrateLimitKbps(type, canvas);
  const total = settings.video.bitrateKbps + settings.audio.bitrateKbps;
  if (total > limit) {
    const where = bitrateTierPhrase(type, isSd(canvas));
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
