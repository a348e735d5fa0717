import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ClientHandshake, HANDSHAKE_SIZE, HandshakeError, ServerHandshake, findClientDigest, imprintDigest } from './handshake';

const FMS_KEY = Buffer.concat([
  Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'),
  Buffer.from('F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE', 'hex'),
]);

describe('handshake', () => {
  it('completes between our client and our server, whatever the byte chunking, and hands over trailing bytes', () => {
    const client = new ClientHandshake();
    const server = new ServerHandshake();
    const c0c1 = client.start();
    expect(c0c1.length).toBe(1 + HANDSHAKE_SIZE);
    let serverReply: Buffer | undefined;
    for (let i = 0; i < c0c1.length; i += 100) serverReply = server.push(c0c1.subarray(i, i + 100)).reply ?? serverReply;
    expect(serverReply!.length).toBe(1 + 2 * HANDSHAKE_SIZE);
    // Plain C1 → S2 echoes C1.
    expect(serverReply!.subarray(1 + HANDSHAKE_SIZE).equals(c0c1.subarray(1))).toBe(true);
    const step = client.push(serverReply!);
    expect(step.done).toBe(true);
    const trailing = Buffer.from([0x03, 0, 0]);
    const done = server.push(Buffer.concat([step.reply!, trailing]));
    expect(done.done).toBe(true);
    expect(done.rest).toEqual(trailing);
    expect(server.clientUsedDigest).toBe(false);
  });

  it('answers a digest C1 (ffmpeg/librtmp style) with a valid server digest and S2', () => {
    for (const scheme of [8, 772] as const) {
      const c1 = randomBytes(HANDSHAKE_SIZE);
      c1.writeUInt32BE(0, 0);
      c1.set([9, 0, 124, 2], 4); // ffmpeg's client version
      imprintDigest(c1, scheme, 'client');
      const client = findClientDigest(c1);
      expect(client?.scheme).toBe(scheme);
      const server = new ServerHandshake();
      const reply = server.push(Buffer.concat([Buffer.from([3]), c1])).reply!;
      expect(server.clientUsedDigest).toBe(true);
      const s1 = reply.subarray(1, 1 + HANDSHAKE_SIZE);
      const s2 = reply.subarray(1 + HANDSHAKE_SIZE);
      // What a checking client does: find the server digest in S1, and verify S2 against its own digest.
      const sum = s1[scheme]! + s1[scheme + 1]! + s1[scheme + 2]! + s1[scheme + 3]!;
      const offset = (sum % 728) + scheme + 4;
      const expected = createHmac('sha256', FMS_KEY.subarray(0, 36)).update(s1.subarray(0, offset)).update(s1.subarray(offset + 32)).digest();
      expect(s1.subarray(offset, offset + 32)).toEqual(expected);
      const key = createHmac('sha256', FMS_KEY).update(client!.digest).digest();
      expect(s2.subarray(HANDSHAKE_SIZE - 32)).toEqual(createHmac('sha256', key).update(s2.subarray(0, HANDSHAKE_SIZE - 32)).digest());
    }
  });

  it('treats a C1 with version bytes but no valid digest as plain', () => {
    const c1 = randomBytes(HANDSHAKE_SIZE);
    c1.set([9, 0, 124, 2], 4);
    const reply = new ServerHandshake().push(Buffer.concat([Buffer.from([3]), c1])).reply!;
    expect(reply.subarray(1 + HANDSHAKE_SIZE)).toEqual(c1);
  });

  it('refuses what is not RTMP: a TLS ClientHello, an HTTP request, RTMPE', () => {
    expect(() => new ServerHandshake().push(Buffer.from([0x16, 0x03, 0x01]))).toThrow(/not an RTMP handshake \(first byte 0x16\)/);
    expect(() => new ServerHandshake().push(Buffer.from('GET / HTTP/1.1\r\n'))).toThrow(HandshakeError);
    expect(() => new ServerHandshake().push(Buffer.from([6]))).toThrow(/RTMPE/);
    const client = new ClientHandshake();
    client.start();
    expect(() => client.push(Buffer.from('HTTP/1.1 400'))).toThrow(/is this an RTMP ingest/);
  });
});
