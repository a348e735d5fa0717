import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeAmf0 } from './amf0';
import { RtmpConnection, parseCommand } from './connection';
import { MessageType, UserControlEvent, parseUserControl, userControlMessage, type RtmpMessage } from './messages';
import { splitAggregate } from './server-session';
import { waitForEvent } from '../core/emitter';

const sockets: net.Socket[] = [];
let server: net.Server | undefined;

afterEach(async () => {
  for (const s of sockets) s.destroy();
  sockets.length = 0;
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A connected pair of RtmpConnections over real loopback sockets, handshake done. */
async function pair(): Promise<{ client: RtmpConnection; host: RtmpConnection }> {
  let host!: RtmpConnection;
  const accepted = new Promise<void>((resolve) => {
    server = net.createServer((socket) => {
      sockets.push(socket);
      host = new RtmpConnection(socket, { role: 'server' });
      host.onReady(() => resolve());
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const socket = net.connect((server!.address() as net.AddressInfo).port, '127.0.0.1');
  sockets.push(socket);
  const client = new RtmpConnection(socket, { role: 'client', outgoingChunkSize: 4096 });
  await Promise.all([waitForEvent(client.onReady), accepted]);
  return { client, host };
}

describe('RtmpConnection', () => {
  it('answers a ping request with a ping response carrying the same timestamp', async () => {
    const { client, host } = await pair();
    const response = waitForEvent(host.onMessage, (m) => m.typeId === MessageType.UserControl && parseUserControl(m.payload)?.event === UserControlEvent.PingResponse);
    host.send(userControlMessage(UserControlEvent.PingRequest, 123456));
    expect(parseUserControl((await response).payload)).toEqual({ event: UserControlEvent.PingResponse, value: 123456 });
    client.destroy();
  });

  it('acknowledges on the smaller announced window, and the sender counts acknowledged bytes', async () => {
    const { client, host } = await pair();
    host.announceWindow(2_500_000);
    client.announceWindow(10_000);
    await new Promise((r) => setTimeout(r, 50));
    const media: RtmpMessage = { chunkStreamId: 6, typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: Buffer.alloc(50_000, 1) };
    for (let i = 0; i < 4; i++) client.send({ ...media, timestamp: i * 33 });
    await new Promise((r) => setTimeout(r, 200));
    expect(host.bytesIn).toBeGreaterThan(200_000);
    // Acks every ≥10 kB: at most one window behind what the host received.
    expect(client.bytesAcked).toBeGreaterThan(host.bytesIn - 60_000);
    expect(client.bytesAcked).toBeLessThanOrEqual(client.bytesOut);
    expect(client.firstAckAt).toBeDefined();
    client.close();
    await waitForEvent(host.onClose);
  });

  it('reports the close reason of garbage as a protocol error, at the first bad byte', async () => {
    const { client, host } = await pair();
    const closed = waitForEvent(host.onClose);
    client.socket.write(Buffer.from([0x43, 0, 0, 0])); // format 1 on a fresh chunk stream
    const info = await closed;
    expect(info.local).toBe(false);
    expect(info.error?.name).toBe('RtmpProtocolError');
  });
});

describe('message helpers', () => {
  it('reads AMF3-wrapped AMF0 commands (type 17) as some encoders send them', () => {
    const payload = Buffer.concat([Buffer.from([0]), encodeAmf0('publish', 0, null, 'key', 'live')]);
    expect(parseCommand({ chunkStreamId: 3, typeId: MessageType.CommandAmf3, streamId: 1, timestamp: 0, payload })).toEqual({
      name: 'publish', transactionId: 0, object: null, args: ['key', 'live'], streamId: 1,
    });
  });

  it('splits an aggregate message into tags on the message timeline', () => {
    const tag = (type: number, time: number, body: number[]) => {
      const head = Buffer.alloc(11);
      head[0] = type;
      head.writeUIntBE(body.length, 1, 3);
      head.writeUIntBE(time, 4, 3);
      const back = Buffer.alloc(4);
      back.writeUInt32BE(11 + body.length);
      return Buffer.concat([head, Buffer.from(body), back]);
    };
    const payload = Buffer.concat([tag(9, 1000, [0x17, 1]), tag(8, 1020, [0xaf, 1, 5])]);
    expect(splitAggregate({ chunkStreamId: 6, typeId: MessageType.Aggregate, streamId: 1, timestamp: 5000, payload })).toEqual([
      { type: 'video', timestamp: 5000, data: Buffer.from([0x17, 1]) },
      { type: 'audio', timestamp: 5020, data: Buffer.from([0xaf, 1, 5]) },
    ]);
  });
});
