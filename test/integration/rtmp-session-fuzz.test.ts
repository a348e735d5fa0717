/**
 * Bounded, seeded fuzzing of the whole ingest stack over real sockets: a valid publishing session
 * (handshake, connect, createStream, publish, metadata, media) is mutated after the handshake and
 * replayed against the ingest server. Whatever arrives, the server must close or keep that one
 * connection without an uncaught exception, and still take a clean publish afterwards.
 */
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestServer, type IngestEndReason } from '../../src-main/channel/ingest/ingest-server';
import { AmfEcmaArray, encodeAmf0 } from '../../src-main/rtmp/amf0';
import { ChunkWriter } from '../../src-main/rtmp/chunk-stream';
import { ClientHandshake, HANDSHAKE_SIZE } from '../../src-main/rtmp/handshake';
import { MessageType, setChunkSizeMessage, type RtmpMessage } from '../../src-main/rtmp/messages';
import { SeededRandom, fuzzSeeds } from '../support/seeded-random';
import { encodeTestFlv } from '../support/ffmpeg-media';

let server: IngestServer;
const ends: IngestEndReason[] = [];
let tags = 0;
let sessionBytes: Buffer;
let handshakeLength: number;

function command(streamId: number, ...values: Parameters<typeof encodeAmf0>): RtmpMessage {
  return { chunkStreamId: 3, typeId: MessageType.CommandAmf0, streamId, timestamp: 0, payload: encodeAmf0(...values) };
}

beforeAll(async () => {
  server = new IngestServer({
    handshakeTimeoutMs: 1000,
    publishTimeoutMs: 1000,
    handler: {
      publish(publisher) {
        publisher.onTag(() => tags++);
        publisher.onEnd((r) => ends.push(r));
        return { accept: true };
      },
    },
  });
  await server.start();

  const client = new ClientHandshake();
  const c0c1 = client.start();
  // The server does not check C2's content, so any 1536 bytes complete the handshake.
  const c2 = Buffer.alloc(HANDSHAKE_SIZE, 7);
  handshakeLength = c0c1.length + c2.length;
  const writer = new ChunkWriter();
  const parts = [c0c1, c2];
  parts.push(writer.write(setChunkSizeMessage(4096)));
  writer.setChunkSize(4096);
  parts.push(writer.write(command(0, 'connect', 1, { app: 'app', type: 'nonprivate', tcUrl: 'rtmp://127.0.0.1/app' })));
  parts.push(writer.write(command(0, 'releaseStream', 2, null, 'key')));
  parts.push(writer.write(command(0, 'createStream', 3, null)));
  parts.push(writer.write(command(1, 'publish', 0, null, 'fuzz-key', 'live')));
  parts.push(writer.write({ chunkStreamId: 5, typeId: MessageType.DataAmf0, streamId: 1, timestamp: 0, payload: encodeAmf0('@setDataFrame', 'onMetaData', new AmfEcmaArray({ width: 160 })) }));
  for (const tag of encodeTestFlv({ seconds: 0.5, size: '160x90' })) {
    if (tag.type === 'script') continue;
    parts.push(writer.write({ chunkStreamId: tag.type === 'audio' ? 4 : 6, typeId: tag.type === 'audio' ? 8 : 9, streamId: 1, timestamp: tag.timestamp, payload: tag.data }));
  }
  parts.push(writer.write(command(0, 'FCUnpublish', 5, null, 'fuzz-key')));
  parts.push(writer.write(command(0, 'deleteStream', 6, null, 1)));
  sessionBytes = Buffer.concat(parts);
});

afterAll(async () => {
  await server?.stop();
});

/** Sends bytes in random pieces and waits for the server to close the socket (or a short quiet time). */
function replay(bytes: Buffer, rng: SeededRandom): Promise<void> {
  return new Promise((resolve) => {
    const socket = net.connect(server.rtmpPort, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    const finish = setTimeout(() => socket.destroy(), 1600);
    socket.on('close', () => {
      clearTimeout(finish);
      resolve();
    });
    socket.on('connect', () => {
      for (const piece of rng.split(bytes, 3000)) socket.write(piece);
      if (rng.bool(0.5)) socket.end();
    });
  });
}

describe.each(fuzzSeeds(2))('ingest session fuzz seed %i', (seed) => {
  it('survives mutated sessions and still takes a clean publish', async () => {
    const rng = new SeededRandom(seed);
    const rounds = Array.from({ length: 12 }, () => {
      const body = rng.mutate(sessionBytes.subarray(handshakeLength), 6);
      return Buffer.concat([sessionBytes.subarray(0, handshakeLength), body]);
    });
    // A few at a time: the server must keep them apart.
    for (let i = 0; i < rounds.length; i += 6) await Promise.all(rounds.slice(i, i + 6).map((r) => replay(r, rng)));

    const before = ends.length;
    const tagsBefore = tags;
    await replay(sessionBytes, rng);
    await new Promise((r) => setTimeout(r, 50));
    expect(ends.slice(before)).toContainEqual({ kind: 'unpublished' });
    expect(tags - tagsBefore).toBeGreaterThan(20);
    expect(server.connectionCount).toBe(0);
  });
});
