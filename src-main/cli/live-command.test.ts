import { describe, expect, it } from 'vitest';
import { parseLiveFlags } from './live-command';

describe('parseLiveFlags', () => {
  it.each([
    [{ 'test-pattern': true, scene: 'x.json' }, /either --scene FILE or --test-pattern/],
    [{ duration: '3' }, /--scene FILE or --test-pattern/],
    [{ 'test-pattern': true, ingest: 'rtmps://h/app' }, /--ingest needs --stream-key-stdin/],
    [{ 'test-pattern': true, 'stream-key-stdin': true }, /--stream-key-stdin goes with --ingest/],
    [{ 'test-pattern': true, 'ca-file': 'ca.pem' }, /--ca-file goes with --ingest/],
    [{ 'test-pattern': true, 'channel-arn': 'arn:aws:ivs:us-west-2:123456789012:channel/abc', ingest: 'rtmps://h/app', 'stream-key-stdin': true }, /either --channel-arn or --ingest/],
    [{ 'test-pattern': true, 'channel-arn': 'not-an-arn' }, /is not an IVS channel ARN/],
    [{ 'test-pattern': true, duration: '-1' }, /--duration must be a number of seconds above 0/],
    [{ 'test-pattern': true, duration: '0' }, /above 0/],
    [{ 'test-pattern': true, duration: '5s' }, /not "5s"/],
  ])('refuses %j', (flags, reason) => {
    expect(() => parseLiveFlags(flags, '/work')).toThrow(reason);
  });

  it.each([
    [{ 'test-pattern': true }, { scene: { testPattern: true }, target: { kind: 'local-channel' } }],
    [
      { scene: 's.json', 'channel-arn': 'arn:aws:ivs:us-west-2:123456789012:channel/abcDEF12', 'data-dir': 'd', duration: '2.5', record: 'r.mkv' },
      { scene: { file: '/work/s.json' }, target: { kind: 'ivs-channel', channelArn: 'arn:aws:ivs:us-west-2:123456789012:channel/abcDEF12' }, dataDir: '/work/d', durationMs: 2500, recordPath: '/work/r.mkv' },
    ],
    [
      { 'test-pattern': true, ingest: 'rtmps://ingest.example:443/app/', 'stream-key-stdin': true, 'ca-file': '/etc/ca.pem' },
      { target: { kind: 'custom', ingestUrl: 'rtmps://ingest.example:443/app/', caFile: '/etc/ca.pem' } },
    ],
  ])('reads %j', (flags, expected) => {
    expect(parseLiveFlags(flags, '/work')).toMatchObject(expected);
  });
});
