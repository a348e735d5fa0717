/** Linux capture inputs: x11grab (screens, windows), v4l2 (cameras), PulseAudio or ALSA (audio). */
import type { SourceSpec } from '../contract/domains/scenes';
import type { CaptureContext, DeviceInput } from './capture-types';

/** Live inputs queue more packets than the default 8, so a busy filtergraph does not stall the grab. */
const liveQueue = ['-thread_queue_size', '1024'];

/** `:0` → `:0.0`; keeps an explicit screen number. */
function withScreen(display: string): string {
  return /:\d+\.\d+$/.test(display) ? display : `${display}.0`;
}

export function buildLinuxDeviceInput(spec: Extract<SourceSpec, { device: string }>, context: CaptureContext): DeviceInput {
  const fps = String(context.canvas.fps);
  switch (spec.kind) {
    case 'screen': {
      const display = withScreen(spec.device);
      const region = spec.region;
      const url = region ? `${display}+${region.x},${region.y}` : display;
      const size = region ? ['-video_size', `${region.width}x${region.height}`] : [];
      return {
        args: [...liveQueue, '-f', 'x11grab', '-framerate', fps, '-draw_mouse', spec.captureCursor ? '1' : '0', ...size, '-i', url],
        url,
        video: true,
        audio: false,
      };
    }
    case 'window': {
      const display = withScreen(context.x11Display ?? ':0');
      return {
        args: [...liveQueue, '-f', 'x11grab', '-framerate', fps, '-draw_mouse', spec.captureCursor ? '1' : '0', '-window_id', spec.device, '-i', display],
        url: display,
        video: true,
        audio: false,
      };
    }
    case 'camera': {
      const size = spec.width && spec.height ? ['-video_size', `${spec.width}x${spec.height}`] : [];
      const rate = spec.fps ? ['-framerate', String(spec.fps)] : [];
      return {
        args: [...liveQueue, '-f', 'v4l2', ...rate, ...size, '-i', spec.device],
        url: spec.device,
        // Cameras deliver their own rate (often 15 or 25): hold it to the canvas rate.
        videoFilters: [`fps=${fps}`],
        video: true,
        audio: false,
      };
    }
    case 'microphone':
    case 'system-audio': {
      if (spec.device.startsWith('alsa:')) {
        const device = spec.device.slice('alsa:'.length);
        return { args: [...liveQueue, '-f', 'alsa', '-sample_rate', '48000', '-i', device], url: device, video: false, audio: true };
      }
      const device = spec.device.startsWith('pulse:') ? spec.device.slice('pulse:'.length) : spec.device;
      return {
        // fragment_size bounds PulseAudio's buffering (~20 ms of s16 stereo at 48 kHz) for low latency.
        args: [...liveQueue, '-f', 'pulse', '-sample_rate', '48000', '-channels', '2', '-fragment_size', '3840', '-i', device],
        url: device,
        video: false,
        audio: true,
      };
    }
  }
}
