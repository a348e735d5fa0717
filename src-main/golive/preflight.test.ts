import { describe, expect, it } from 'vitest';
import type { PreflightEncoderSettings } from '../contract/domains/accounts';
import { defaultEncoderSettings } from '../encode/encoder-profile';
import { MAX_SESSION_MS, channelTypeLimits, preflightEncoderFrom, runPreflight, sessionLimit, type PreflightInput } from './preflight';

const encoder720: PreflightEncoderSettings = {
  videoCodec: 'libx264',
  width: 1280,
  height: 720,
  fps: 30,
  videoBitrateKbps: 3_000,
  keyframeIntervalSec: 2,
  rateControl: 'cbr',
  audioCodec: 'aac',
  audioBitrateKbps: 160,
  audioSampleRate: 48_000,
  audioChannels: 2,
};

const base: PreflightInput = {
  target: { kind: 'local', channelType: 'STANDARD', name: 'default' },
  encoder: encoder720,
  ingest: { url: 'rtmps://127.0.0.1:4443/app/', reachable: true },
  streamKeyPresent: true,
};

const failed = (input: PreflightInput) => runPreflight(input).checks.filter((c) => !c.ok);

describe('runPreflight', () => {
  it('passes IVS-recommended settings on a STANDARD channel, with every check listed', () => {
    const report = runPreflight(base);
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.id)).toEqual(['target', 'video-codec', 'resolution', 'bitrate', 'framerate', 'keyframe-interval', 'audio', 'ingest', 'stream-key']);
  });

  type Change = Omit<Partial<PreflightInput>, 'encoder'> & { encoder?: Partial<PreflightEncoderSettings> };
  it.each<[string, Change, string, RegExp, RegExp]>([
    ['1440p on STANDARD', { encoder: { width: 2560, height: 1440 } }, 'resolution', /2560×1440 .*1080p/, /1920×1080/],
    ['4K portrait on STANDARD', { encoder: { width: 2160, height: 3840 } }, 'resolution', /2160×3840/, /1920×1080/],
    ['9 Mbps on STANDARD', { encoder: { videoBitrateKbps: 9_000 } }, 'bitrate', /9160 kbps .*8500 kbps/, /8340 kbps/],
    ['2 Mbps at 480p on BASIC', { target: { kind: 'aws', channelType: 'BASIC' }, encoder: { width: 854, height: 480, videoBitrateKbps: 2_000, audioBitrateKbps: 128 } }, 'bitrate', /2128 kbps .*1500 kbps .*480p/, /1372 kbps.*above 480p/],
    ['4 Mbps at 720p on BASIC', { target: { kind: 'aws', channelType: 'BASIC' }, encoder: { videoBitrateKbps: 4_000 } }, 'bitrate', /3500 kbps this channel takes at 720p/, /3340 kbps/],
    ['HEVC', { encoder: { videoCodec: 'libx265' } }, 'video-codec', /H\.264 .*libx265/, /H\.264 encoder/],
    ['a 10 s GOP', { encoder: { keyframeIntervalSec: 10 } }, 'keyframe-interval', /10 s/, /2 s/],
    ['no keyframe interval', { encoder: { keyframeIntervalSec: 0 } }, 'keyframe-interval', /unset/, /2 s/],
    ['120 fps', { encoder: { fps: 120 } }, 'framerate', /120 fps .*60/, /60 fps or less/],
    ['Opus audio', { encoder: { audioCodec: 'libopus' } }, 'audio', /AAC .*libopus/, /AAC/],
    ['5.1 audio', { encoder: { audioChannels: 6 } }, 'audio', /6 audio channels/, /stereo/],
    ['no stream key', { streamKeyPresent: false }, 'stream-key', /no stream key/, /Select the channel again/],
    ['an unreachable ingest', { ingest: { url: 'rtmps://127.0.0.1:1/app/', reachable: false, problem: 'ECONNREFUSED' } }, 'ingest', /could not be reached: ECONNREFUSED/, /network/],
    ['no ingest', { ingest: {} }, 'ingest', /no ingest endpoint/, /Select the channel again/],
    ['no target', { target: undefined }, 'target', /No channel/, /Pick a channel/],
  ])('refuses %s, naming the limit and the fix', (_name, change, id, message, fix) => {
    const input: PreflightInput = { ...base, ...change, encoder: { ...encoder720, ...(change.encoder ?? {}) } };
    const report = runPreflight(input);
    expect(report.ok).toBe(false);
    const failures = failed(input);
    expect(failures.map((c) => c.id)).toEqual([id]);
    expect(failures[0]!.severity).toBe('error');
    expect(failures[0]!.message).toMatch(message);
    expect(failures[0]!.fix).toMatch(fix);
  });

  it('warns (without refusing) about VBR, a 4 s GOP and a silent program', () => {
    const input = { ...base, encoder: { ...encoder720, rateControl: 'vbr' as const, keyframeIntervalSec: 4, audioCodec: undefined } };
    const report = runPreflight(input);
    expect(report.ok).toBe(true);
    expect(failed(input).map((c) => [c.id, c.severity])).toEqual([
      ['keyframe-interval', 'warning'],
      ['rate-control', 'warning'],
      ['audio', 'warning'],
    ]);
  });

  it('applies no channel limits to a custom RTMP target, but still checks codec and GOP', () => {
    const input: PreflightInput = { ...base, target: { kind: 'custom-rtmp' }, encoder: { ...encoder720, width: 3840, height: 2160, videoBitrateKbps: 20_000 } };
    expect(runPreflight(input).ok).toBe(true);
    expect(failed({ ...input, encoder: { ...input.encoder, videoCodec: 'vp9' } }).map((c) => c.id)).toEqual(['video-codec']);
  });

  it('knows the channel-type limits', () => {
    expect(channelTypeLimits('STANDARD').maxKbps(1080)).toBe(8_500);
    expect(channelTypeLimits('ADVANCED_HD').maxKbps(720)).toBe(8_500);
    expect(channelTypeLimits('BASIC').maxKbps(480)).toBe(1_500);
    expect(channelTypeLimits('BASIC').maxKbps(720)).toBe(3_500);
  });
});

describe('preflightEncoderFrom (the program\'s encoder settings)', () => {
  it('the studio\'s default profile passes on its channel type; a 1080p canvas on BASIC at 6 Mbps does not', () => {
    for (const type of ['STANDARD', 'BASIC', 'ADVANCED_HD'] as const) {
      const canvas = { width: 1280, height: 720, fps: 30 };
      const encoder = preflightEncoderFrom(defaultEncoderSettings(type, canvas), canvas);
      expect(encoder).toMatchObject({ videoCodec: 'libx264', rateControl: 'cbr', audioCodec: 'aac', keyframeIntervalSec: 2 });
      expect(runPreflight({ ...base, target: { kind: 'local', channelType: type }, encoder }).ok, type).toBe(true);
    }
    const canvas = { width: 1920, height: 1080, fps: 30 };
    const tooMuch = preflightEncoderFrom({ ...defaultEncoderSettings('STANDARD', canvas), channelType: 'BASIC' }, canvas);
    expect(failed({ ...base, target: { kind: 'aws', channelType: 'BASIC' }, encoder: tooMuch }).map((c) => c.id)).toEqual(['bitrate']);
    const nvenc = { ...defaultEncoderSettings('STANDARD', canvas), video: { ...defaultEncoderSettings('STANDARD', canvas).video, encoder: 'nvenc' as const } };
    expect(preflightEncoderFrom(nvenc, canvas).videoCodec).toBe('h264_nvenc');
  });
});

describe('sessionLimit (IVS ends a stream after 48 h)', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);
  it.each([
    [60_000, 'ok', /Live for 1 min; .*47 h 59 min left/],
    [MAX_SESSION_MS - 59 * 60_000, 'warning', /IVS will end this stream in 59 min/],
    [MAX_SESSION_MS - 5 * 60_000, 'critical', /in 5 min/],
    [MAX_SESSION_MS + 60_000, 'critical', /in 0 min/],
  ] as const)('after %d ms: %s', (elapsed, level, message) => {
    const info = sessionLimit(start.toISOString(), at(elapsed));
    expect(info.level).toBe(level);
    expect(info.message).toMatch(message);
    expect(info.remainingMs).toBe(Math.max(0, MAX_SESSION_MS - elapsed));
  });
});
