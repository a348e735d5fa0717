import { describe, expect, it } from 'vitest';
import { ChunkReader, ChunkWriter, RtmpProtocolError } from './chunk-stream';
import { MessageType, abortMessage, setChunkSizeMessage, type RtmpMessage } from './messages';

function message(partial: Partial<RtmpMessage> & { payload: Buffer }): RtmpMessage {
  return { chunkStreamId: 6, typeId: MessageType.Video, streamId: 1, timestamp: 0, ...partial };
}

function readAll(reader: ChunkReader, bytes: Buffer, piece: number): RtmpMessage[] {
  const out: RtmpMessage[] = [];
  for (let i = 0; i < bytes.length; i += piece) out.push(...reader.push(bytes.subarray(i, i + piece)));
  return out;
}

describe('chunk stream', () => {
  it('parses the spec example: one format-0 header, then format-3 continuation chunks at 128 bytes', () => {
    const payload = Buffer.alloc(307, 7);
    const bytes = Buffer.concat([
      Buffer.from([0x04, 0, 0x03, 0xe8, 0, 0x01, 0x33, 0x09, 1, 0, 0, 0]), // fmt 0, csid 4, ts 1000, len 307, type 9, stream 1
      payload.subarray(0, 128),
      Buffer.from([0xc4]),
      payload.subarray(128, 256),
      Buffer.from([0xc4]),
      payload.subarray(256),
    ]);
    expect(new ChunkReader().push(bytes)).toEqual([{ chunkStreamId: 4, typeId: 9, streamId: 1, timestamp: 1000, payload }]);
  });

  it('uses all four header formats for a run of similar messages and reads them back', () => {
    const writer = new ChunkWriter();
    const messages = [
      message({ timestamp: 0, payload: Buffer.alloc(10, 1) }), // fmt 0
      message({ timestamp: 33, payload: Buffer.alloc(20, 2) }), // fmt 1 (new length)
      message({ timestamp: 66, payload: Buffer.alloc(20, 3) }), // fmt 2? same length & type, delta 33 = previous delta → fmt 3
      message({ timestamp: 100, payload: Buffer.alloc(20, 4) }), // fmt 2 (delta 34)
      message({ timestamp: 134, payload: Buffer.alloc(20, 5) }), // fmt 3
    ];
    const encoded = messages.map((m) => writer.write(m));
    expect(encoded.map((b) => b[0]! >> 6)).toEqual([0, 1, 3, 2, 3]);
    expect(readAll(new ChunkReader(), Buffer.concat(encoded), 1)).toEqual(messages);
  });

  it('handles extended timestamps in format 0 and in every continuation chunk', () => {
    const writer = new ChunkWriter();
    const messages = [
      message({ timestamp: 0x01000000, payload: Buffer.alloc(300, 9) }),
      message({ timestamp: 0x02000010, payload: Buffer.alloc(300, 8) }), // delta 0x1000010 ≥ 0xFFFFFF: extended delta
      message({ timestamp: 0xfffffff0, payload: Buffer.alloc(5, 1) }),
    ];
    const bytes = Buffer.concat(messages.map((m) => writer.write(m)));
    // First message: 12-byte header + 4-byte extended, then two fmt-3 chunks each with 4 extended bytes.
    expect(bytes.readUInt32BE(12)).toBe(0x01000000);
    expect(bytes[12 + 4 + 128]).toBe(0xc6);
    expect(bytes.readUInt32BE(12 + 4 + 128 + 1)).toBe(0x01000000);
    expect(readAll(new ChunkReader(), bytes, 7)).toEqual(messages);
  });

  it('interleaves chunk streams, obeys Set Chunk Size and drops an aborted message', () => {
    const writer = new ChunkWriter();
    const video = message({ chunkStreamId: 6, timestamp: 0, payload: Buffer.alloc(200, 0xaa) });
    const audio = message({ chunkStreamId: 4, typeId: MessageType.Audio, timestamp: 0, payload: Buffer.alloc(150, 0xbb) });
    const v = writer.write(video);
    const a = writer.write(audio);
    // Interleave: first chunk of video, all of audio, rest of video.
    const bytes = Buffer.concat([v.subarray(0, 12 + 128), a, v.subarray(12 + 128)]);
    expect(new ChunkReader().push(bytes)).toEqual([audio, video]);

    const sized = new ChunkWriter();
    const control = sized.write(setChunkSizeMessage(4096));
    sized.setChunkSize(4096);
    const big = message({ timestamp: 5, payload: Buffer.alloc(5000, 1) });
    const reader = new ChunkReader();
    const out = reader.push(Buffer.concat([control, sized.write(big)]));
    expect(reader.incomingChunkSize).toBe(4096);
    expect(out[1]).toEqual(big);

    const abortWriter = new ChunkWriter();
    const partial = abortWriter.write(message({ chunkStreamId: 8, payload: Buffer.alloc(300, 3) })).subarray(0, 12 + 128);
    const after = new ChunkReader();
    expect(after.push(Buffer.concat([partial, abortWriter.write(abortMessage(8))]))).toHaveLength(1);
    // A fresh format-0 message on csid 8 is accepted after the abort.
    const fresh = message({ chunkStreamId: 8, timestamp: 9, payload: Buffer.alloc(3, 4) });
    expect(after.push(new ChunkWriter().write(fresh))).toEqual([fresh]);
  });

  it('encodes two- and three-byte basic headers', () => {
    for (const csid of [63, 64, 319, 320, 65599]) {
      const m = message({ chunkStreamId: csid, payload: Buffer.from([1, 2, 3]) });
      const bytes = new ChunkWriter().write(m);
      expect(bytes[0]! & 0x3f).toBe(csid < 64 ? csid : csid < 320 ? 0 : 1);
      expect(new ChunkReader().push(bytes)).toEqual([m]);
    }
  });

  it('rejects garbage with RtmpProtocolError', () => {
    expect(() => new ChunkReader().push(Buffer.from([0x46, 0, 0, 0, 0, 0, 1, 9]))).toThrow(/starts with a format-1 header/);
    expect(() => new ChunkReader({ maxMessageLength: 1000 }).push(Buffer.from([0x06, 0, 0, 0, 0, 0x10, 0, 9, 1, 0, 0, 0]))).toThrow(/exceeds/);
    const zeroSize = new ChunkWriter().write(setChunkSizeMessage(0));
    expect(() => new ChunkReader().push(zeroSize)).toThrow(RtmpProtocolError);
    // Unfinished messages on too many chunk streams.
    const writer = new ChunkWriter();
    const bytes = Buffer.concat(Array.from({ length: 40 }, (_, i) => writer.write(message({ chunkStreamId: 10 + i, payload: Buffer.alloc(300) })).subarray(0, 140)));
    expect(() => new ChunkReader().push(bytes)).toThrow(/unfinished/);
  });
});
