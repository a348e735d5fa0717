/**
 * Bounded, seeded fuzzing of the FLV demuxer (the ingest and the output both feed it bytes from
 * outside): a real ffmpeg FLV, mutated and split at random, must demux or fail with FlvFormatError.
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom, fuzzSeeds } from '../../test/support/seeded-random';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { FlvDemuxer, FlvFormatError, encodeFlvHeader, encodeFlvTag, type FlvTag } from './flv';

let sample: Buffer;

beforeAll(() => {
  sample = execFileSync(findFfmpeg().path, [
    '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=160x90:rate=15', '-f', 'lavfi', '-i', 'sine=sample_rate=44100',
    '-t', '0.5', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '5', '-c:a', 'aac', '-f', 'flv', 'pipe:1',
  ]);
});

describe.each(fuzzSeeds())('FLV fuzz seed %i', (seed) => {
  it('demuxes the same tags whatever the socket splits', () => {
    const rng = new SeededRandom(seed);
    const whole = new FlvDemuxer().push(sample).map((t) => ({ ...t, data: t.data.toString('hex') }));
    for (let round = 0; round < 10; round++) {
      const demuxer = new FlvDemuxer();
      const tags: FlvTag[] = [];
      for (const piece of rng.split(sample, rng.pick([1, 50, 4000]))) tags.push(...demuxer.push(piece));
      expect(tags.map((t) => ({ ...t, data: t.data.toString('hex') }))).toEqual(whole);
    }
  });

  it('mutated and random input fails only with FlvFormatError, and re-encoding is stable', () => {
    const rng = new SeededRandom(seed);
    for (let round = 0; round < 300; round++) {
      const input = round % 4 === 0 ? Buffer.concat([Buffer.from('FLV'), rng.bytes(rng.int(0, 400))]) : rng.mutate(sample, 10);
      const demuxer = new FlvDemuxer();
      let tags: FlvTag[] = [];
      try {
        for (const piece of rng.split(input, 3000)) tags = tags.concat(demuxer.push(piece));
      } catch (error) {
        if (!(error instanceof FlvFormatError)) throw error;
      }
      // Whatever was demuxed re-encodes to a stream that demuxes to the same tags.
      const again = new FlvDemuxer().push(Buffer.concat([encodeFlvHeader(true, true), ...tags.map(encodeFlvTag)]));
      expect(again.length).toBe(tags.length);
    }
  });
});
