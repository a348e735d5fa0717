import { describe, expect, it } from 'vitest';
import {
  buildArn,
  fingerprintOf,
  ingestEndpointFor,
  newAccessKeyId,
  newResourceId,
  newSecretAccessKey,
  newStreamId,
  newStreamKeyValue,
  parseArn,
  playbackUrlFor,
  type RandomSource,
} from './identifiers';

/** Cycles through 0,1,2,… so outputs are fixed. */
const counting = (): RandomSource => {
  let n = 0;
  return (max) => n++ % max;
};

describe('identifiers', () => {
  it('builds and parses ARNs in the IVS shapes', () => {
    expect(buildArn('us-west-2', '000000000000', 'channel', 'abcdABCDefgh')).toBe('arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh');
    expect(parseArn('arn:aws:ivs:eu-west-1:123456789012:recording-configuration/ABcdef34ghIJ')).toEqual({
      region: 'eu-west-1',
      accountId: '123456789012',
      kind: 'recording-configuration',
      id: 'ABcdef34ghIJ',
    });
    expect(parseArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(parseArn('arn:aws:ivs:us-west-2:000000000000:channel/')).toBeUndefined();
  });

  it.each([
    ['resource id', () => newResourceId(counting()), /^[a-zA-Z0-9]{12}$/, 'abcdefghijkl'],
    ['stream id', () => newStreamId(counting()), /^st-[a-zA-Z0-9]{23}$/, 'st-abcdefghijklmnopqrstuvw'],
    ['stream key', () => newStreamKeyValue('us-west-2', counting()), /^sk_us-west-2_[a-zA-Z0-9]{12}_[a-zA-Z0-9]{31}$/, undefined],
    ['access key id', () => newAccessKeyId(counting()), /^AKIA[A-Z2-7]{16}$/, 'AKIAABCDEFGHIJKLMNOP'],
    ['secret access key', () => newSecretAccessKey(counting()), /^[a-zA-Z0-9+/]{40}$/, undefined],
  ])('%s has the IVS/AWS shape', (_name, make, pattern, exact) => {
    const value = make();
    expect(value).toMatch(pattern);
    if (exact) expect(value).toBe(exact);
  });

  it('stream ids are 26 characters (the StreamId constraint)', () => {
    expect(newStreamId()).toHaveLength(26);
  });

  it('fingerprints are 16 colon-separated hex bytes', () => {
    expect(fingerprintOf(Buffer.from('key'))).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
  });

  it('computes URLs from the current ports', () => {
    const endpoints = { httpHost: '127.0.0.1', httpPort: 4000, ingestPort: 4443 };
    expect(playbackUrlFor(endpoints, 'us-west-2', '000000000000', 'abcdABCDefgh')).toBe(
      'http://127.0.0.1:4000/api/video/v1/us-west-2.000000000000.channel.abcdABCDefgh.m3u8',
    );
    expect(ingestEndpointFor(endpoints)).toBe('127.0.0.1:4443');
  });
});
