/**
 * Sources as ffmpeg inputs. `buildSourcePlan(source, context)` is pure: platform, display, canvas,
 * capabilities and probed media facts are parameters, so every OS's arguments are unit-tested here
 * on any OS. The program compiler (src-main/compose) wires each plan's streams into the filtergraph.
 */
import type { Canvas, Source, SourceSpec } from '../contract/domains/scenes';
import type { CaptureContext, CaptureInput, CapturePlatform, DeviceInput, SourcePlan } from './capture-types';
import { ffmpegColor, escapeFilterValue } from './filter-escape';
import { buildLinuxDeviceInput } from './linux-inputs';
import { buildMacosDeviceInput } from './macos-inputs';
import { buildWindowsDeviceInput } from './windows-inputs';

export type * from './capture-types';
export { unsupportedCapture } from './capture-types';

/** Still images, text and colours are one decoded frame repeated at the canvas rate: cheap and paced by the canvas. */
function holdFrame(canvas: Canvas): string[] {
  return ['loop=loop=-1:size=1:start=0', `setpts=N/(${canvas.fps}*TB)`];
}

/** Audio as every mixer input wants it: 48 kHz float stereo. */
const audioFormat = 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo';

function textCanvasSize(spec: Extract<SourceSpec, { kind: 'text' }>): { width: number; height: number } {
  const lines = spec.text.split('\n');
  const longest = Math.max(...lines.map((l) => [...l].length), 1);
  const even = (v: number) => Math.max(16, Math.ceil(v / 2) * 2);
  // A generous box (average glyph ≈ 0.6 em); items scale it to their size on the canvas.
  return { width: even(longest * spec.fontSize * 0.62 + spec.fontSize), height: even(lines.length * spec.fontSize * 1.25 + spec.fontSize * 0.5) };
}

function defaultFont(platform: CapturePlatform): string {
  // Linux builds use fontconfig (`font=`); macOS and Windows builds usually lack it, so name a file.
  if (platform === 'darwin') return 'fontfile=/System/Library/Fonts/Helvetica.ttc';
  if (platform === 'win32') return `fontfile=${escapeFilterValue('C:/Windows/Fonts/arial.ttf')}`;
  return 'font=Sans';
}

const testPatternVideo: Record<string, (size: string, fps: number) => string> = {
  bars: (size, fps) => `smptehdbars=size=${size}:rate=${fps}`,
  testsrc: (size, fps) => `testsrc2=size=${size}:rate=${fps}`,
  grid: (size, fps) => `color=c=0x303030:size=${size}:rate=${fps},drawgrid=w=iw/16:h=ih/9:t=2:c=0xc0c0c0`,
};

export function buildSourcePlan(source: Source, context: CaptureContext): SourcePlan {
  const { spec } = source;
  const { canvas } = context;
  const canvasSize = `${canvas.width}x${canvas.height}`;
  const plan = (p: Partial<SourcePlan> & Pick<SourcePlan, 'inputs' | 'opens' | 'urls'>): SourcePlan => ({
    videoFilters: [],
    audioFilters: [],
    live: false,
    files: [],
    ...p,
  });
  switch (spec.kind) {
    case 'screen':
    case 'window':
    case 'camera':
    case 'microphone':
    case 'system-audio': {
      const device = buildDeviceInput(spec, context);
      return plan({
        inputs: [{ args: device.args, video: device.video, audio: device.audio }],
        videoFilters: device.videoFilters ?? [],
        // Live audio drifts against the video clock over hours; async resampling holds it to the timestamps.
        audioFilters: device.audio ? ['aresample=async=1000:first_pts=0', audioFormat] : [],
        live: true,
        opens: `${spec.kind.replace('-', ' ')} ${spec.device}`,
        urls: [device.url],
      });
    }
    case 'image':
      return plan({
        inputs: [{ args: ['-f', 'image2', '-pattern_type', 'none', '-i', spec.path], video: true, audio: false }],
        videoFilters: holdFrame(canvas),
        opens: `image ${spec.path}`,
        urls: [spec.path],
      });
    case 'text': {
      const size = textCanvasSize(spec);
      const textFile = `text-${source.id}.txt`;
      const font = spec.fontFile ? `fontfile=${escapeFilterValue(spec.fontFile)}` : defaultFont(context.platform);
      const path = `${context.workDir.replace(/\\/g, '/')}/${textFile}`;
      const graph =
        `color=c=${ffmpegColor(spec.background)}:size=${size.width}x${size.height}:rate=1:duration=1,format=rgba,` +
        `drawtext=${font}:textfile=${escapeFilterValue(path)}:expansion=none:fontsize=${spec.fontSize}:fontcolor=${ffmpegColor(spec.color)}` +
        `:x=(w-text_w)/2:y=(h-text_h)/2`;
      return plan({
        inputs: [{ args: ['-f', 'lavfi', '-i', graph], video: true, audio: false }],
        videoFilters: holdFrame(canvas),
        opens: `text "${spec.text.slice(0, 40)}"`,
        urls: [graph],
        files: [{ name: textFile, contents: spec.text }],
      });
    }
    case 'media': {
      const media = context.media ?? { hasVideo: true, hasAudio: false };
      const args = ['-re', ...(spec.loop ? ['-stream_loop', '-1'] : []), '-i', spec.path];
      return plan({
        inputs: [{ args, video: media.hasVideo, audio: media.hasAudio }],
        videoFilters: [`fps=${canvas.fps}`],
        audioFilters: media.hasAudio ? [audioFormat] : [],
        opens: `media file ${spec.path}`,
        urls: [spec.path],
      });
    }
    case 'color': {
      const graph = `color=c=${ffmpegColor(spec.color)}:size=${canvasSize}:rate=1:duration=1,format=rgba`;
      return plan({ inputs: [{ args: ['-f', 'lavfi', '-i', graph], video: true, audio: false }], videoFilters: holdFrame(canvas), opens: `colour ${spec.color}`, urls: [graph] });
    }
    case 'test-pattern': {
      const video = testPatternVideo[spec.pattern]!(canvasSize, canvas.fps);
      const inputs: CaptureInput[] = [{ args: ['-re', '-f', 'lavfi', '-i', video], video: true, audio: false }];
      const urls = [video];
      if (spec.toneHz > 0) {
        const tone = `sine=frequency=${spec.toneHz}:sample_rate=48000`;
        inputs.push({ args: ['-re', '-f', 'lavfi', '-i', tone], video: false, audio: true });
        urls.push(tone);
      }
      return plan({ inputs, audioFilters: spec.toneHz > 0 ? [audioFormat] : [], opens: `test pattern ${spec.pattern}`, urls });
    }
  }
}

function buildDeviceInput(spec: Extract<SourceSpec, { device: string }>, context: CaptureContext): DeviceInput {
  switch (context.platform) {
    case 'linux':
      return buildLinuxDeviceInput(spec, context);
    case 'darwin':
      return buildMacosDeviceInput(spec, context);
    case 'win32':
      return buildWindowsDeviceInput(spec, context);
  }
}

/**
 * What stands in for a source that could not be opened: a dark slate where its video was, nothing
 * where its audio was, so the rest of the scene keeps running.
 */
export function buildPlaceholderPlan(source: Source, context: CaptureContext, opens: string): SourcePlan {
  const hasVideo = !['microphone', 'system-audio'].includes(source.spec.kind);
  const graph = `color=c=0x202028:size=${context.canvas.width}x${context.canvas.height}:rate=1:duration=1`;
  return {
    inputs: hasVideo ? [{ args: ['-f', 'lavfi', '-i', graph], video: true, audio: false }] : [],
    videoFilters: hasVideo ? holdFrame(context.canvas) : [],
    audioFilters: [],
    live: false,
    opens,
    urls: hasVideo ? [graph] : [],
    files: [],
  };
}
