/**
 * macOS capture inputs through avfoundation: `-i "<video>:<audio>"`, where each side is a device index
 * or name and `none` leaves it out. Screens appear as video devices ("Capture screen 0").
 */
import type { SourceSpec } from '../contract/domains/scenes';
import { unsupportedCapture, type CaptureContext, type DeviceInput } from './capture-types';

export function buildMacosDeviceInput(spec: Extract<SourceSpec, { device: string }>, context: CaptureContext): DeviceInput {
  const fps = String(context.canvas.fps);
  const queue = ['-thread_queue_size', '1024'];
  switch (spec.kind) {
    case 'screen': {
      const url = `${spec.device}:none`;
      const region = spec.region;
      return {
        args: [...queue, '-f', 'avfoundation', '-framerate', fps, '-capture_cursor', spec.captureCursor ? '1' : '0', '-pixel_format', 'uyvy422', '-i', url],
        url,
        // avfoundation grabs whole screens; a region is a crop of it.
        videoFilters: region ? [`crop=${region.width}:${region.height}:${region.x}:${region.y}`] : [],
        video: true,
        audio: false,
      };
    }
    case 'window':
      throw unsupportedCapture('Window capture', 'darwin');
    case 'camera': {
      const url = `${spec.device}:none`;
      const size = spec.width && spec.height ? ['-video_size', `${spec.width}x${spec.height}`] : [];
      return {
        args: [...queue, '-f', 'avfoundation', '-framerate', String(spec.fps ?? context.canvas.fps), ...size, '-i', url],
        url,
        videoFilters: [`fps=${fps}`],
        video: true,
        audio: false,
      };
    }
    case 'microphone':
    case 'system-audio': {
      // System audio on macOS needs a loopback driver (BlackHole, Loopback); it lists as an audio device.
      const url = `:${spec.device}`;
      return { args: [...queue, '-f', 'avfoundation', '-i', url], url, video: false, audio: true };
    }
  }
}
