/**
 * Private-channel playback tokens, as IVS checks them: a JWT signed ES384 (ECDSA P-384 over SHA-384,
 * signature as raw r‖s per RFC 7518 §3.4) with a private key whose public half was imported with
 * ImportPlaybackKeyPair. Claims checked: `aws:channel-arn` (must name this channel), `exp` (seconds,
 * must be in the future) and, when present, `aws:access-control-allow-origin` (comma-separated origins,
 * `*` or a `*.` host wildcard) against the request's Origin header.
 *
 * Origin rule: the claim restricts browsers, which always send Origin on cross-origin requests; a request
 * without an Origin header (ffmpeg, VLC, same-origin navigation) is not refused by it.
 *
 * signPlaybackToken is here too: the studio previews its own private channels with it, and tests use it.
 */
import * as crypto from 'node:crypto';
import type { PlaybackPublicKey } from '../runtime';

export type TokenRejection = 'missing' | 'malformed' | 'unsupported-algorithm' | 'bad-signature' | 'expired' | 'wrong-channel' | 'origin-not-allowed';

export type TokenCheck = { ok: true; claims: PlaybackTokenClaims; keyArn: string } | { ok: false; reason: TokenRejection; message: string };

export interface PlaybackTokenClaims {
  'aws:channel-arn': string;
  exp: number;
  'aws:access-control-allow-origin'?: string;
  'aws:strict-origin-enforcement'?: boolean;
  'aws:single-use-uuid'?: string;
  'aws:viewer-id'?: string;
  'aws:viewer-session-version'?: number;
  'aws:maximum-resolution'?: string;
  [claim: string]: unknown;
}

export interface TokenCheckInput {
  token: string | null | undefined;
  channelArn: string;
  publicKeys: readonly PlaybackPublicKey[];
  /** Epoch ms. */
  now: number;
  origin?: string;
}

function base64UrlJson(part: string): unknown {
  return JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
}

export function verifyPlaybackToken(input: TokenCheckInput): TokenCheck {
  const fail = (reason: TokenRejection, message: string): TokenCheck => ({ ok: false, reason, message });
  if (!input.token) return fail('missing', 'this channel is private: a playback token (?token=) is required');
  const parts = input.token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]*$/.test(p))) return fail('malformed', 'the playback token is not a JWT');
  let header: unknown;
  let claims: unknown;
  try {
    header = base64UrlJson(parts[0]!);
    claims = base64UrlJson(parts[1]!);
  } catch {
    return fail('malformed', 'the playback token header or payload is not base64url JSON');
  }
  if (!isObject(header) || !isObject(claims)) return fail('malformed', 'the playback token header or payload is not a JSON object');
  if (header.alg !== 'ES384') return fail('unsupported-algorithm', `playback tokens must be signed ES384, not ${String(header.alg)}`);

  const signature = Buffer.from(parts[2]!, 'base64url');
  const signed = Buffer.from(`${parts[0]}.${parts[1]}`, 'latin1');
  let keyArn: string | undefined;
  for (const key of input.publicKeys) {
    try {
      const publicKey = crypto.createPublicKey(key.publicKeyPem);
      if (crypto.verify('sha384', signed, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)) {
        keyArn = key.arn;
        break;
      }
    } catch {
      // A key of another type or curve cannot have signed it; try the next.
    }
  }
  if (!keyArn) return fail('bad-signature', 'the playback token is not signed by any imported playback key pair');

  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return fail('malformed', 'the playback token has no numeric exp claim');
  if (exp * 1000 <= input.now) return fail('expired', `the playback token expired at ${new Date(exp * 1000).toISOString()}`);
  if (claims['aws:channel-arn'] !== input.channelArn) return fail('wrong-channel', 'the playback token is for another channel');
  const allowed = claims['aws:access-control-allow-origin'];
  if (allowed !== undefined) {
    if (typeof allowed !== 'string') return fail('malformed', 'aws:access-control-allow-origin must be a string');
    if (input.origin && !originAllowed(input.origin, allowed)) return fail('origin-not-allowed', `origin ${input.origin} is not allowed by the playback token`);
  }
  return { ok: true, claims: claims as PlaybackTokenClaims, keyArn };
}

/** `*`, exact origins, and `scheme://*.host` wildcards, comma separated. */
export function originAllowed(origin: string, allowList: string): boolean {
  const normalized = origin.trim().toLowerCase().replace(/\/$/, '');
  for (const raw of allowList.split(',')) {
    const entry = raw.trim().toLowerCase().replace(/\/$/, '');
    if (!entry) continue;
    if (entry === '*' || entry === normalized) return true;
    const wildcard = /^([a-z][a-z0-9+.-]*:\/\/)?\*\.(.+)$/.exec(entry);
    if (wildcard) {
      const [, scheme, rest] = wildcard;
      let parsed: URL;
      try {
        parsed = new URL(normalized);
      } catch {
        continue;
      }
      if (scheme && `${parsed.protocol}//` !== scheme) continue;
      const hostAndPort = parsed.host;
      if (hostAndPort.endsWith(`.${rest}`)) return true;
    }
  }
  return false;
}

export function signPlaybackToken(claims: PlaybackTokenClaims, privateKeyPem: string): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
  const head = `${encode({ alg: 'ES384', typ: 'JWT' })}.${encode(claims)}`;
  const signature = crypto.sign('sha384', Buffer.from(head, 'latin1'), { key: privateKeyPem, dsaEncoding: 'ieee-p1363' });
  return `${head}.${signature.toString('base64url')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
