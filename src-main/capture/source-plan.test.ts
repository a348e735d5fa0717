import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Source, SourceSpec } from '../contract/domains/scenes';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { escapeFilterValue, ffmpegColor } from './filter-escape';
import { buildPlaceholderPlan, buildSourcePlan, type CaptureContext, type CapturePlatform } from './source-plan';

const canvas = { width: 1280, height: 720, fps: 30 };
const source = (spec: SourceSpec, id = 'src'): Source => ({ id, name: 'My source', spec, audio: { gainDb: 0, muted: false } });
const context = (platform: CapturePlatform, extra: Partial<CaptureContext> = {}): CaptureContext => ({ platform, canvas, workDir: '/run/studio', x11Display: ':0', ...extra });
const q = ['-thread_queue_size', '1024'];

describe('device inputs per OS', () => {
  it.each<[string, CapturePlatform, SourceSpec, string[], string[]]>([
    ['linux screen', 'linux', { kind: 'screen', device: ':0', captureCursor: true }, [...q, '-f', 'x11grab', '-framerate', '30', '-draw_mouse', '1', '-i', ':0.0'], []],
    [
      'linux screen region',
      'linux',
      { kind: 'screen', device: ':1.0', region: { x: 10, y: 20, width: 640, height: 360 }, captureCursor: false },
      [...q, '-f', 'x11grab', '-framerate', '30', '-draw_mouse', '0', '-video_size', '640x360', '-i', ':1.0+10,20'],
      [],
    ],
    ['linux window', 'linux', { kind: 'window', device: '0x1e00007', captureCursor: true }, [...q, '-f', 'x11grab', '-framerate', '30', '-draw_mouse', '1', '-window_id', '0x1e00007', '-i', ':0.0'], []],
    [
      'linux camera',
      'linux',
      { kind: 'camera', device: '/dev/video2', width: 1280, height: 720, fps: 30 },
      [...q, '-f', 'v4l2', '-framerate', '30', '-video_size', '1280x720', '-i', '/dev/video2'],
      ['fps=30'],
    ],
    [
      'linux pulse microphone',
      'linux',
      { kind: 'microphone', device: 'alsa_input.usb-mic' },
      [...q, '-f', 'pulse', '-sample_rate', '48000', '-channels', '2', '-fragment_size', '3840', '-i', 'alsa_input.usb-mic'],
      [],
    ],
    ['linux alsa microphone', 'linux', { kind: 'microphone', device: 'alsa:hw:1,0' }, [...q, '-f', 'alsa', '-sample_rate', '48000', '-i', 'hw:1,0'], []],
    [
      'macOS screen',
      'darwin',
      { kind: 'screen', device: '1', region: { x: 0, y: 0, width: 800, height: 600 }, captureCursor: true },
      [...q, '-f', 'avfoundation', '-framerate', '30', '-capture_cursor', '1', '-pixel_format', 'uyvy422', '-i', '1:none'],
      ['crop=800:600:0:0'],
    ],
    ['macOS camera', 'darwin', { kind: 'camera', device: 'FaceTime HD Camera' }, [...q, '-f', 'avfoundation', '-framerate', '30', '-i', 'FaceTime HD Camera:none'], ['fps=30']],
    ['macOS microphone', 'darwin', { kind: 'microphone', device: '0' }, [...q, '-f', 'avfoundation', '-i', ':0'], []],
    ['windows screen (gdigrab)', 'win32', { kind: 'screen', device: '0', captureCursor: true }, [...q, '-f', 'gdigrab', '-framerate', '30', '-draw_mouse', '1', '-i', 'desktop'], []],
    [
      'windows window',
      'win32',
      { kind: 'window', device: 'Untitled - Notepad', captureCursor: false },
      [...q, '-f', 'gdigrab', '-framerate', '30', '-draw_mouse', '0', '-i', 'title=Untitled - Notepad'],
      [],
    ],
    [
      'windows camera',
      'win32',
      { kind: 'camera', device: 'Integrated Camera', width: 640, height: 480 },
      [...q, '-f', 'dshow', '-rtbufsize', '256M', '-video_size', '640x480', '-i', 'video=Integrated Camera'],
      ['fps=30'],
    ],
    ['windows microphone', 'win32', { kind: 'system-audio', device: 'Stereo Mix (Realtek)' }, [...q, '-f', 'dshow', '-audio_buffer_size', '50', '-i', 'audio=Stereo Mix (Realtek)'], []],
  ])('%s', (_name, platform, spec, args, videoFilters) => {
    const plan = buildSourcePlan(source(spec), context(platform));
    expect(plan.inputs.map((i) => i.args)).toEqual([args]);
    expect(plan.videoFilters).toEqual(videoFilters);
    expect(plan.live).toBe(true);
    expect(plan.opens).toContain(spec.kind === 'system-audio' ? 'system audio' : spec.kind);
  });

  it('uses ddagrab on Windows when the binary has it, downloading GPU frames', () => {
    const plan = buildSourcePlan(source({ kind: 'screen', device: '1', region: { x: 0, y: 0, width: 1920, height: 1080 }, captureCursor: true }), context('win32', { filters: ['ddagrab'] }));
    expect(plan.inputs[0]!.args).toEqual([...q, '-f', 'lavfi', '-i', 'ddagrab=output_idx=1:framerate=30:draw_mouse=1:video_size=1920x1080:offset_x=0:offset_y=0']);
    expect(plan.videoFilters).toEqual(['hwdownload', 'format=bgra']);
  });

  it('refuses window capture on macOS with DEVICE_MISSING naming why', () => {
    expect(() => buildSourcePlan(source({ kind: 'window', device: '1', captureCursor: true }), context('darwin'))).toThrow(/Window capture is not available on darwin/);
  });

  it('live audio is resampled against drift and converted to 48 kHz stereo', () => {
    const plan = buildSourcePlan(source({ kind: 'microphone', device: 'mic' }), context('linux'));
    expect(plan.audioFilters).toEqual(['aresample=async=1000:first_pts=0', 'aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo']);
    expect(plan.inputs[0]).toMatchObject({ video: false, audio: true });
  });
});

describe('generated sources', () => {
  it('test pattern with tone: two paced lavfi inputs at the canvas size and rate', () => {
    const plan = buildSourcePlan(source({ kind: 'test-pattern', pattern: 'bars', toneHz: 440 }), context('linux'));
    expect(plan.inputs).toEqual([
      { args: ['-re', '-f', 'lavfi', '-i', 'smptehdbars=size=1280x720:rate=30'], video: true, audio: false },
      { args: ['-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000'], video: false, audio: true },
    ]);
    expect(plan.live).toBe(false);
  });

  it('test pattern without tone has no audio input', () => {
    const plan = buildSourcePlan(source({ kind: 'test-pattern', pattern: 'testsrc', toneHz: 0 }), context('win32'));
    expect(plan.inputs).toHaveLength(1);
    expect(plan.audioFilters).toEqual([]);
  });

  it('image: decoded once, repeated at the canvas rate; % in the name is not a pattern', () => {
    const plan = buildSourcePlan(source({ kind: 'image', path: '/home/me/logo 100%.png' }), context('linux'));
    expect(plan.inputs[0]!.args).toEqual(['-f', 'image2', '-pattern_type', 'none', '-i', '/home/me/logo 100%.png']);
    expect(plan.videoFilters).toEqual(['loop=loop=-1:size=1:start=0', 'setpts=N/(30*TB)']);
  });

  it('text: words go through a file (no escaping of user text), font and colours escaped', () => {
    const plan = buildSourcePlan(
      source({ kind: 'text', text: "it's 10:30, [live]", fontSize: 40, color: '#ffffff', background: '#00000080', fontFile: 'C:\\Fonts\\my,font.ttf' }, 'title'),
      context('linux'),
    );
    expect(plan.files).toEqual([{ name: 'text-title.txt', contents: "it's 10:30, [live]" }]);
    const graph = plan.inputs[0]!.args[3]!;
    expect(graph).toContain('textfile=/run/studio/text-title.txt');
    expect(graph).toContain(`fontfile=${escapeFilterValue('C:\\Fonts\\my,font.ttf')}`);
    expect(graph).toContain('fontcolor=0xffffff');
    expect(graph).toMatch(/^color=c=0x000000@0\.502:size=\d+x\d+:rate=1:duration=1,format=rgba,drawtext=/);
  });

  it('media file: paced, looped when asked, audio mapped only when probed present', () => {
    const looped = buildSourcePlan(source({ kind: 'media', path: '/v/clip.mp4', loop: true }), context('linux', { media: { hasVideo: true, hasAudio: true } }));
    expect(looped.inputs).toEqual([{ args: ['-re', '-stream_loop', '-1', '-i', '/v/clip.mp4'], video: true, audio: true }]);
    const once = buildSourcePlan(source({ kind: 'media', path: '/v/clip.mp4', loop: false }), context('linux'));
    expect(once.inputs).toEqual([{ args: ['-re', '-i', '/v/clip.mp4'], video: true, audio: false }]);
  });

  it('placeholder: a slate for video sources, nothing for audio-only ones', () => {
    const slate = buildPlaceholderPlan(source({ kind: 'camera', device: '/dev/video9' }), context('linux'), 'camera /dev/video9');
    expect(slate.inputs).toHaveLength(1);
    expect(slate.inputs[0]!.video).toBe(true);
    expect(buildPlaceholderPlan(source({ kind: 'microphone', device: 'x' }), context('linux'), 'mic').inputs).toEqual([]);
  });

  it('colours: #rrggbb and #rrggbbaa', () => {
    expect(ffmpegColor('#12ab34')).toBe('0x12ab34');
    expect(ffmpegColor('#12ab34ff')).toBe('0x12ab34@1');
    expect(ffmpegColor('#12ab3400')).toBe('0x12ab34@0');
  });
});

describe('generated sources open in the real ffmpeg', () => {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-capture-'));
  afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));
  const small = { width: 160, height: 90, fps: 10 };

  const runOneSecond = (args: string[], filters: string[]) =>
    new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const chain = ['setpts=PTS-STARTPTS', ...filters].join(',');
      const full = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...args, '-vf', chain, '-t', '0.5', '-f', 'null', '-'];
      execFile(findFfmpeg().path, full, { timeout: 20_000 }, (error, _stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stderr }));
    });

  it.each<[string, SourceSpec]>([
    ['text with every character escaping must survive', { kind: 'text', text: "Quote ' colon : comma , [brackets]; back\\slash %{n}", fontSize: 12, color: '#ffcc00', background: '#00000000' }],
    ['colour', { kind: 'color', color: '#336699cc' }],
    ['test pattern', { kind: 'test-pattern', pattern: 'grid', toneHz: 0 }],
  ])('%s', async (_name, spec) => {
    const plan = buildSourcePlan(source(spec, 'x'), { platform: 'linux', canvas: small, workDir });
    for (const file of plan.files) fs.writeFileSync(path.join(workDir, file.name), file.contents);
    const result = await runOneSecond(plan.inputs[0]!.args, plan.videoFilters);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it('image with a comma and a percent sign in its name', async () => {
    const image = path.join(workDir, 'logo, 100%.png');
    await new Promise<void>((resolve, reject) =>
      execFile(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=red:size=32x32:duration=0.1', '-frames:v', '1', image], (e) => (e ? reject(e) : resolve())),
    );
    const plan = buildSourcePlan(source({ kind: 'image', path: image }), { platform: 'linux', canvas: small, workDir });
    const result = await runOneSecond(plan.inputs[0]!.args, plan.videoFilters);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});
