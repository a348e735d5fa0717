import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AacFormatError, aacCodecString, buildAdtsHeader, buildAudioSpecificConfig, parseAdtsHeader, parseAudioSpecificConfig, parseFlvAudioTag } from './aac';
import { FlvDemuxer } from './flv';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { SeededRandom } from '../../test/support/seeded-random';

function aacTags(rate: number, channels: number) {
  const flv = execFileSync(findFfmpeg().path, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=${rate}`,
    '-t', '0.3', '-ac', String(channels), '-c:a', 'aac', '-f', 'flv', 'pipe:1',
  ], { maxBuffer: 16 * 1024 * 1024 });
  return new FlvDemuxer().push(flv).filter((t) => t.type === 'audio');
}

describe('AAC from a real ffmpeg encoder', () => {
  it.each([[48000, 2], [44100, 1]])('reads the AudioSpecificConfig at %i Hz, %i channel(s)', (rate, channels) => {
    const tags = aacTags(rate, channels);
    const header = parseFlvAudioTag(tags[0]!.data);
    expect(header.aacPacketType).toBe('sequence-header');
    const config = parseAudioSpecificConfig(header.payload);
    expect({ objectType: config.objectType, sampleRate: config.sampleRate, channels: config.channels }).toEqual({ objectType: 2, sampleRate: rate, channels });
    expect(aacCodecString(config.objectType)).toBe('mp4a.40.2');
    const frame = parseFlvAudioTag(tags[1]!.data);
    expect(frame.aacPacketType).toBe('raw');
    const adts = buildAdtsHeader(config, frame.payload.length);
    expect(parseAdtsHeader(adts)).toMatchObject({ objectType: 2, sampleRateIndex: config.sampleRateIndex, channelConfig: channels, frameLength: frame.payload.length + 7 });
  });

  it('ADTS frames it builds are decodable by ffmpeg', () => {
    const tags = aacTags(48000, 2);
    const config = parseAudioSpecificConfig(parseFlvAudioTag(tags[0]!.data).payload);
    const stream = Buffer.concat(tags.slice(1).flatMap((t) => {
      const payload = parseFlvAudioTag(t.data).payload;
      return [buildAdtsHeader(config, payload.length), payload];
    }));
    const probe = execFileSync(findFfmpeg().path.replace(/ffmpeg$/, 'ffprobe'), ['-v', 'error', '-f', 'aac', '-show_entries', 'stream=codec_name,sample_rate,channels', '-of', 'csv=p=0', '-i', 'pipe:0'], { input: stream }).toString().trim();
    expect(probe).toBe('aac,48000,2');
  });
});

describe('AAC parsers on bad input', () => {
  it('names what is wrong', () => {
    expect(() => parseAudioSpecificConfig(Buffer.from([0x12]))).toThrow(/too short/);
    expect(() => parseAudioSpecificConfig(Buffer.from([0x17, 0x20]))).toThrow(/reserved sampling frequency index 14/);
    expect(parseFlvAudioTag(Buffer.from([0x2f, 0, 1])).soundFormat).toBe(2);
    expect(() => buildAdtsHeader({ objectType: 5, sampleRateIndex: 3, channelConfig: 2 }, 10)).toThrow(/object type 5/);
    expect(parseAudioSpecificConfig(buildAudioSpecificConfig(2, 4, 2))).toMatchObject({ sampleRate: 44100, channels: 2 });
  });

  it('reads explicit SBR signalling as the core object type with the extension rate', () => {
    // objectType 5, rate index 6 (24 kHz), channels 2, extension rate index 3 (48 kHz), core type 2.
    const bits = '00101' + '0110' + '0010' + '0011' + '00010' + '000000';
    const bytes = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
    expect(parseAudioSpecificConfig(bytes)).toMatchObject({ objectType: 2, sampleRate: 48000, channels: 2 });
  });

  it('fuzz: random configs and tags only ever throw AacFormatError (seeded, bounded)', () => {
    for (const seed of [11, 12, 13]) {
      const seeded = new SeededRandom(seed);
      const random = () => seeded.next();
      for (let i = 0; i < 5000; i++) {
        const bytes = Buffer.from(Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 256)));
        for (const parse of [parseAudioSpecificConfig, parseFlvAudioTag, parseAdtsHeader]) {
          try {
            parse(bytes);
          } catch (error) {
            if (!(error instanceof AacFormatError)) throw new Error(`seed ${seed} iteration ${i}: ${String(error)} on ${bytes.toString('hex')}`);
          }
        }
      }
    }
  });
});
