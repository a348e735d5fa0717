import * as crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { originAllowed, signPlaybackToken, verifyPlaybackToken } from './playback-token';

const arn = 'arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh';
const now = Date.UTC(2026, 10, 29, 12, 0, 0);
function keyPair(curve = 'secp384r1') {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: curve });
  return { publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
const imported = keyPair();
const stranger = keyPair();
const publicKeys = [{ arn: 'arn:aws:ivs:us-west-2:000000000000:playback-key/k1', publicKeyPem: imported.publicPem }];

describe('verifyPlaybackToken', () => {
  const check = (token: string | undefined, origin?: string) => verifyPlaybackToken({ token, channelArn: arn, publicKeys, now, origin });
  const exp = now / 1000 + 600;

  it('accepts an ES384 token for this channel signed by an imported key', () => {
    const result = check(signPlaybackToken({ 'aws:channel-arn': arn, exp }, imported.privatePem));
    expect(result).toMatchObject({ ok: true, keyArn: publicKeys[0]!.arn });
  });

  it.each([
    ['missing', undefined],
    ['malformed', 'not-a-jwt'],
    ['expired', () => signPlaybackToken({ 'aws:channel-arn': arn, exp: now / 1000 - 1 }, imported.privatePem)],
    ['wrong-channel', () => signPlaybackToken({ 'aws:channel-arn': arn.replace('abcd', 'zzzz'), exp }, imported.privatePem)],
    ['bad-signature', () => signPlaybackToken({ 'aws:channel-arn': arn, exp }, stranger.privatePem)],
    ['bad-signature', () => {
      const [h, , s] = signPlaybackToken({ 'aws:channel-arn': arn, exp }, imported.privatePem).split('.');
      return `${h}.${Buffer.from(JSON.stringify({ 'aws:channel-arn': arn, exp: exp + 9999 })).toString('base64url')}.${s}`;
    }],
    ['malformed', () => signPlaybackToken({ 'aws:channel-arn': arn } as never, imported.privatePem)],
  ])('refuses %s tokens', (reason, make) => {
    const token = typeof make === 'function' ? make() : make;
    expect(check(token)).toMatchObject({ ok: false, reason });
  });

  it('refuses a token signed with another algorithm header', () => {
    const head = `${Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify({ 'aws:channel-arn': arn, exp })).toString('base64url')}`;
    expect(check(`${head}.c2ln`)).toMatchObject({ ok: false, reason: 'unsupported-algorithm' });
  });

  it('checks aws:access-control-allow-origin against the Origin header when the browser sends one', () => {
    const token = signPlaybackToken({ 'aws:channel-arn': arn, exp, 'aws:access-control-allow-origin': 'https://viewer.example.com,https://*.fans.example' }, imported.privatePem);
    expect(check(token, 'https://viewer.example.com').ok).toBe(true);
    expect(check(token, 'https://a.fans.example').ok).toBe(true);
    expect(check(token, 'https://evil.example')).toMatchObject({ ok: false, reason: 'origin-not-allowed' });
    expect(check(token).ok).toBe(true);
  });
});

describe('originAllowed', () => {
  it.each([
    ['http://localhost:5173', '*', true],
    ['http://localhost:5173', 'http://localhost:5173/', true],
    ['https://x.a.com', 'https://*.a.com', true],
    ['http://x.a.com', 'https://*.a.com', false],
    ['https://a.com', 'https://*.a.com', false],
    ['https://b.com', 'https://a.com, https://b.com', true],
  ])('%s vs %s → %s', (origin, list, allowed) => {
    expect(originAllowed(origin, list)).toBe(allowed);
  });
});
