/**
 * The local channel's RTMP(S) ingest against real encoders: ffmpeg over RTMP and over RTMPS with
 * certificate verification on, refusals, and hostile or broken peers that must not disturb others.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IngestServer, type IngestEndReason, type IngestPublisher } from '../../src-main/channel/ingest/ingest-server';
import { ensureIngestTls, type IngestTlsMaterial } from '../../src-main/channel/ingest/tls-material';
import { isAvcSequenceHeader, type FlvTag } from '../../src-main/media/flv';
import { RtmpClientSession } from '../../src-main/rtmp/client-session';
import { RtmpConnection } from '../../src-main/rtmp/connection';
import { pushWithFfmpeg } from '../support/ffmpeg-media';

interface Recorded {
  publisher: IngestPublisher;
  tags: FlvTag[];
  ended: Promise<IngestEndReason>;
}

const GOOD_KEY = 'sk_test_goodKey0123456789';
let dataDir: string;
let tlsMaterial: IngestTlsMaterial;
let server: IngestServer;
const published: Recorded[] = [];
const refused: string[] = [];
let busyKey: string | undefined;

function nextPublish(): Promise<Recorded> {
  const count = published.length;
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (published.length > count) {
        clearInterval(poll);
        resolve(published[count]!);
      }
    }, 20);
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-test-'));
  tlsMaterial = await ensureIngestTls(dataDir);
  server = new IngestServer({
    tls: tlsMaterial,
    handshakeTimeoutMs: 2000,
    publishTimeoutMs: 3000,
    handler: {
      publish(publisher) {
        const key = publisher.request.streamName;
        if (key !== GOOD_KEY && !key.startsWith('sk_test_other')) {
          refused.push(key);
          return { accept: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key.' };
        }
        if (busyKey === key) return { accept: false, code: 'NetStream.Publish.BadName', description: 'Another encoder is already publishing on this channel.' };
        const tags: FlvTag[] = [];
        publisher.onTag((tag) => tags.push(tag));
        const ended = new Promise<IngestEndReason>((resolve) => publisher.onEnd(resolve));
        published.push({ publisher, tags, ended });
        return { accept: true };
      },
    },
  });
  await server.start();
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('ingest server', () => {
  it('creates its TLS material once: a CA exported as ca.pem and a server certificate for 127.0.0.1 and localhost', async () => {
    const dir = path.join(dataDir, 'local-channel', 'tls');
    expect(fs.readdirSync(dir).sort()).toEqual(['ca-key.pem', 'ca.pem', 'server-key.pem', 'server.pem']);
    expect((fs.statSync(path.join(dir, 'server-key.pem')).mode & 0o077)).toBe(0);
    const again = await ensureIngestTls(dataDir);
    expect(again.caPem).toBe(tlsMaterial.caPem);
    expect(again.cert).toBe(tlsMaterial.cert);
    const { X509Certificate } = await import('node:crypto');
    const leaf = new X509Certificate(tlsMaterial.cert);
    expect(leaf.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(leaf.checkHost('localhost')).toBe('localhost');
    expect(leaf.verify(new X509Certificate(tlsMaterial.caPem).publicKey)).toBe(true);
  });

  it('takes a real ffmpeg push over RTMP at /app/<key> and hands out its FLV tags', async () => {
    const next = nextPublish();
    const ffmpeg = pushWithFfmpeg(server.rtmpUrl + GOOD_KEY, { seconds: 1.5 });
    const session = await next;
    expect(session.publisher.request).toMatchObject({ app: 'app', streamName: GOOD_KEY });
    expect(session.publisher.secure).toBe(false);
    expect(await ffmpeg.exited).toBe(0);
    expect(await session.ended).toEqual({ kind: 'unpublished' });
    const video = session.tags.filter((t) => t.type === 'video');
    expect(isAvcSequenceHeader(video[0]!.data)).toBe(true);
    expect(video.length).toBeGreaterThanOrEqual(45);
    expect(session.tags.some((t) => t.type === 'audio')).toBe(true);
    // onMetaData arrives without the @setDataFrame wrapper, as in an FLV file.
    expect(session.tags[0]!.type).toBe('script');
    expect(session.tags[0]!.data.subarray(3, 13).toString()).toBe('onMetaData');
  });

  it('takes ffmpeg over RTMPS with certificate verification on (-tls_verify 1 -ca_file ca.pem)', async () => {
    const next = nextPublish();
    const ffmpeg = pushWithFfmpeg(server.rtmpsUrl! + GOOD_KEY, { seconds: 1, caFile: tlsMaterial.caPath });
    const session = await next;
    expect(session.publisher.secure).toBe(true);
    expect(await ffmpeg.exited).toBe(0);
    expect(await session.ended).toEqual({ kind: 'unpublished' });
    expect(session.tags.filter((t) => t.type === 'video').length).toBeGreaterThanOrEqual(30);
  });

  it('fails verification for a client that trusts a different CA, and via localhost as well as 127.0.0.1 it verifies', async () => {
    const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'other-ca-'));
    try {
      const other = await ensureIngestTls(otherDir);
      const tlsErrors: string[] = [];
      const sub = server.onConnectionError((e) => e.secure && e.stage !== 'session' && tlsErrors.push(e.detail));
      const ffmpeg = pushWithFfmpeg(server.rtmpsUrl! + GOOD_KEY, { seconds: 1, caFile: other.caPath });
      expect(await ffmpeg.exited).not.toBe(0);
      expect(ffmpeg.stderr()).toMatch(/certificate|verif|TLS|tls/i);
      // The server sees the client give up right after TLS (gnutls closes without an alert).
      await vi.waitFor(() => expect(tlsErrors.length).toBeGreaterThan(0));
      sub.dispose();
    } finally {
      fs.rmSync(otherDir, { recursive: true, force: true });
    }
    const next = nextPublish();
    const byName = pushWithFfmpeg(`rtmps://localhost:${server.rtmpsPort}/app/${GOOD_KEY}`, { seconds: 0.5, caFile: tlsMaterial.caPath });
    await next;
    expect(await byName.exited).toBe(0);
  });

  it('refuses an unknown key with NetStream.Publish.BadName, and ffmpeg reports the server error', async () => {
    const before = published.length;
    const ffmpeg = pushWithFfmpeg(`${server.rtmpUrl}sk_wrong_key_12345`, { seconds: 1 });
    expect(await ffmpeg.exited).not.toBe(0);
    expect(ffmpeg.stderr()).toMatch(/Server error: Invalid stream key/);
    expect(refused).toContain('sk_wrong_key_12345');
    expect(published.length).toBe(before);
  });

  it('closes sockets that send garbage instead of a handshake, or never finish it, and keeps serving a live publisher meanwhile', async () => {
    const next = nextPublish();
    const live = pushWithFfmpeg(server.rtmpUrl + GOOD_KEY, { seconds: 3 });
    const session = await next;
    const errors: string[] = [];
    const sub = server.onConnectionError((e) => errors.push(`${e.stage}: ${e.detail}`));

    const closedBy = (socket: net.Socket) => new Promise<void>((resolve) => socket.on('close', () => resolve()));
    const garbage = net.connect(server.rtmpPort, '127.0.0.1', () => garbage.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    const silent = net.connect(server.rtmpPort, '127.0.0.1', () => silent.write(Buffer.from([3, 1, 2, 3])));
    const tlsGarbage = net.connect(server.rtmpsPort, '127.0.0.1', () => tlsGarbage.write(Buffer.alloc(300, 0x41)));
    for (const s of [garbage, silent, tlsGarbage]) s.on('error', () => undefined);
    await Promise.all([closedBy(garbage), closedBy(silent), closedBy(tlsGarbage)]);
    // The server's own close handling may run a tick after the client saw the socket close.
    await vi.waitFor(() => {
      expect(errors.some((e) => /handshake: not an RTMP handshake/.test(e))).toBe(true);
      expect(errors.some((e) => /handshake: RTMP handshake not completed within 2000 ms/.test(e))).toBe(true);
      expect(errors.some((e) => e.startsWith('tls:'))).toBe(true);
    });
    sub.dispose();

    const countBefore = session.tags.length;
    expect(await live.exited).toBe(0);
    expect(await session.ended).toEqual({ kind: 'unpublished' });
    expect(session.tags.length).toBeGreaterThan(countBefore);
  });

  it('ends a session with a protocol error on garbage chunks and as disconnected on a truncated stream', async () => {
    const publishRaw = async (key: string) => {
      const socket = net.connect(server.rtmpPort, '127.0.0.1');
      socket.on('error', () => undefined);
      const connection = new RtmpConnection(socket, { role: 'client' });
      const client = new RtmpClientSession(connection);
      await client.ready();
      await client.connect('app', server.rtmpUrl);
      await client.createStream(key);
      await client.publish(key);
      return { socket, client };
    };
    const next = nextPublish();
    const { socket } = await publishRaw(GOOD_KEY);
    const session = await next;
    // A format-1 header on a chunk stream that never had a format-0 one.
    socket.write(Buffer.from([0x40 | 20, 0, 0, 0, 0, 0, 5, 9, 1, 2, 3, 4, 5]));
    const reason = await session.ended;
    expect(reason.kind).toBe('protocol-error');
    expect((reason as { detail: string }).detail).toMatch(/format-1 header/);

    const next2 = nextPublish();
    const raw2 = await publishRaw(GOOD_KEY);
    const session2 = await next2;
    // Half a video message, then the socket dies.
    raw2.client.sendTag({ type: 'video', timestamp: 0, data: Buffer.alloc(100_000, 1) });
    raw2.socket.destroy();
    expect((await session2.ended).kind).toBe('disconnected');
  });

  it('disconnect() ends a publisher from the server side and tells the encoder why', async () => {
    const next = nextPublish();
    const ffmpeg = pushWithFfmpeg(server.rtmpUrl + GOOD_KEY, { seconds: 10 });
    const session = await next;
    await new Promise((r) => setTimeout(r, 500));
    session.publisher.disconnect('Stopped by StopStream.');
    expect(await session.ended).toEqual({ kind: 'server', detail: 'Stopped by StopStream.' });
    const code = await ffmpeg.exited;
    ffmpeg.kill();
    expect(code).not.toBe(0);
  });

  it('stop() closes listeners and every connection', async () => {
    const extra = new IngestServer({ handler: { publish: () => ({ accept: true }) } });
    await extra.start();
    const client = net.connect(extra.rtmpPort, '127.0.0.1');
    client.on('error', () => undefined);
    await new Promise((r) => client.on('connect', r));
    const closed = new Promise((r) => client.on('close', r));
    await extra.stop();
    await closed;
    expect(extra.connectionCount).toBe(0);
    await expect(new Promise((resolve, reject) => net.connect(extra.rtmpPort, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
  });
});
