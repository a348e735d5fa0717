import { describe, expect, it } from 'vitest';
import { encodeTestFlv } from '../../../test/support/ffmpeg-media';
import type { FlvTag } from '../../media/flv';
import { StreamAnalyzer, type AnalyzerVerdict } from './stream-analyzer';

function run(analyzer: StreamAnalyzer, tags: FlvTag[]): AnalyzerVerdict[] {
  const verdicts: AnalyzerVerdict[] = [];
  for (const tag of tags) {
    const verdict = analyzer.push(tag);
    verdicts.push(verdict);
    if (!verdict.ok) break;
  }
  return verdicts;
}

describe('StreamAnalyzer', () => {
  it('reports what a real x264 + AAC encoder sent, in IVS ingestConfiguration terms', () => {
    const tags = encodeTestFlv({ seconds: 3, size: '640x360', rate: 30, bitrate: '600k', extra: ['-preset', 'veryfast', '-profile:v', 'main', '-level', '3.1'] });
    const analyzer = new StreamAnalyzer({ channelType: 'STANDARD', bitrateWindowMs: 2000 });
    const verdicts = run(analyzer, tags);
    expect(verdicts.every((v) => v.ok)).toBe(true);
    expect(verdicts.filter((v) => v.ok && v.configurationChanged).length).toBeGreaterThanOrEqual(3);
    const config = analyzer.configuration()!;
    expect(config.video).toMatchObject({
      codec: 'avc1.4D401F',
      profile: 'Main',
      avcProfile: 'Main',
      level: '3.1',
      videoWidth: 640,
      videoHeight: 360,
      targetFramerate: 30,
      track: 'Track0',
    });
    expect(config.video!.encoder).toMatch(/^Lavf/);
    // Measured, not declared: within the encoder's rate control of 600 kbps.
    expect(config.video!.targetBitrate).toBeGreaterThan(300_000);
    expect(config.video!.targetBitrate).toBeLessThan(900_000);
    expect(config.audio).toEqual({ codec: 'mp4a.40.2', sampleRate: 48000, channels: 2, targetBitrate: expect.any(Number), track: 'Track0' });
    expect(config.audio!.targetBitrate).toBeGreaterThan(60_000);
    expect(config.audio!.targetBitrate).toBeLessThan(130_000);
  });

  it('refuses video that is not H.264 and audio that is not AAC, naming what was sent', () => {
    const h263 = encodeTestFlv({ seconds: 0.5, videoCodec: 'flv1' });
    const video = run(new StreamAnalyzer({ channelType: 'STANDARD' }), h263).at(-1)!;
    expect(video).toEqual({ ok: false, failure: { kind: 'unsupported', code: 'UnsupportedVideoCodec', description: 'Video must be H.264 (AVC); this encoder sends Sorenson H.263.' } });
    const mp3 = encodeTestFlv({ seconds: 0.5, extra: ['-c:a', 'libmp3lame', '-ar', '44100'] });
    const audio = run(new StreamAnalyzer({ channelType: 'STANDARD' }), mp3).at(-1)!;
    expect(audio).toMatchObject({ ok: false, failure: { code: 'UnsupportedAudioCodec', description: 'Audio must be AAC; this encoder sends MP3.' } });
  });

  it('breaches the resolution limit at the sequence header and the bitrate limit after a full window', () => {
    const big = encodeTestFlv({ seconds: 0.2, size: '2048x1152', audio: false });
    const resolution = run(new StreamAnalyzer({ channelType: 'STANDARD' }), big).at(-1)!;
    expect(resolution).toMatchObject({ ok: false, failure: { kind: 'limit', code: 'IngestResolutionExceeded' } });

    const fat = encodeTestFlv({ seconds: 3, size: '640x360', bitrate: '3000k', extra: ['-x264-params', 'nal-hrd=cbr'] });
    const verdicts = run(new StreamAnalyzer({ channelType: 'BASIC', bitrateWindowMs: 2000 }), fat);
    const last = verdicts.at(-1)!;
    expect(last).toMatchObject({ ok: false, failure: { kind: 'limit', code: 'IngestBitrateExceeded' } });
    expect((last as { failure: { description: string } }).failure.description).toMatch(/^Input bitrate [\d.]+ Mbps exceeds the BASIC channel limit of 1.5 Mbps at 480p and below\.$/);
    // The same stream is fine on a STANDARD channel.
    expect(run(new StreamAnalyzer({ channelType: 'STANDARD', bitrateWindowMs: 2000 }), fat).every((v) => v.ok)).toBe(true);
  });

  it('turns unreadable sequence headers into an InvalidStreamData failure instead of throwing', () => {
    const analyzer = new StreamAnalyzer({ channelType: 'STANDARD' });
    expect(analyzer.push({ type: 'video', timestamp: 0, data: Buffer.from([0x17, 0, 0, 0, 0, 1, 2]) })).toMatchObject({ ok: false, failure: { code: 'InvalidStreamData' } });
    expect(new StreamAnalyzer({ channelType: 'STANDARD' }).push({ type: 'audio', timestamp: 0, data: Buffer.from([0xaf, 0, 0xff]) })).toMatchObject({ ok: false, failure: { code: 'InvalidStreamData' } });
  });
});

describe('StreamAnalyzer bitrate window', () => {
  const frame = (timestamp: number, bytes: number): FlvTag => ({ type: 'video', timestamp, data: Buffer.concat([Buffer.from([0x27, 1, 0, 0, 0]), Buffer.alloc(bytes)]) });
  const header = encodeTestFlv({ seconds: 0.1, size: '320x180', audio: false }).find((t) => t.type === 'video')!;

  it('measures bytes per media second and starts over when the encoder clock jumps back', () => {
    const analyzer = new StreamAnalyzer({ channelType: 'STANDARD', bitrateWindowMs: 1000 });
    analyzer.push(header);
    // 25 kB per 100 ms = 2 Mbps.
    for (let t = 0; t <= 1500; t += 100) analyzer.push(frame(t, 25_000 - 5));
    expect(analyzer.totalBps()).toBe(2_000_000);
    analyzer.push(frame(0, 1000));
    expect(analyzer.totalBps()).toBeUndefined();
    for (let t = 100; t <= 1200; t += 100) analyzer.push(frame(t, 12_500 - 5));
    expect(analyzer.totalBps()).toBe(1_000_000);
  });
});
