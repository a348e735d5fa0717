import { describe, expect, it } from 'vitest';
import type { AccountsState, ChannelDetails } from '../contract/domains/accounts';
import type { StreamSnapshot } from '../contract/domains/stream';
import { choosePreview, playerFor } from './preview-source';

const localArn = 'arn:aws:ivs:us-west-2:000000000000:channel/loc1';
const awsArn = 'arn:aws:ivs:us-east-1:123456789012:channel/aws1';
const channel = (arn: string, playbackUrl: string, patch: Partial<ChannelDetails> = {}): ChannelDetails => ({
  arn,
  name: 'show',
  type: 'STANDARD',
  latencyMode: 'LOW',
  authorized: false,
  insecureIngest: false,
  recordingConfigurationArn: '',
  tags: {},
  ingestEndpoint: 'x',
  playbackUrl,
  ...patch,
});
const offline: StreamSnapshot = { state: 'offline', stateSince: '2026-11-29T00:00:00Z' };
const accounts = (selected?: AccountsState['selected']): AccountsState => ({ accounts: [], keychain: { state: 'available' }, regions: [], ...(selected ? { selected } : {}) });
const empty = { byArn: new Map<string, ChannelDetails>() };

describe('preview source', () => {
  it('IVS playback goes to the IVS player, everything else to hls.js', () => {
    expect(playerFor('https://abc.us-west-2.playback.live-video.net/api/video/v1/x.m3u8')).toBe('ivs-player');
    expect(playerFor('http://127.0.0.1:9000/api/video/v1/x.m3u8')).toBe('hls.js');
    expect(playerFor('nonsense')).toBe('hls.js');
  });

  it('a custom URL wins', () => {
    expect(choosePreview({ customPlaybackUrl: 'http://127.0.0.1:1/x.m3u8?token=abc', stream: offline, accounts: accounts(), local: empty }).source).toMatchObject({ kind: 'custom', player: 'hls.js', authorized: true });
  });

  it('offline with nothing selected: the local default channel (fetched first)', () => {
    expect(choosePreview({ stream: offline, accounts: accounts(), local: empty })).toEqual({ source: null, needLocal: 'default' });
    const def = channel(localArn, 'http://127.0.0.1:5/p.m3u8');
    expect(choosePreview({ stream: offline, accounts: accounts(), local: { byArn: new Map(), defaultChannel: def } }).source).toMatchObject({ kind: 'local-channel', player: 'hls.js', playbackUrl: 'http://127.0.0.1:5/p.m3u8' });
  });

  it('streaming to a local channel that is not selected: its playback URL, fetched by ARN', () => {
    const stream: StreamSnapshot = { state: 'live', stateSince: 'x', target: { kind: 'local-channel', label: 'Local', ingestUrl: 'rtmps://x/app', channelArn: localArn, streamKeyMasked: '••' } };
    const selected = { accountId: 'aws', accountKind: 'aws' as const, channelArn: awsArn, channel: channel(awsArn, 'https://a.live-video.net/x.m3u8'), ingestUrl: 'rtmps://y/app/' };
    expect(choosePreview({ stream, accounts: accounts(selected), local: empty })).toEqual({ source: null, needLocal: localArn });
    const byArn = new Map([[localArn, channel(localArn, 'http://127.0.0.1:7/l.m3u8')]]);
    expect(choosePreview({ stream, accounts: accounts(selected), local: { byArn } }).source).toMatchObject({ kind: 'local-channel', playbackUrl: 'http://127.0.0.1:7/l.m3u8' });
  });

  it('the selected IVS channel plays in the IVS player; a private one names the problem', () => {
    const selected = { accountId: 'aws', accountKind: 'aws' as const, channelArn: awsArn, channel: channel(awsArn, 'https://a.live-video.net/x.m3u8', { authorized: true }), ingestUrl: 'rtmps://y/app/' };
    const source = choosePreview({ stream: offline, accounts: accounts(selected), local: empty }).source!;
    expect(source).toMatchObject({ kind: 'ivs', player: 'ivs-player', authorized: true });
    expect(source.problem).toMatch(/private/);
  });

  it('streaming to a custom RTMP target without a channel: nothing to play unless a URL is given', () => {
    const stream: StreamSnapshot = { state: 'live', stateSince: 'x', target: { kind: 'custom', label: 'host', ingestUrl: 'rtmp://h/app', streamKeyMasked: '••' } };
    expect(choosePreview({ stream, accounts: accounts(), local: empty })).toEqual({ source: null });
  });
});
