import * as net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ivsIngestUrl, parseIngestUrl, probeIngest } from './ingest';

describe('ingest URLs', () => {
  it('builds the IVS broadcaster URL, keeping an explicit port', () => {
    expect(ivsIngestUrl('a1b2c3d4e5f6.global-contribute.live-video.net')).toBe('rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/');
    expect(ivsIngestUrl('127.0.0.1:4935')).toBe('rtmps://127.0.0.1:4935/app/');
  });

  it.each([
    ['rtmps://live.example.com/app/', { protocol: 'rtmps', host: 'live.example.com', port: 443, path: '/app/' }],
    ['rtmp://127.0.0.1:1935/live', { protocol: 'rtmp', host: '127.0.0.1', port: 1935, path: '/live' }],
    ['rtmp://[::1]:1940/app/', { protocol: 'rtmp', host: '::1', port: 1940, path: '/app/' }],
  ])('parses %s', (url, expected) => {
    expect(parseIngestUrl(url)).toEqual(expected);
  });

  it.each([
    ['live.example.com/app', /not a URL/],
    ['https://example.com/app', /not an RTMP\(S\) URL/],
    ['rtmp://user:pw@example.com/app', /must not contain a user name or password/],
  ])('refuses %s with a reason', (url, reason) => {
    const parsed = parseIngestUrl(url);
    expect('error' in parsed && parsed.error).toMatch(reason);
  });
});

describe('probeIngest (real sockets on 127.0.0.1)', () => {
  it('reachable when something listens, unreachable with the socket error when not', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    expect(await probeIngest(`rtmp://127.0.0.1:${port}/app/`)).toEqual({ reachable: true });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(await probeIngest(`rtmp://127.0.0.1:${port}/app/`)).toEqual({ reachable: false, problem: `ECONNREFUSED connecting to 127.0.0.1:${port}` });
    expect(await probeIngest('ftp://x/')).toEqual({ reachable: false, problem: '"ftp://x/" is not an RTMP(S) URL (it starts with ftp://).' });
  });
});
