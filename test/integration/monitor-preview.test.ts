/**
 * The preview's source on the embedded local channel, with the real control plane, ingest and LL-HLS:
 * the monitor picks the local channel's default channel, and for a private one signs its own viewer
 * token (an ES384 key pair it imports into the channel as `ivs-studio-preview`, replacing an older one):
 * the playback URL it hands the preview is served (200), the bare URL refused (403). The private key
 * stays out of the URL and the logs. Also: monitor:set-preview-url refuses what is not http(s).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateChannelCommand, GetStreamCommand, GetStreamKeyCommand, IvsClient, ListChannelsCommand, ListPlaybackKeyPairsCommand, ListStreamKeysCommand, UpdateChannelCommand } from '@aws-sdk/client-ivs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import type { AccountsState, ChannelLiveStatus } from '../../src-main/contract/domains/accounts';
import type { MonitorState } from '../../src-main/contract/domains/monitor';
import type { OutputStats, StreamSnapshot } from '../../src-main/contract/domains/stream';
import { Emitter, waitForEvent } from '../../src-main/core/emitter';
import { configureLogging } from '../../src-main/core/logger';
import type { LocalChannelAccess } from '../../src-main/golive/go-live';
import { MonitorService } from '../../src-main/monitor/monitor-service';
import { PREVIEW_KEY_PAIR_NAME } from '../../src-main/monitor/preview-token';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';

let dir: string;
let channel: LocalChannel;
let live: LocalChannelLive;
let access: LocalChannelAccess;
let ivs: IvsClient;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-preview-'));
  configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
  channel = await startLocalChannel({ dataDir: dir, port: 0 });
  live = await startLiveRuntime(channel, { dataDir: dir });
  access = { apiEndpoint: channel.apiEndpoint, region: channel.region, credentials: channel.credentials, ingest: { rtmp: live.rtmpUrl, rtmps: live.rtmpsUrl }, caPem: live.caPem };
  ivs = new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: channel.credentials });
});

afterAll(async () => {
  ivs?.destroy();
  await live?.dispose();
  await channel?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function keyOf(channelArn: string): Promise<string> {
  const arn = (await ivs.send(new ListStreamKeysCommand({ channelArn }))).streamKeys![0]!.arn!;
  return (await ivs.send(new GetStreamKeyCommand({ arn }))).streamKey!.value!;
}

/** Stand-ins for go-live and accounts: offline, nothing selected (the monitor's own logic is under test). */
function views() {
  const stream: StreamSnapshot = { state: 'offline', stateSince: new Date().toISOString() };
  return {
    goLive: { snapshot: () => stream, onStateChange: new Emitter<StreamSnapshot>().event, onStats: new Emitter<OutputStats>().event },
    accounts: {
      getState: (): AccountsState => ({ accounts: [], keychain: { state: 'unknown' }, regions: [] }),
      onDidChangeState: new Emitter<AccountsState>().event,
      getStatus: () => null,
      onDidChangeStatus: new Emitter<ChannelLiveStatus>().event,
    },
  };
}

describe('preview source on the local channel', () => {
  it('a private default channel gets a viewer token the channel accepts', async () => {
    // The local channel's default channel (made at first start, or by us), switched to private.
    const existing = (await ivs.send(new ListChannelsCommand({}))).channels?.find((c) => c.name === 'default');
    const created = existing
      ? { channel: (await ivs.send(new UpdateChannelCommand({ arn: existing.arn!, authorized: true }))).channel!, streamKey: { value: (await keyOf(existing.arn!)) } }
      : await ivs.send(new CreateChannelCommand({ name: 'default', authorized: true }));
    let pusher: FfmpegPusher | undefined;
    const monitor = new MonitorService({ dataDir: dir, ...views(), localChannel: () => access, statsIntervalMs: 60_000 });
    try {
      pusher = pushWithFfmpeg(live.rtmpsUrl + created.streamKey!.value!, { seconds: 30, size: '320x180', rate: 30, bitrate: '300k', caFile: live.caFile });
      await expect.poll(() => ivs.send(new GetStreamCommand({ channelArn: created.channel!.arn! })).then((r) => r.stream?.state, (e: Error) => e.name), { timeout: 20_000 }).toBe('LIVE');
      const changed = waitForEvent(monitor.onStateChange, (s: MonitorState) => !!s.preview, 20_000);
      monitor.start();
      const { preview } = await changed;
      expect(preview).toMatchObject({ kind: 'local-channel', player: 'hls.js', authorized: true, channelArn: created.channel!.arn });
      expect(preview!.problem).toBeUndefined();
      expect(Date.parse(preview!.tokenExpiresAt!)).toBeGreaterThan(Date.now() + 3600_000);
      const url = new URL(preview!.playbackUrl);
      expect(url.searchParams.get('token')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(`${url.origin}${url.pathname}`).toBe(created.channel!.playbackUrl);

      const served = await fetch(preview!.playbackUrl);
      expect(served.status).toBe(200);
      expect(await served.text()).toContain('#EXTM3U');
      expect((await fetch(created.channel!.playbackUrl!)).status).toBe(403);
      const pairs = (await ivs.send(new ListPlaybackKeyPairsCommand({}))).keyPairs ?? [];
      expect(pairs.filter((p) => p.name === PREVIEW_KEY_PAIR_NAME)).toHaveLength(1);
      // Nothing of the private key in the logs.
      const logs = fs.readdirSync(path.join(dir, 'logs')).map((f) => fs.readFileSync(path.join(dir, 'logs', f), 'utf8')).join('\n');
      expect(logs).not.toContain('PRIVATE KEY');

      expect(() => monitor.setPreviewUrl('rtmp://127.0.0.1/app')).toThrow(/http\(s\)/);
      expect(() => monitor.setPreviewUrl('not a url')).toThrow(/not a URL/);
    } finally {
      pusher?.kill('SIGKILL');
      await monitor.dispose();
    }
    // A second studio run replaces the key pair it imported rather than piling them up.
    const again = new MonitorService({ dataDir: dir, ...views(), localChannel: () => access, statsIntervalMs: 60_000 });
    try {
      await (again as unknown as { tokens: { sign(u: string, a: string): Promise<unknown> } }).tokens.sign(created.channel!.playbackUrl!, created.channel!.arn!);
      const pairs = (await ivs.send(new ListPlaybackKeyPairsCommand({}))).keyPairs ?? [];
      expect(pairs.filter((p) => p.name === PREVIEW_KEY_PAIR_NAME)).toHaveLength(1);
    } finally {
      await again.dispose();
    }
  }, 60_000);
});
