import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  AvcFormatError,
  annexBToAvcc,
  avcCodecString,
  avcLevelName,
  avcProfileName,
  avccToAnnexB,
  buildAvcDecoderConfigurationRecord,
  containsIdr,
  nalToRbsp,
  nalType,
  parseAvcDecoderConfigurationRecord,
  parseFlvVideoTag,
  parseSps,
  splitAnnexBNalUnits,
  splitAvccNalUnits,
} from './avc';
import { FlvDemuxer, type FlvTag } from './flv';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { SeededRandom } from '../../test/support/seeded-random';

/** A real encoder's FLV: the AVC parsers must agree with what ffmpeg says it wrote. */
function encodeFlv(videoArgs: string[], size: string, rate: string): FlvTag[] {
  const flv = execFileSync(findFfmpeg().path, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=${rate}`,
    '-t', '0.5', '-c:v', 'libx264', ...(videoArgs.includes('-preset') ? [] : ['-preset', 'ultrafast']), ...videoArgs, '-f', 'flv', 'pipe:1',
  ], { maxBuffer: 64 * 1024 * 1024 });
  return new FlvDemuxer().push(flv).filter((t) => t.type === 'video');
}

function mutate(input: Buffer, random: () => number): Buffer {
  const out = Buffer.from(input);
  const kind = Math.floor(random() * 4);
  if (kind === 0) {
    for (let i = 0; i < 1 + random() * 4; i++) out[Math.floor(random() * out.length)] = Math.floor(random() * 256);
    return out;
  }
  if (kind === 1) return out.subarray(0, Math.floor(random() * out.length));
  if (kind === 2) {
    const at = Math.floor(random() * out.length);
    out[at] = out[at]! ^ (1 << Math.floor(random() * 8));
    return out;
  }
  return Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
}

describe('AVC from a real x264 stream', () => {
  it('reads profile, level, size, frame rate and codec string (High, odd crop size, 25 fps)', () => {
    const video = encodeFlv(['-preset', 'veryfast', '-profile:v', 'high', '-level', '3.1', '-pix_fmt', 'yuv420p'], '330x186', '25');
    const header = parseFlvVideoTag(video[0]!.data);
    expect(header.packetType).toBe('sequence-header');
    const config = parseAvcDecoderConfigurationRecord(header.payload);
    expect(config.nalLengthSize).toBe(4);
    const sps = parseSps(config.sps[0]!);
    expect({ w: sps.width, h: sps.height, fps: sps.frameRate, profile: sps.profileIdc, level: sps.levelIdc }).toEqual({ w: 330, h: 186, fps: 25, profile: 100, level: 31 });
    expect(avcCodecString(config.profileIdc, config.profileCompatibility, config.levelIdc)).toBe('avc1.64001F');
    expect(avcProfileName(sps.profileIdc)).toBe('High');
    expect(avcLevelName(sps.levelIdc)).toBe('3.1');
  });

  it('reads a Baseline stream at 29.97 fps', () => {
    const video = encodeFlv(['-profile:v', 'baseline', '-level', '3.0'], '640x360', '30000/1001');
    const config = parseAvcDecoderConfigurationRecord(parseFlvVideoTag(video[0]!.data).payload);
    const sps = parseSps(config.sps[0]!);
    expect({ w: sps.width, h: sps.height, fps: sps.frameRate }).toEqual({ w: 640, h: 360, fps: 29.97 });
    expect(avcCodecString(sps.profileIdc, sps.profileCompatibility, sps.levelIdc)).toBe('avc1.42C01E');
    expect(avcProfileName(sps.profileIdc, sps.profileCompatibility)).toBe('Constrained Baseline');
  });

  it('converts access units to Annex B with AUD and in-band parameter sets on keyframes, and back', () => {
    const video = encodeFlv(['-g', '10'], '160x90', '30');
    const config = parseAvcDecoderConfigurationRecord(parseFlvVideoTag(video[0]!.data).payload);
    const key = parseFlvVideoTag(video[1]!.data);
    expect(key.frameType).toBe('keyframe');
    const nals = splitAvccNalUnits(key.payload, config.nalLengthSize);
    expect(containsIdr(nals)).toBe(true);
    const annexB = avccToAnnexB(key.payload, config.nalLengthSize, config);
    const types = splitAnnexBNalUnits(annexB).map(nalType);
    expect(types[0]).toBe(9);
    expect(types.indexOf(7)).toBeLessThan(types.indexOf(5));
    expect(types).toContain(8);
    const inter = parseFlvVideoTag(video[2]!.data);
    expect(inter.frameType).toBe('inter');
    expect(containsIdr(splitAvccNalUnits(inter.payload, 4))).toBe(false);
    const back = splitAvccNalUnits(annexBToAvcc(avccToAnnexB(inter.payload, 4)), 4).filter((n) => nalType(n) !== 9);
    expect(Buffer.concat(back)).toEqual(Buffer.concat(splitAvccNalUnits(inter.payload, 4)));
    const rebuilt = parseAvcDecoderConfigurationRecord(buildAvcDecoderConfigurationRecord(config.sps, config.pps));
    expect(rebuilt).toEqual(config);
  });
});

describe('AVC parsers on bad input', () => {
  it('names what is wrong', () => {
    expect(() => parseAvcDecoderConfigurationRecord(Buffer.from([2, 100, 0, 31, 0xff, 0xe1]))).toThrow(/too short|version/);
    expect(() => parseAvcDecoderConfigurationRecord(Buffer.from([2, 100, 0, 31, 0xff, 0xe1, 0, 4]))).toThrow(/version 2/);
    expect(() => splitAvccNalUnits(Buffer.from([0, 0, 0, 9, 1, 2]), 4)).toThrow(/overruns/);
    expect(() => parseFlvVideoTag(Buffer.from([0x17, 7, 0, 0, 0]))).toThrow(/packet type 7/);
    expect(parseFlvVideoTag(Buffer.from([0x12, 0, 0])).codecId).toBe(2);
    expect(parseFlvVideoTag(Buffer.from([0x27, 1, 0xff, 0xff, 0xfe])).compositionTimeMs).toBe(-2);
    expect(() => parseSps(Buffer.from([0x68, 1, 2, 3]))).toThrow(/not an SPS/);
  });

  it('strips emulation-prevention bytes', () => {
    expect([...nalToRbsp(Buffer.from([1, 0, 0, 3, 1, 0, 0, 3, 0, 0, 3]))]).toEqual([1, 0, 0, 1, 0, 0, 0, 0]);
  });

  it('fuzz: mutated records, SPS and tags only ever throw AvcFormatError (seeded, bounded)', () => {
    const video = encodeFlv([], '320x180', '30');
    const record = parseFlvVideoTag(video[0]!.data).payload;
    const sps = parseAvcDecoderConfigurationRecord(record).sps[0]!;
    const frame = video[1]!.data;
    for (const seed of [1, 2, 3]) {
      const seeded = new SeededRandom(seed); // so fuzz failures replay
      const random = () => seeded.next();
      for (let i = 0; i < 2000; i++) {
        for (const [input, parse] of [
          [record, (b: Buffer) => parseAvcDecoderConfigurationRecord(b)],
          [sps, (b: Buffer) => parseSps(b)],
          [frame, (b: Buffer) => splitAvccNalUnits(parseFlvVideoTag(b).payload, 4)],
          [frame.subarray(5), (b: Buffer) => avccToAnnexB(b, 4)],
        ] as const) {
          const bytes = mutate(input, random);
          try {
            parse(bytes);
          } catch (error) {
            if (!(error instanceof AvcFormatError)) throw new Error(`seed ${seed} iteration ${i}: ${String(error)} on ${bytes.toString('hex').slice(0, 80)}`);
          }
        }
      }
    }
  });
});
