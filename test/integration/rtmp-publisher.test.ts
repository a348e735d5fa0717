/**
 * The studio's RTMP(S) publisher against the local channel's ingest and against ffmpeg's own RTMP
 * server: tags arrive byte-identical, stats move, every failure maps to its own catalog error, and
 * the stream key shows up in no error.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestServer, type IngestEndReason, type IngestPublisher } from '../../src-main/channel/ingest/ingest-server';
import { ensureIngestTls, type IngestTlsMaterial } from '../../src-main/channel/ingest/tls-material';
import { StudioError } from '../../src-main/core/studio-error';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import type { FlvTag } from '../../src-main/media/flv';
import { NodeRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { encodeTestFlv } from '../support/ffmpeg-media';

const KEY = 'sk_us-west-2_pubTest0001_abcdefghijklmnopqrstuvwxyz01234';
const BUSY_KEY = 'sk_us-west-2_busyTest001_abcdefghijklmnopqrstuvwxyz0123';

interface Received {
  publisher: IngestPublisher;
  tags: FlvTag[];
  ended: Promise<IngestEndReason>;
}

let dataDir: string;
let tlsMaterial: IngestTlsMaterial;
let server: IngestServer;
let media: FlvTag[];
const received: Received[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'publisher-test-'));
  tlsMaterial = await ensureIngestTls(dataDir);
  server = new IngestServer({
    tls: tlsMaterial,
    handler: {
      publish(publisher) {
        if (publisher.request.streamName === BUSY_KEY) return { accept: false, code: 'NetStream.Publish.BadName', description: 'Another encoder is already publishing on this channel.' };
        if (publisher.request.streamName !== KEY) return { accept: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key.' };
        const tags: FlvTag[] = [];
        publisher.onTag((t) => tags.push(t));
        received.push({ publisher, tags, ended: new Promise((resolve) => publisher.onEnd(resolve)) });
        return { accept: true };
      },
    },
  });
  await server.start();
  // 2 s at ~1.5 Mbps: enough bytes for several acknowledgement windows.
  media = encodeTestFlv({ seconds: 2, size: '640x360', bitrate: '1500k' });
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function expectNoKey(error: unknown): void {
  const text = JSON.stringify({ message: (error as Error).message, payload: error instanceof StudioError ? error.toPayload() : undefined });
  expect(text).not.toContain(KEY);
  expect(text).not.toContain(BUSY_KEY);
}

async function connectError(target: ConstructorParameters<typeof NodeRtmpPublisherConnection>[0]): Promise<StudioError> {
  const connection = new NodeRtmpPublisherConnection(target);
  const error = await connection.connect().then(() => undefined, (e: unknown) => e);
  await connection.close();
  expect(error).toBeInstanceOf(StudioError);
  expectNoKey(error);
  return error as StudioError;
}

describe('RTMP publisher connection', () => {
  it.each([
    ['RTMPS with the local CA trusted', true],
    ['plain RTMP', false],
  ])('publishes to the local ingest over %s: tags arrive byte-identical, acks come back, close unpublishes', async (_name, secure) => {
    const connection = new NodeRtmpPublisherConnection({
      ingestUrl: secure ? server.rtmpsUrl! : server.rtmpUrl,
      streamKey: KEY,
      ca: tlsMaterial.caPem,
    });
    await connection.connect();
    const session = received.at(-1)!;
    expect(session.publisher.secure).toBe(secure);
    for (const tag of media) connection.send(tag);
    const stats = connection.stats();
    expect(stats.bytesSent).toBeGreaterThan(media.reduce((n, t) => n + t.data.length, 0));
    expect(stats.connectTimeMs).toBeGreaterThan(0);
    await connection.close();
    expect(await session.ended).toEqual({ kind: 'unpublished' });
    // The ingest got the exact stream the encoder made.
    const hex = (tags: FlvTag[]) => tags.map((t) => `${t.type}@${t.timestamp}:${t.data.toString('hex')}`);
    expect(hex(session.tags)).toEqual(hex(media));
    const after = connection.stats();
    expect(after.bytesAcked).toBeGreaterThan(0);
    expect(after.bytesAcked).toBeLessThanOrEqual(after.bytesSent);
    expect(after.bufferedBytes).toBe(0);
  });

  it('refuses a wrong key with STREAM_KEY_REJECTED, a busy channel with CHANNEL_BUSY — never quoting the key', async () => {
    const wrong = await connectError({ ingestUrl: server.rtmpsUrl!, streamKey: `${KEY}x`, ca: tlsMaterial.caPem });
    expect(wrong.code).toBe('STREAM_KEY_REJECTED');
    expect(wrong.message).toMatch(/Invalid stream key/);
    const busy = await connectError({ ingestUrl: server.rtmpsUrl!, streamKey: BUSY_KEY, ca: tlsMaterial.caPem });
    expect(busy.code).toBe('CHANNEL_BUSY');
  });

  it('reports INGEST_UNREACHABLE when nothing listens, and for a URL that is not RTMP', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const refused = await connectError({ ingestUrl: `rtmp://127.0.0.1:${port}/app/`, streamKey: KEY });
    expect(refused.code).toBe('INGEST_UNREACHABLE');
    expect(refused.message).toMatch(/nothing is listening/);
    expect(() => new NodeRtmpPublisherConnection({ ingestUrl: 'http://127.0.0.1/app/', streamKey: KEY })).toThrow(/must start with rtmps:\/\/ or rtmp:\/\//);
  });

  it('says plainly when the certificate cannot be verified (CA not trusted, wrong port type)', async () => {
    const untrusted = await connectError({ ingestUrl: server.rtmpsUrl!, streamKey: KEY });
    expect(untrusted.code).toBe('INGEST_TLS');
    expect(untrusted.message).toMatch(/TLS certificate could not be verified: it is signed by a certificate authority this computer does not trust/);
    const plainPort = await connectError({ ingestUrl: `rtmps://127.0.0.1:${server.rtmpPort}/app/`, streamKey: KEY, ca: tlsMaterial.caPem });
    expect(plainPort.code).toBe('INGEST_TLS');
    // The certificate names localhost too.
    const byName = new NodeRtmpPublisherConnection({ ingestUrl: `rtmps://localhost:${server.rtmpsPort}/app/`, streamKey: KEY, ca: tlsMaterial.caPem });
    await byName.connect();
    await byName.close();
    await received.at(-1)!.ended;
  });

  it('fires onDisconnect with INGEST_DISCONNECTED and the ingest reason when the ingest ends the stream', async () => {
    const connection = new NodeRtmpPublisherConnection({ ingestUrl: server.rtmpsUrl!, streamKey: KEY, ca: tlsMaterial.caPem });
    await connection.connect();
    const disconnected = new Promise<StudioError>((resolve) => connection.onDisconnect(resolve));
    connection.send(media[0]!);
    received.at(-1)!.publisher.disconnect('Stopped by StopStream.');
    const error = await disconnected;
    expect(error.code).toBe('INGEST_DISCONNECTED');
    expect(error.message).toMatch(/Stopped by StopStream/);
    expect(connection.send(media[1]!)).toBe(false);
    await connection.close();
  });

  it('close() during connect cancels the attempt at once: connect rejects, the socket is gone', async () => {
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const serverSide = new Promise<net.Socket>((resolve) => silent.once('connection', resolve));
    try {
      const connection = new NodeRtmpPublisherConnection({ ingestUrl: `rtmp://127.0.0.1:${(silent.address() as net.AddressInfo).port}/app/`, streamKey: KEY });
      const attempt = connection.connect().then(() => undefined, (e: unknown) => e);
      const socket = await serverSide;
      const socketClosed = new Promise((r) => socket.on('close', r));
      await connection.close();
      const error = (await attempt) as StudioError;
      expect(error.code).toBe('INGEST_DISCONNECTED');
      expect(error.message).toMatch(/cancelled/);
      await socketClosed;
    } finally {
      await new Promise((r) => silent.close(r));
    }
  });

  it('publishes to ffmpeg -listen 1 as the server; ffprobe decodes what ffmpeg recorded', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const out = path.join(dataDir, 'from-listener.flv');
    const listener = spawn(findFfmpeg().path, ['-hide_banner', '-loglevel', 'error', '-listen', '1', '-timeout', '10', '-i', `rtmp://127.0.0.1:${port}/app/anykey`, '-c', 'copy', '-y', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    listener.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => listener.on('exit', resolve));
    try {
      let connection: NodeRtmpPublisherConnection | undefined;
      for (let attempt = 0; attempt < 50 && !connection; attempt++) {
        const candidate = new NodeRtmpPublisherConnection({ ingestUrl: `rtmp://127.0.0.1:${port}/app/`, streamKey: KEY, connectTimeoutMs: 3000 });
        try {
          await candidate.connect();
          connection = candidate;
        } catch (error) {
          // ffmpeg may not be listening yet.
          if ((error as StudioError).code !== 'INGEST_UNREACHABLE') throw error;
          await new Promise((r) => setTimeout(r, 100));
        }
      }
      for (const tag of media) connection!.send(tag);
      await connection!.close();
      expect(await exited).toBe(0);
    } finally {
      listener.kill('SIGKILL');
    }
    // ffmpeg's RTMP server reports the end of any publisher's stream (its own ffmpeg client's too) as an I/O error.
    expect(stderr.replace(/^rtmp:\/\/\S+: Input\/output error\n/m, '')).toBe('');
    const frames = execFileSync(findFfprobe(), ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,codec_name,width,height', '-of', 'json', out]).toString();
    const stream = JSON.parse(frames).streams[0];
    expect(stream).toMatchObject({ codec_name: 'h264', width: 640, height: 360 });
    expect(Number(stream.nb_read_frames)).toBe(media.filter((t) => t.type === 'video' && t.data[1] === 1).length);
  });
});
