/**
 * The RTMP handshake: C0+C1 → S0+S1+S2 → C2, 1536-byte packets after a 1-byte version.
 *
 * Two dialects exist. The plain one (version bytes 4–7 of C1 zero) just echoes packets. The "digest"
 * one (Flash Player 9+, and what ffmpeg and librtmp send) hides an HMAC-SHA256 digest in C1 and
 * expects one in S1/S2. The server validates a client digest and, when present, answers in kind, so
 * clients that check the server's digest are satisfied; anything else gets the plain answer. The
 * client side sends the plain form (every server accepts it, ffmpeg's and nginx-rtmp's included).
 *
 * Both sides are byte-driven state machines with no I/O, unit- and fuzz-testable.
 */
import { createHmac, randomBytes } from 'node:crypto';

export const RTMP_VERSION = 3;
export const HANDSHAKE_SIZE = 1536;

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}

const DIGEST_LENGTH = 32;
const KEY_TAIL = Buffer.from('F0EEC24A8068BEE82E00D0D1029E7E576EEC5D2D29806FAB93B8E636CFEB31AE', 'hex');
const FP_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), KEY_TAIL]);
const FMS_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), KEY_TAIL]);
const FP_KEY_PUBLIC = FP_KEY.subarray(0, 30);
const FMS_KEY_PUBLIC = FMS_KEY.subarray(0, 36);
/** What we announce as server version in a digest S1 (any non-zero value tells the client "digest"). */
const SERVER_VERSION = Buffer.from([5, 0, 3, 1]);

function hmac(key: Buffer, ...data: Buffer[]): Buffer {
  const h = createHmac('sha256', key);
  for (const d of data) h.update(d);
  return h.digest();
}

/** Digest offset for the two schemes: the four bytes at `base` sum to an offset inside a 728-byte window. */
function digestOffset(packet: Buffer, base: 8 | 772): number {
  const sum = packet[base]! + packet[base + 1]! + packet[base + 2]! + packet[base + 3]!;
  return (sum % 728) + base + 4;
}

function digestAt(packet: Buffer, offset: number, key: Buffer): Buffer {
  return hmac(key, packet.subarray(0, offset), packet.subarray(offset + DIGEST_LENGTH));
}

/** The client's digest and its scheme, or undefined for a plain C1. */
export function findClientDigest(c1: Buffer): { digest: Buffer; scheme: 8 | 772 } | undefined {
  for (const scheme of [8, 772] as const) {
    const offset = digestOffset(c1, scheme);
    const expected = digestAt(c1, offset, FP_KEY_PUBLIC);
    if (expected.equals(c1.subarray(offset, offset + DIGEST_LENGTH))) return { digest: c1.subarray(offset, offset + DIGEST_LENGTH), scheme };
  }
  return undefined;
}

/** Writes a digest into a packet in place (used for S1, and by tests to build a digest C1). */
export function imprintDigest(packet: Buffer, scheme: 8 | 772, key: 'client' | 'server'): void {
  const offset = digestOffset(packet, scheme);
  digestAt(packet, offset, key === 'client' ? FP_KEY_PUBLIC : FMS_KEY_PUBLIC).copy(packet, offset);
}

function packetWithTime(version?: Buffer): Buffer {
  const packet = randomBytes(HANDSHAKE_SIZE);
  packet.writeUInt32BE(0, 0);
  if (version) version.copy(packet, 4);
  else packet.writeUInt32BE(0, 4);
  return packet;
}

/** S0+S1+S2 for a C1: digest-form when the client sent a valid digest, plain echo otherwise. */
export function buildServerResponse(c1: Buffer): Buffer {
  const clientDigest = c1.readUInt32BE(4) !== 0 ? findClientDigest(c1) : undefined;
  if (!clientDigest) {
    const s1 = packetWithTime();
    return Buffer.concat([Buffer.from([RTMP_VERSION]), s1, c1]);
  }
  const s1 = packetWithTime(SERVER_VERSION);
  imprintDigest(s1, clientDigest.scheme, 'server');
  const s2 = randomBytes(HANDSHAKE_SIZE);
  const key = hmac(FMS_KEY, clientDigest.digest);
  hmac(key, s2.subarray(0, HANDSHAKE_SIZE - DIGEST_LENGTH)).copy(s2, HANDSHAKE_SIZE - DIGEST_LENGTH);
  return Buffer.concat([Buffer.from([RTMP_VERSION]), s1, s2]);
}

export interface HandshakeStep {
  /** Bytes to send to the peer now. */
  reply?: Buffer;
  /** True once the handshake is complete; `rest` holds bytes that already belong to the chunk stream. */
  done: boolean;
  rest?: Buffer;
}

/** Server side: waits for C0+C1, answers S0+S1+S2, waits for C2 (whose content is not checked, as in every deployed server). */
export class ServerHandshake {
  private buffer = Buffer.alloc(0);
  private state: 'c0c1' | 'c2' | 'done' = 'c0c1';
  /** Whether the client used the digest dialect (for logs). */
  clientUsedDigest = false;

  push(bytes: Buffer): HandshakeStep {
    if (this.state === 'done') return { done: true, rest: bytes };
    this.buffer = Buffer.concat([this.buffer, bytes]);
    let reply: Buffer | undefined;
    if (this.state === 'c0c1') {
      if (this.buffer.length >= 1 && this.buffer[0] !== RTMP_VERSION) {
        const v = this.buffer[0]!;
        // 6 and 8 are RTMPE (encrypted); anything else is not RTMP at all (often a TLS hello or HTTP on the wrong port).
        throw new HandshakeError(v === 6 || v === 8 ? 'encrypted RTMP (RTMPE) is not supported' : `not an RTMP handshake (first byte 0x${v.toString(16)})`);
      }
      if (this.buffer.length < 1 + HANDSHAKE_SIZE) return { done: false };
      const c1 = this.buffer.subarray(1, 1 + HANDSHAKE_SIZE);
      this.clientUsedDigest = c1.readUInt32BE(4) !== 0 && findClientDigest(c1) !== undefined;
      reply = buildServerResponse(Buffer.from(c1));
      this.buffer = this.buffer.subarray(1 + HANDSHAKE_SIZE);
      this.state = 'c2';
    }
    if (this.buffer.length < HANDSHAKE_SIZE) return { reply, done: false };
    const rest = this.buffer.subarray(HANDSHAKE_SIZE);
    this.buffer = Buffer.alloc(0);
    this.state = 'done';
    return { reply, done: true, rest };
  }
}

/** Client side: `start()` gives C0+C1; push S0+S1+S2 to get C2 (the echo of S1). */
export class ClientHandshake {
  private buffer = Buffer.alloc(0);
  private state: 'start' | 's0s1s2' | 'done' = 'start';
  private c1: Buffer | undefined;

  start(): Buffer {
    if (this.state !== 'start') throw new Error('handshake already started');
    this.state = 's0s1s2';
    this.c1 = packetWithTime();
    return Buffer.concat([Buffer.from([RTMP_VERSION]), this.c1]);
  }

  push(bytes: Buffer): HandshakeStep {
    if (this.state === 'done') return { done: true, rest: bytes };
    if (this.state !== 's0s1s2') throw new Error('handshake not started');
    this.buffer = Buffer.concat([this.buffer, bytes]);
    if (this.buffer.length >= 1 && this.buffer[0] !== RTMP_VERSION) {
      throw new HandshakeError(`the server answered with RTMP version ${this.buffer[0]} (expected ${RTMP_VERSION}); is this an RTMP ingest?`);
    }
    if (this.buffer.length < 1 + 2 * HANDSHAKE_SIZE) return { done: false };
    const s1 = this.buffer.subarray(1, 1 + HANDSHAKE_SIZE);
    const rest = this.buffer.subarray(1 + 2 * HANDSHAKE_SIZE);
    this.buffer = Buffer.alloc(0);
    this.state = 'done';
    return { reply: Buffer.from(s1), done: true, rest };
  }
}
