import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { IvsError } from './ivs-error';
import { parseAmzDate, parseAuthorization, parseQuery, SigV4Verifier, type SignedRequest } from './sigv4-verifier';

const credentials = { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCD' };
const now = new Date('2026-03-04T05:06:07Z');
const verifier = new SigV4Verifier({ ...credentials, region: 'us-west-2', now: () => now });

/** Signs like the SDK does, then hands the verifier what Node's http server would see. */
async function signed(options: {
  path?: string;
  query?: Record<string, string | string[]>;
  body?: string;
  service?: string;
  region?: string;
  secret?: string;
  at?: Date;
}): Promise<SignedRequest> {
  const body = Buffer.from(options.body ?? '{}');
  const signer = new SignatureV4({
    credentials: { ...credentials, secretAccessKey: options.secret ?? credentials.secretAccessKey },
    region: options.region ?? 'us-west-2',
    service: options.service ?? 'ivs',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4000,
      path: options.path ?? '/CreateChannel',
      query: options.query ?? {},
      headers: { host: '127.0.0.1:4000', 'content-type': 'application/json', 'content-length': String(body.length), 'user-agent': 'test' },
      body,
    }),
    { signingDate: options.at ?? now },
  );
  const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method: 'POST', rawPath: request.path, query: options.query ?? {}, headers, body };
}

async function failure(request: SignedRequest): Promise<{ type: string; message: string } | 'ok'> {
  try {
    await verifier.verify(request);
    return 'ok';
  } catch (error) {
    if (!(error instanceof IvsError)) throw error;
    expect(error.status).toBe(403);
    return { type: error.type, message: error.message };
  }
}

describe('SigV4Verifier', () => {
  it('accepts requests signed with the local credentials, including encoded paths and repeated query keys', async () => {
    expect(await failure(await signed({}))).toBe('ok');
    expect(await failure(await signed({ path: `/tags/${encodeURIComponent('arn:aws:ivs:us-west-2:0:channel/abc')}`, query: { tagKeys: ['b c', 'a+d'] } }))).toBe('ok');
    expect(await failure(await signed({ at: new Date(now.getTime() - 14 * 60 * 1000) }))).toBe('ok');
  });

  it.each([
    ['no Authorization header', async () => ({ ...(await signed({})), headers: { host: '127.0.0.1:4000' } }), 'MissingAuthenticationTokenException', 'Missing Authentication Token'],
    ['the wrong secret', () => signed({ secret: 'x'.repeat(40) }), 'InvalidSignatureException', 'does not match'],
    ['another service', () => signed({ service: 's3' }), 'InvalidSignatureException', "correct service: 'ivs'"],
    ['another region', () => signed({ region: 'eu-west-1' }), 'InvalidSignatureException', "not 'eu-west-1'"],
    ['a clock 16 minutes off', () => signed({ at: new Date(now.getTime() + 16 * 60 * 1000) }), 'InvalidSignatureException', 'Signature expired'],
    ['a changed body', async () => ({ ...(await signed({})), body: Buffer.from('{"a":1}') }), 'InvalidSignatureException', 'x-amz-content-sha256'],
    ['a changed path', async () => ({ ...(await signed({})), rawPath: '/DeleteChannel' }), 'InvalidSignatureException', 'does not match'],
    ['a changed query', async () => ({ ...(await signed({ query: { tagKeys: 'a' } })), query: { tagKeys: 'b' } }), 'InvalidSignatureException', 'does not match'],
    ['a changed signed header', async () => { const r = await signed({}); return { ...r, headers: { ...r.headers, 'content-type': 'text/plain' } }; }, 'InvalidSignatureException', 'does not match'],
    ['a missing signed header', async () => { const r = await signed({}); const { 'content-type': _drop, ...headers } = r.headers; return { ...r, headers }; }, 'InvalidSignatureException', "Signed header 'content-type' is missing"],
    ['an unknown access key', async () => { const r = await signed({}); return { ...r, headers: { ...r.headers, authorization: String(r.headers.authorization).replace(credentials.accessKeyId, 'AKIAZZZZZZZZZZZZZZZZ') } }; }, 'UnrecognizedClientException', 'security token'],
    ['a scope date that is not the request date', async () => { const r = await signed({}); return { ...r, headers: { ...r.headers, authorization: String(r.headers.authorization).replace('/20260304/', '/20260303/') } }; }, 'InvalidSignatureException', 'Date in Credential scope'],
    ['Basic auth', async () => ({ ...(await signed({})), headers: { authorization: 'Basic dXNlcjpwYXNz' } }), 'InvalidSignatureException', 'AWS4-HMAC-SHA256'],
  ])('refuses %s', async (_label, make, type, text) => {
    const result = await failure(await make());
    expect(result).not.toBe('ok');
    const { type: gotType, message } = result as { type: string; message: string };
    expect(gotType).toBe(type);
    expect(message).toContain(text);
  });
});

describe('SigV4 parsing helpers', () => {
  it('parses the Authorization header', () => {
    expect(
      parseAuthorization(
        `AWS4-HMAC-SHA256 Credential=AKIAX/20260304/us-west-2/ivs/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'a'.repeat(64)}`,
      ),
    ).toEqual({ accessKeyId: 'AKIAX', date: '20260304', region: 'us-west-2', service: 'ivs', terminator: 'aws4_request', signedHeaders: ['host', 'x-amz-date'], signature: 'a'.repeat(64) });
    expect(() => parseAuthorization('AWS4-HMAC-SHA256 Credential=AKIAX/20260304/us-west-2/ivs/aws4_request')).toThrow(/requires/);
    expect(() => parseAuthorization(`AWS4-HMAC-SHA256 Credential=AKIAX, SignedHeaders=host, Signature=${'a'.repeat(64)}`)).toThrow(/malformed/);
  });

  it.each([
    ['20260304T050607Z', '2026-03-04T05:06:07.000Z'],
    ['20261304T050607Z', undefined],
    ['2026-03-04T05:06:07Z', undefined],
  ])('parseAmzDate(%s)', (text, iso) => {
    expect(parseAmzDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    ['', {}],
    ['tagKeys=a&tagKeys=b%20c', { tagKeys: ['a', 'b c'] }],
    ['a=1+2&b&c=%E2%82%AC', { a: '1+2', b: '', c: '€' }],
    ['bad=%E0%A4%A', { bad: '%E0%A4%A' }],
  ])('parseQuery(%j)', (raw, expected) => {
    expect(parseQuery(raw)).toEqual(expected);
  });
});
