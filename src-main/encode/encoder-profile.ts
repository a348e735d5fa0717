/**
 * Encoder settings as data. The defaults are IVS's recommendation (reference/ivs-api.md §5): H.264
 * Main, CBR, a keyframe every 2 s with scene-cut keyframes off, AAC-LC 48 kHz stereo — with a bitrate
 * that fits both the canvas and the channel type.
 */
import type { ChannelType } from '../contract/domains/accounts';
import type { EncoderSettings, EncoderSettingsPatch } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import { z } from 'zod';

/** A video bitrate for a canvas on a channel type, leaving room for the audio under the channel's cap. */
export function recommendedVideoBitrateKbps(channelType: ChannelType, canvas: Canvas): number {
  const pixels = canvas.width * canvas.height;
  const highRate = canvas.fps > 30;
  if (channelType === 'BASIC') return pixels <= 854 * 480 ? 1300 : 3300;
  if (pixels <= 854 * 480) return highRate ? 2000 : 1500;
  if (pixels <= 1280 * 720) return highRate ? 4500 : 3500;
  return highRate ? 8000 : 6000;
}

export function defaultEncoderSettings(channelType: ChannelType = 'STANDARD', canvas: Canvas = { width: 1280, height: 720, fps: 30 }): EncoderSettings {
  return {
    channelType,
    video: {
      encoder: 'auto',
      bitrateKbps: recommendedVideoBitrateKbps(channelType, canvas),
      keyframeIntervalSec: 2,
      x264Preset: 'veryfast',
      profile: 'main',
    },
    audio: { bitrateKbps: channelType === 'BASIC' ? 128 : 160, sampleRate: 48000, channels: 2 },
  };
}

const channelType = z.enum(['STANDARD', 'BASIC', 'ADVANCED_SD', 'ADVANCED_HD']);
const videoShape = {
  encoder: z.enum(['auto', 'x264', 'nvenc', 'videotoolbox', 'qsv', 'amf']),
  bitrateKbps: z.number().int().min(100).max(50_000),
  keyframeIntervalSec: z.number().min(0.5).max(10),
  x264Preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium']),
  profile: z.enum(['baseline', 'main', 'high']),
};
const audioShape = {
  bitrateKbps: z.number().int().min(32).max(320),
  sampleRate: z.union([z.literal(44100), z.literal(48000)]),
  channels: z.union([z.literal(1), z.literal(2)]),
};

export const encoderSettingsSchema: z.ZodType<EncoderSettings> = z
  .object({ channelType, video: z.object(videoShape).strict(), audio: z.object(audioShape).strict() })
  .strict();

export const encoderSettingsPatchSchema: z.ZodType<EncoderSettingsPatch> = z
  .object({
    channelType: channelType.optional(),
    video: z.object(videoShape).partial().strict().optional(),
    audio: z.object(audioShape).partial().strict().optional(),
  })
  .strict();

export function applyEncoderPatch(settings: EncoderSettings, patch: EncoderSettingsPatch): EncoderSettings {
  return {
    channelType: patch.channelType ?? settings.channelType,
    video: { ...settings.video, ...patch.video },
    audio: { ...settings.audio, ...patch.audio },
  };
}
