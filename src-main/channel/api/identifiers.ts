/**
 * IVS identifiers, ARNs and URLs, built and parsed the way IVS shapes them (reference §2.4, §2.5).
 * Pure: randomness comes from a `RandomSource` so tests can pin it.
 */
import { createHash, randomInt } from 'node:crypto';

export type ResourceKind = 'channel' | 'stream-key' | 'playback-key' | 'recording-configuration';

export interface ParsedArn {
  region: string;
  accountId: string;
  kind: string;
  id: string;
}

/** Returns an integer in [0, max). */
export type RandomSource = (max: number) => number;
export const cryptoRandom: RandomSource = (max) => randomInt(max);

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomAlnum(length: number, random: RandomSource = cryptoRandom): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALNUM[random(ALNUM.length)];
  return out;
}

/** Resource ids are 12 alphanumerics in every IVS example (`abcdABCDefgh`). */
export function newResourceId(random?: RandomSource): string {
  return randomAlnum(12, random);
}

export function buildArn(region: string, accountId: string, kind: ResourceKind, id: string): string {
  return `arn:aws:ivs:${region}:${accountId}:${kind}/${id}`;
}

const ARN_PATTERN = /^arn:aws:ivs:([a-z0-9-]+):([0-9]+):([a-z-]+)\/([a-zA-Z0-9-]+)$/;

export function parseArn(arn: string): ParsedArn | undefined {
  const match = ARN_PATTERN.exec(arn);
  if (!match) return undefined;
  return { region: match[1]!, accountId: match[2]!, kind: match[3]!, id: match[4]! };
}

/** `sk_<region>_<12 alnum>_<31 alnum>`, the shape of a real IVS stream key. */
export function newStreamKeyValue(region: string, random?: RandomSource): string {
  return `sk_${region}_${randomAlnum(12, random)}_${randomAlnum(31, random)}`;
}

/** `st-` + 23 alphanumerics: 26 characters, the StreamId constraint. */
export function newStreamId(random?: RandomSource): string {
  return `st-${randomAlnum(23, random)}`;
}

/** An AWS-style access key id (AKIA + 16 upper-case alphanumerics) for the local credentials. */
export function newAccessKeyId(random: RandomSource = cryptoRandom): string {
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let out = 'AKIA';
  for (let i = 0; i < 16; i++) out += upper[random(upper.length)];
  return out;
}

export function newSecretAccessKey(random: RandomSource = cryptoRandom): string {
  const chars = `${ALNUM}+/`;
  let out = '';
  for (let i = 0; i < 40; i++) out += chars[random(chars.length)];
  return out;
}

/** Playback key fingerprint: 16 colon-separated hex bytes (MD5 of the DER public key), as IVS shows it. */
export function fingerprintOf(publicKeyDer: Buffer): string {
  const digest = createHash('md5').update(publicKeyDer).digest('hex');
  return digest.match(/../g)!.join(':');
}

export interface Endpoints {
  /** host:port the HTTP API and playback listen on. */
  httpHost: string;
  httpPort: number;
  /** Ingest port (RTMPS when the live runtime has one, else the API port). */
  ingestPort: number;
}

/** `http://127.0.0.1:<port>/api/video/v1/<region>.<account>.channel.<id>.m3u8` */
export function playbackUrlFor(endpoints: Endpoints, region: string, accountId: string, channelId: string): string {
  return `http://${endpoints.httpHost}:${endpoints.httpPort}/api/video/v1/${region}.${accountId}.channel.${channelId}.m3u8`;
}

export function ingestEndpointFor(endpoints: Endpoints): string {
  return `${endpoints.httpHost}:${endpoints.ingestPort}`;
}
