import { describe, expect, it } from 'vitest';
import { redact } from '../core/redact';
import type { PreflightCheck } from '../contract/domains/accounts';
import { defaultEncoderSettings } from '../encode/encoder-profile';
import { createRtmpPublisherConnection } from '../output/rtmp-publisher-connection';
import { GoLiveService, normalizeIngestUrl, resolveTarget, type AccountsLookup } from './go-live';

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

describe('GoLiveService preflight (selected target)', () => {
  const canvas = { width: 1280, height: 720, fps: 30 };
  function service(checks: PreflightCheck[]) {
    const calls = { acquired: 0, refreshed: 0 };
    const accounts: AccountsLookup = {
      getState: () => ({ accounts: [] }),
      listChannels: async () => [],
      select: async () => undefined,
      resolveStreamTarget: async () => ({ accountKind: 'custom', ingestUrl: 'rtmp://127.0.0.1:9/app', streamKey: 'sk_us-west-2_preflightUnit_0123456789' }),
      preflight: async () => ({ ok: checks.every((c) => c.ok || c.severity === 'warning'), checks }),
      refreshStatus: async () => {
        calls.refreshed++;
        return null;
      },
    };
    const goLive = new GoLiveService({
      createConnection: createRtmpPublisherConnection,
      program: { acquire: () => (calls.acquired++, Promise.reject(new Error('not in this test'))) },
      accounts,
      encoder: { current: () => ({ settings: defaultEncoderSettings('STANDARD', canvas), canvas }) },
    });
    return { goLive, calls };
  }

  it('refuses with PREFLIGHT_FAILED, every failing check and its fix, before asking for the program', async () => {
    const { goLive, calls } = service([
      { id: 'bitrate', ok: false, severity: 'error', message: '6128 kbps is above the 3500 kbps this channel takes at 1080p.', fix: 'Lower the video bitrate to 3372 kbps or less.' },
      { id: 'keyframe-interval', ok: false, severity: 'warning', message: 'A keyframe interval of 3 s adds latency.', fix: 'Set 2 s.' },
      { id: 'stream-key', ok: true, severity: 'error', message: 'A stream key is in the keychain.' },
    ]);
    const error = await goLive.start({ target: { kind: 'selected' } }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'PREFLIGHT_FAILED', action: 'Lower the video bitrate to 3372 kbps or less.' });
    expect((error as Error).message).toContain('6128 kbps is above the 3500 kbps');
    expect((error as Error).message).not.toContain('keyframe');
    expect(calls.acquired).toBe(0);
    expect(goLive.snapshot()).toMatchObject({ state: 'offline', lastError: { code: 'PREFLIGHT_FAILED' } });
    await goLive.dispose();
  });

  it('an ingest out of reach is INGEST_UNREACHABLE, naming it', async () => {
    const { goLive, calls } = service([{ id: 'ingest', ok: false, severity: 'error', message: 'The ingest rtmp://127.0.0.1:9/app could not be reached: connection refused.', fix: 'Check the network.' }]);
    await expect(goLive.start({ target: { kind: 'selected' } })).rejects.toMatchObject({ code: 'INGEST_UNREACHABLE', message: expect.stringContaining('127.0.0.1:9') });
    expect(calls.acquired).toBe(0);
    await goLive.dispose();
  });
});
