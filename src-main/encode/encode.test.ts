import { describe, expect, it } from 'vitest';
import type { ChannelType } from '../contract/domains/accounts';
import type { EncoderSettings } from '../contract/domains/program';
import { StudioError } from '../core/studio-error';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { assertWithinChannelLimits, findEncoderLimitBreaches } from './channel-limits';
import { buildAudioEncoderArgs, buildVideoEncoderArgs } from './encoder-args';
import { applyEncoderPatch, defaultEncoderSettings } from './encoder-profile';
import { chooseVideoEncoder, listedHardwareEncoders, runTestEncode, type EncoderTester } from './hardware-encoders';

const hd = { width: 1280, height: 720, fps: 30 };

describe('IVS-recommended defaults', () => {
  it('H.264 Main CBR, 2 s keyframes, AAC-LC 48 kHz stereo, within every channel type at its usual sizes', () => {
    const settings = defaultEncoderSettings('STANDARD', hd);
    expect(settings).toEqual({
      channelType: 'STANDARD',
      video: { encoder: 'auto', bitrateKbps: 3500, keyframeIntervalSec: 2, x264Preset: 'veryfast', profile: 'main' },
      audio: { bitrateKbps: 160, sampleRate: 48000, channels: 2 },
    });
    for (const type of ['STANDARD', 'ADVANCED_SD', 'ADVANCED_HD', 'BASIC'] as ChannelType[]) {
      for (const canvas of [{ width: 854, height: 480, fps: 30 }, hd, { width: 1920, height: 1080, fps: 60 }]) {
        expect(findEncoderLimitBreaches(defaultEncoderSettings(type, canvas), canvas)).toEqual([]);
      }
    }
  });

  it('x264: CBR with a one-second VBV, fixed GOP, no scene-cut keyframes', () => {
    expect(buildVideoEncoderArgs('x264', defaultEncoderSettings('STANDARD', hd), hd)).toEqual([
      '-c:v', 'libx264', '-preset', 'veryfast', '-tune', 'zerolatency', '-profile:v', 'main', '-pix_fmt', 'yuv420p',
      '-b:v', '3500k', '-maxrate', '3500k', '-bufsize', '3500k', '-minrate', '3500k',
      '-g', '60', '-keyint_min', '60', '-sc_threshold', '0', '-x264-params', 'nal-hrd=cbr:force-cfr=1',
    ]);
    expect(buildAudioEncoderArgs(defaultEncoderSettings())).toEqual(['-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', '160k', '-ar', '48000', '-ac', '2']);
  });

  it.each(['nvenc', 'videotoolbox', 'qsv', 'amf'] as const)('%s holds CBR, the GOP and no B-frames', (kind) => {
    const args = buildVideoEncoderArgs(kind, defaultEncoderSettings('STANDARD', { ...hd, fps: 60 }), { ...hd, fps: 60 });
    const value = (flag: string) => args[args.indexOf(flag) + 1];
    expect(value('-b:v')).toBe(value('-maxrate'));
    expect(value('-g')).toBe('120');
    expect(value('-bf')).toBe('0');
  });
});

describe('channel limits, refused before starting and named', () => {
  const settings = (type: ChannelType, video: number, audio = 160): EncoderSettings => {
    const base = defaultEncoderSettings(type);
    return applyEncoderPatch(base, { video: { bitrateKbps: video }, audio: { bitrateKbps: audio } });
  };
  it.each<[string, EncoderSettings, { width: number; height: number; fps: number }, string | undefined]>([
    ['STANDARD 8.5 Mbps fits', settings('STANDARD', 8340), { width: 1920, height: 1080, fps: 30 }, undefined],
    ['STANDARD over 8.5 Mbps', settings('STANDARD', 8500), { width: 1920, height: 1080, fps: 30 }, '8660 kbps exceeds the STANDARD channel limit of 8500 kbps'],
    ['ADVANCED_HD above 1080p', settings('ADVANCED_HD', 6000), { width: 2560, height: 1440, fps: 30 }, 'exceeds the ADVANCED_HD channel limit of 1080p'],
    ['portrait 1080x1920 fits', settings('STANDARD', 6000), { width: 1080, height: 1920, fps: 30 }, undefined],
    ['2560x810 has an edge too long', settings('STANDARD', 6000), { width: 2560, height: 810, fps: 30 }, 'an edge of 2560 pixels, longer than 1920'],
    ['BASIC 480p over 1.5 Mbps', settings('BASIC', 1400, 128), { width: 854, height: 480, fps: 30 }, 'exceeds the BASIC channel limit of 1500 kbps at 480p and below'],
    ['BASIC 720p at 3.5 Mbps fits', settings('BASIC', 3300, 160), hd, undefined],
    ['BASIC 720p over 3.5 Mbps', settings('BASIC', 3500, 160), hd, 'exceeds the BASIC channel limit of 3500 kbps above 480p'],
    ['over 60 fps', settings('STANDARD', 3000), { ...hd, fps: 120 } as never, 'Frame rate 120 fps exceeds the IVS limit of 60 fps'],
  ])('%s', (_name, s, canvas, breach) => {
    const breaches = findEncoderLimitBreaches(s, canvas);
    if (breach === undefined) expect(breaches).toEqual([]);
    else expect(breaches.join(' ')).toContain(breach);
  });

  it('throws ENCODER_LIMIT', () => {
    expect(() => assertWithinChannelLimits(settings('BASIC', 5000), hd)).toThrow(StudioError);
    try {
      assertWithinChannelLimits(settings('BASIC', 5000), hd);
    } catch (error) {
      expect((error as StudioError).code).toBe('ENCODER_LIMIT');
    }
  });

  it('keyframes further apart than 5 s are refused', () => {
    const s = applyEncoderPatch(defaultEncoderSettings(), { video: { keyframeIntervalSec: 8 } });
    expect(findEncoderLimitBreaches(s, hd).join(' ')).toContain('Keyframe interval 8 s exceeds the IVS limit of 5 s');
  });
});

describe('hardware encoders', () => {
  const encoders = ['libx264', 'h264_nvenc', 'h264_qsv', 'h264_videotoolbox', 'aac'];
  const tester = (usable: string[]): EncoderTester => (_path, kind) => Promise.resolve(usable.includes(kind));

  it('lists what the binary was built with, in preference order', () => {
    expect(listedHardwareEncoders(encoders)).toEqual(['nvenc', 'videotoolbox', 'qsv']);
  });

  it('auto takes the first that passes its test encode, else x264', async () => {
    expect(await chooseVideoEncoder('auto', '/a', encoders, tester(['qsv']))).toEqual({ kind: 'qsv' });
    expect(await chooseVideoEncoder('auto', '/b', encoders, tester([]))).toEqual({ kind: 'x264' });
  });

  it('an explicit choice that fails falls back to x264 saying why', async () => {
    expect((await chooseVideoEncoder('nvenc', '/c', encoders, tester([]))).fallbackReason).toContain('h264_nvenc failed a test encode');
    expect((await chooseVideoEncoder('amf', '/d', encoders, tester(['amf']))).fallbackReason).toContain('h264_amf is not in this ffmpeg build');
  });

  it('the real test encode: x264 passes here; a GPU encoder without a GPU fails', async () => {
    expect(await runTestEncode(findFfmpeg().path, 'x264')).toBe(true);
    expect(await runTestEncode(findFfmpeg().path, 'amf')).toBe(false);
  });
});
