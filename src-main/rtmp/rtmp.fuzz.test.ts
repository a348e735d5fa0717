/**
 * Bounded, seeded fuzzing of the RTMP parsers that face the network: the chunk reader, AMF0 and the
 * server handshake. Each case must either parse or fail with the parser's own error type — never a
 * RangeError, TypeError, hang or unbounded allocation. Runs in CI in well under a second per seed;
 * FUZZ_SEEDS=200 widens a local run, FUZZ_SEED=<n> replays one.
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom, fuzzSeeds } from '../../test/support/seeded-random';
import { Amf0Error, AmfEcmaArray, decodeAmf0, encodeAmf0, type AmfValue } from './amf0';
import { ChunkReader, ChunkWriter, RtmpProtocolError } from './chunk-stream';
import { HandshakeError, ServerHandshake } from './handshake';
import { MessageType, setChunkSizeMessage, type RtmpMessage } from './messages';

function randomAmf(rng: SeededRandom, depth = 0): AmfValue {
  const kind = rng.int(0, depth > 3 ? 5 : 9);
  switch (kind) {
    case 0: return rng.next() * 1e6 - 5e5;
    case 1: return rng.bool();
    case 2: return rng.bytes(rng.int(0, 20)).toString('base64');
    case 3: return null;
    case 4: return undefined;
    case 5: return new Date(Math.floor(rng.next() * 2e12));
    case 6: return Array.from({ length: rng.int(0, 4) }, () => randomAmf(rng, depth + 1));
    case 7: return new AmfEcmaArray(Object.fromEntries(Array.from({ length: rng.int(0, 4) }, (_, i) => [`k${i}`, randomAmf(rng, depth + 1)])));
    default: return Object.fromEntries(Array.from({ length: rng.int(0, 4) }, (_, i) => [`p${i}${rng.int(0, 9)}`, randomAmf(rng, depth + 1)]));
  }
}

function randomMessages(rng: SeededRandom, count: number): RtmpMessage[] {
  const clocks = new Map<number, number>();
  return Array.from({ length: count }, () => {
    const chunkStreamId = rng.pick([3, 4, 5, 6, 70, 400]);
    // Mostly increasing time per chunk stream, sometimes a jump back or past the 24-bit boundary.
    const previous = clocks.get(chunkStreamId) ?? rng.pick([0, 0xfffff0, 0x7ffffff0]);
    const timestamp = rng.bool(0.05) ? rng.int(0, 0xffffffff) : (previous + rng.pick([0, 21, 33, 34, 0x1000000])) >>> 0;
    clocks.set(chunkStreamId, timestamp);
    return {
      chunkStreamId,
      typeId: rng.pick([MessageType.Audio, MessageType.Video, MessageType.DataAmf0, MessageType.CommandAmf0]),
      streamId: rng.pick([0, 1, 1, 1]),
      timestamp,
      payload: rng.bytes(rng.pick([0, 1, 5, 127, 128, 129, 300, 4096, 9000])),
    };
  });
}

function expectOnly<E extends Error>(errorType: new (...args: never[]) => E, run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof errorType)) throw error;
  }
}

describe.each(fuzzSeeds())('fuzz seed %i', (seed) => {
  it('chunk layer: any messages, any chunk size, any socket splits → the same messages back', () => {
    const rng = new SeededRandom(seed);
    for (let round = 0; round < 20; round++) {
      const messages = randomMessages(rng, rng.int(1, 30));
      const writer = new ChunkWriter();
      const parts: Buffer[] = [];
      const chunkSize = rng.pick([2, 128, 129, 4096, 65536]);
      parts.push(writer.write(setChunkSizeMessage(chunkSize)));
      writer.setChunkSize(chunkSize);
      parts.push(...messages.map((m) => writer.write(m)));
      const reader = new ChunkReader();
      const out: RtmpMessage[] = [];
      for (const piece of rng.split(Buffer.concat(parts), rng.pick([3, 16, 1500, 70000]))) out.push(...reader.push(piece));
      // Payloads compared as hex: deep-equality on Buffers is slow in vitest.
      const flat = (list: RtmpMessage[]) => list.map((m) => ({ ...m, payload: m.payload.toString('hex') }));
      expect(flat(out.slice(1))).toEqual(flat(messages));
    }
  });

  it('chunk layer: mutated and random byte streams fail only with RtmpProtocolError', () => {
    const rng = new SeededRandom(seed);
    const writer = new ChunkWriter();
    const valid = Buffer.concat(randomMessages(rng, 40).map((m) => writer.write(m)));
    for (let round = 0; round < 300; round++) {
      const input = round % 3 === 0 ? rng.bytes(rng.int(1, 2000)) : rng.mutate(valid, 12);
      const reader = new ChunkReader({ maxMessageLength: 1 << 20, maxPendingBytes: 4 << 20 });
      expectOnly(RtmpProtocolError, () => {
        for (const piece of rng.split(input, 700)) reader.push(piece);
      });
      expect(reader.bufferedBytes).toBeLessThanOrEqual(input.length);
    }
  });

  it('AMF0: random values round-trip; mutated encodings fail only with Amf0Error', () => {
    const rng = new SeededRandom(seed);
    for (let round = 0; round < 200; round++) {
      const values = Array.from({ length: rng.int(1, 4) }, () => randomAmf(rng));
      const bytes = encodeAmf0(...values);
      expect(decodeAmf0(bytes)).toEqual(values);
      expectOnly(Amf0Error, () => decodeAmf0(rng.mutate(bytes)));
      expectOnly(Amf0Error, () => decodeAmf0(rng.bytes(rng.int(1, 64))));
    }
  });

  it('handshake: random and mutated openings fail only with HandshakeError', () => {
    const rng = new SeededRandom(seed);
    for (let round = 0; round < 50; round++) {
      const opening = Buffer.concat([Buffer.from([rng.bool(0.7) ? 3 : rng.int(0, 255)]), rng.bytes(rng.int(0, 3500))]);
      const server = new ServerHandshake();
      expectOnly(HandshakeError, () => {
        for (const piece of rng.split(opening, 900)) server.push(piece);
      });
    }
  });
});
