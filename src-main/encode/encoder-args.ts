/**
 * Encoder settings → ffmpeg output options. Pure: one builder per encoder family, all holding the same
 * promises IVS asks for — constant bitrate with a VBV buffer of one second, a keyframe exactly every
 * `keyframeIntervalSec` (GOP fixed, scene-cut keyframes off), no B-frames (low latency), H.264 in the
 * chosen profile, AAC-LC.
 */
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';

export type VideoEncoderKind = 'x264' | 'nvenc' | 'videotoolbox' | 'qsv' | 'amf';

/** The ffmpeg encoder name of each family. */
export const ffmpegEncoderName: Record<VideoEncoderKind, string> = {
  x264: 'libx264',
  nvenc: 'h264_nvenc',
  videotoolbox: 'h264_videotoolbox',
  qsv: 'h264_qsv',
  amf: 'h264_amf',
};

export function gopFrames(settings: EncoderSettings, canvas: Canvas): number {
  return Math.max(1, Math.round(settings.video.keyframeIntervalSec * canvas.fps));
}

export function buildVideoEncoderArgs(kind: VideoEncoderKind, settings: EncoderSettings, canvas: Canvas): string[] {
  const rate = `${settings.video.bitrateKbps}k`;
  const gop = String(gopFrames(settings, canvas));
  const cbr = ['-b:v', rate, '-maxrate', rate, '-bufsize', rate];
  const gopArgs = ['-g', gop, '-keyint_min', gop];
  const profile = ['-profile:v', settings.video.profile];
  switch (kind) {
    case 'x264':
      return [
        '-c:v', 'libx264',
        '-preset', settings.video.x264Preset,
        // zerolatency: no lookahead, no B-frames — frames leave the encoder as soon as they are coded.
        '-tune', 'zerolatency',
        ...profile,
        '-pix_fmt', 'yuv420p',
        ...cbr,
        '-minrate', rate,
        ...gopArgs,
        '-sc_threshold', '0',
        // nal-hrd=cbr: strict CBR with filler, as IVS's own ffmpeg example; force-cfr keeps timing exact.
        '-x264-params', 'nal-hrd=cbr:force-cfr=1',
      ];
    case 'nvenc':
      return ['-c:v', 'h264_nvenc', '-preset', 'p4', '-tune', 'll', '-rc', 'cbr', ...profile, ...cbr, ...gopArgs, '-bf', '0', '-no-scenecut', '1', '-forced-idr', '1', '-zerolatency', '1'];
    case 'videotoolbox':
      return ['-c:v', 'h264_videotoolbox', '-realtime', '1', ...profile, ...cbr, ...gopArgs, '-bf', '0', '-allow_sw', '0'];
    case 'qsv':
      return ['-c:v', 'h264_qsv', '-preset', 'veryfast', ...profile, ...cbr, '-minrate', rate, ...gopArgs, '-bf', '0', '-look_ahead', '0', '-idr_interval', '0'];
    case 'amf':
      return ['-c:v', 'h264_amf', '-usage', 'lowlatency', '-quality', 'speed', '-rc', 'cbr', ...profile, ...cbr, ...gopArgs, '-bf', '0'];
  }
}

export function buildAudioEncoderArgs(settings: EncoderSettings): string[] {
  return ['-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', `${settings.audio.bitrateKbps}k`, '-ar', String(settings.audio.sampleRate), '-ac', String(settings.audio.channels)];
}
