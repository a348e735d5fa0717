/**
 * Windows capture inputs: ddagrab (Desktop Duplication, a lavfi source in ffmpeg ≥ 6) when the binary
 * has it, else gdigrab; DirectShow for cameras and audio (system audio needs a loopback device such as
 * "Stereo Mix" or a virtual audio capturer, which then lists like a microphone).
 */
import type { SourceSpec } from '../contract/domains/scenes';
import type { CaptureContext, DeviceInput } from './capture-types';

export function buildWindowsDeviceInput(spec: Extract<SourceSpec, { device: string }>, context: CaptureContext): DeviceInput {
  const fps = String(context.canvas.fps);
  const queue = ['-thread_queue_size', '1024'];
  switch (spec.kind) {
    case 'screen': {
      const region = spec.region;
      const monitor = /^\d+$/.test(spec.device) ? spec.device : '0';
      if (context.filters?.includes('ddagrab')) {
        const regionOptions = region ? `:video_size=${region.width}x${region.height}:offset_x=${region.x}:offset_y=${region.y}` : '';
        const url = `ddagrab=output_idx=${monitor}:framerate=${fps}:draw_mouse=${spec.captureCursor ? 1 : 0}${regionOptions}`;
        // ddagrab yields GPU frames; hwdownload brings them to system memory for the filtergraph.
        return { args: [...queue, '-f', 'lavfi', '-i', url], url, videoFilters: ['hwdownload', 'format=bgra'], video: true, audio: false };
      }
      const regionArgs = region
        ? ['-offset_x', String(region.x), '-offset_y', String(region.y), '-video_size', `${region.width}x${region.height}`]
        : [];
      return {
        args: [...queue, '-f', 'gdigrab', '-framerate', fps, '-draw_mouse', spec.captureCursor ? '1' : '0', ...regionArgs, '-i', 'desktop'],
        url: 'desktop',
        video: true,
        audio: false,
      };
    }
    case 'window': {
      const url = `title=${spec.device}`;
      return {
        args: [...queue, '-f', 'gdigrab', '-framerate', fps, '-draw_mouse', spec.captureCursor ? '1' : '0', '-i', url],
        url,
        video: true,
        audio: false,
      };
    }
    case 'camera': {
      const url = `video=${spec.device}`;
      const size = spec.width && spec.height ? ['-video_size', `${spec.width}x${spec.height}`] : [];
      const rate = spec.fps ? ['-framerate', String(spec.fps)] : [];
      return {
        // DirectShow drops frames when its real-time buffer (3 MB by default) overflows at HD sizes.
        args: [...queue, '-f', 'dshow', '-rtbufsize', '256M', ...rate, ...size, '-i', url],
        url,
        videoFilters: [`fps=${fps}`],
        video: true,
        audio: false,
      };
    }
    case 'microphone':
    case 'system-audio': {
      const url = `audio=${spec.device}`;
      return { args: [...queue, '-f', 'dshow', '-audio_buffer_size', '50', '-i', url], url, video: false, audio: true };
    }
  }
}
