import { describe, expect, it } from 'vitest';
import { redact } from '../core/redact';
import { normalizeIngestUrl, resolveTarget } from './go-live';

describe('normalizeIngestUrl', () => {
  it.each([
    ['rtmps://a1b2c3.global-contribute.live-video.net:443/app/', 'rtmps://a1b2c3.global-contribute.live-video.net:443/app'],
    ['rtmp://127.0.0.1:1935/app', 'rtmp://127.0.0.1:1935/app'],
    ['  rtmps://127.0.0.1:4443/app//  ', 'rtmps://127.0.0.1:4443/app'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeIngestUrl(input)).toBe(expected);
  });

  it.each([
    ['https://example.com/app', /not an RTMP\(S\) URL/],
    ['rtmps://host:443/', /without the stream key; it has no application/],
    ['rtmps://host:443/app/sk_us-west-2_abcdefgh', /without the stream key; it has 2 path segments \(is the stream key in it\?\)/],
    ['not a url', /is not a URL/],
  ])('refuses %s with a reason', (input, reason) => {
    expect(() => normalizeIngestUrl(input)).toThrow(reason);
    expect(() => normalizeIngestUrl(input)).not.toThrow(/abcdefgh/);
  });
});

describe('resolveTarget (custom)', () => {
  it('keeps the key out of what it describes and registers it for redaction', async () => {
    const key = 'sk_us-west-2_customKEY0123456789';
    const target = await resolveTarget({ kind: 'custom', ingestUrl: 'rtmps://ingest.example.net:443/app/', streamKey: key }, {});
    expect(target.publish).toEqual({ ingestUrl: 'rtmps://ingest.example.net:443/app', streamKey: key });
    expect(JSON.stringify(target.info)).not.toContain(key);
    expect(target.info).toMatchObject({ kind: 'custom', label: 'ingest.example.net:443', streamKeyMasked: '••••••••6789' });
    expect(redact(`publishing with ${key}`)).toBe('publishing with [redacted]');
  });

  it.each([
    ['an empty key', '   '],
    ['a key with spaces', 'abc def ghi'],
  ])('refuses %s', async (_name, streamKey) => {
    await expect(resolveTarget({ kind: 'custom', ingestUrl: 'rtmp://127.0.0.1:1935/app', streamKey }, {})).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('says plainly when the local channel is not running, or no account can reach an ARN', async () => {
    await expect(resolveTarget({ kind: 'local-channel' }, {})).rejects.toThrow(/local channel is not running/);
    await expect(resolveTarget({ kind: 'ivs-channel', channelArn: 'arn:aws:ivs:us-west-2:123456789012:channel/abcd1234' }, {})).rejects.toThrow(/No AWS account/);
    await expect(resolveTarget({ kind: 'ivs-channel', channelArn: 'channel/abcd' }, {})).rejects.toThrow(/not an IVS channel ARN/);
    await expect(resolveTarget({ kind: 'selected' }, {})).rejects.toThrow(/No channel is selected/);
  });
});
