import { describe, expect, it } from 'vitest';
import { RtmpClosedError, RtmpStatusError } from '../rtmp/client-session';
import { mapConnectError, parseIngestUrl } from './rtmp-publisher-connection';

const target = { host: 'ingest.example', port: 443, secure: true };

describe('parseIngestUrl', () => {
  it.each([
    ['rtmps://a1b2c3d4e5f6.global-contribute.live-video.net:443/app/', { secure: true, host: 'a1b2c3d4e5f6.global-contribute.live-video.net', port: 443, app: 'app' }],
    ['rtmps://ingest.example/app', { secure: true, port: 443, app: 'app', tcUrl: 'rtmps://ingest.example:443/app' }],
    ['rtmp://127.0.0.1/app/', { secure: false, port: 1935, tcUrl: 'rtmp://127.0.0.1:1935/app' }],
    ['rtmp://[::1]:1936/live', { host: '::1', port: 1936, app: 'live', tcUrl: 'rtmp://[::1]:1936/live' }],
  ])('%s', (url, expected) => {
    expect(parseIngestUrl(url)).toMatchObject(expected);
  });

  it('refuses what cannot be an ingest', () => {
    expect(() => parseIngestUrl('not a url')).toThrow(/not a valid URL/);
    expect(() => parseIngestUrl('srt://host:9000')).toThrow(/rtmps:\/\/ or rtmp:\/\//);
    expect(() => parseIngestUrl('rtmps://host:443/')).toThrow(/no application path/);
  });
});

describe('mapConnectError', () => {
  const errno = (code: string) => Object.assign(new Error(code), { code });
  it.each([
    [errno('ECONNREFUSED'), 'socket', 'INGEST_UNREACHABLE', /nothing is listening/],
    [errno('ENOTFOUND'), 'socket', 'INGEST_UNREACHABLE', /does not resolve/],
    [errno('CONNECT_TIMEOUT'), 'connect', 'INGEST_UNREACHABLE', /no answer in time/],
    [errno('CERT_HAS_EXPIRED'), 'socket', 'INGEST_TLS', /certificate could not be verified: it has expired/],
    [errno('ERR_TLS_CERT_ALTNAME_INVALID'), 'socket', 'INGEST_TLS', /issued for a different host name/],
    [errno('SELF_SIGNED_CERT_IN_CHAIN'), 'socket', 'INGEST_TLS', /does not trust/],
    [new RtmpStatusError('publish', 'NetStream.Publish.BadName', 'Invalid stream key.'), 'publish', 'STREAM_KEY_REJECTED', /rejected the stream key/],
    [new RtmpStatusError('publish', 'NetStream.Publish.BadName', 'Stream already publishing'), 'publish', 'CHANNEL_BUSY', /already live/],
    [new RtmpStatusError('publish', 'NetStream.Publish.Denied', ''), 'publish', 'STREAM_KEY_REJECTED', /Denied/],
    [new RtmpStatusError('connect', 'NetConnection.Connect.Rejected', 'Unknown application'), 'connect', 'INGEST_UNREACHABLE', /refused the RTMP connect/],
    [new RtmpClosedError('publish', { local: false }), 'publish', 'STREAM_KEY_REJECTED', /when the stream key was presented/],
    [new RtmpClosedError('connect', { local: false }), 'connect', 'INGEST_DISCONNECTED', /during the RTMP connect/],
  ] as const)('%s during %s → %s', (error, stage, code, message) => {
    const mapped = mapConnectError(error, stage, target);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
  });
});
