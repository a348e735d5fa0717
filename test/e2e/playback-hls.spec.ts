/**
 * Issue 4 playback acceptance, end to end: a real ffmpeg pushes over RTMPS (certificate verified) into
 * the local channel; the viewer is a page on ANOTHER origin playing the channel's playbackUrl with
 * hls.js (lowLatencyMode) in Debian's Chromium. Checked: video time advances, a PutMetadata payload
 * sent with the real @aws-sdk/client-ivs arrives as a metadata cue with its text intact (TS and
 * FRAGMENTED_MP4 channels), and a private channel plays with a valid token and is refused with an
 * expired one.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateChannelCommand, GetStreamCommand, ImportPlaybackKeyPairCommand, IvsClient, PutMetadataCommand } from '@aws-sdk/client-ivs';
import { expect, test, type Page } from '@playwright/test';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { signPlaybackToken } from '../../src-main/channel/playback/playback-token';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { startViewerOrigin, type ViewerOrigin } from './playback-viewer-page';

test.describe.configure({ timeout: 120_000 }); // the shared machine can be very busy

let dataDir: string;
let local: LocalChannel;
let live: LocalChannelLive;
let ivs: IvsClient;
let viewer: ViewerOrigin;
const pushers: FfmpegPusher[] = [];

test.beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'playback-e2e-'));
  local = await startLocalChannel({ dataDir, port: 0 });
  live = await startLiveRuntime(local, { dataDir });
  ivs = new IvsClient({ region: local.region, endpoint: local.apiEndpoint, credentials: local.credentials });
  viewer = await startViewerOrigin();
});

test.afterAll(async () => {
  for (const pusher of pushers) pusher.kill('SIGKILL');
  await live?.dispose();
  await local?.dispose();
  ivs?.destroy();
  await viewer?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

interface ViewerState {
  cues: Array<{ text: string; startTime: number }>;
  errors: Array<{ details: string; fatal: boolean; code?: number }>;
  fatal: { details: string; code?: number } | null;
  metadataSamples: number;
}

const viewerState = (page: Page) => page.evaluate(() => (window as unknown as { viewer: ViewerState }).viewer);
const currentTime = (page: Page) => page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);

/** Playback started and keeps going (not "at real time": the shared test machine can be very busy). */
async function expectVideoAdvancing(page: Page): Promise<void> {
  await expect.poll(() => currentTime(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
  const before = await currentTime(page);
  await expect.poll(() => currentTime(page), { timeout: 20_000 }).toBeGreaterThan(before + 0.5);
}

/** Creates a channel, pushes to it over RTMPS with verification, and waits until it is playable. */
async function goLive(name: string, options: { containerFormat?: 'TS' | 'FRAGMENTED_MP4'; authorized?: boolean } = {}) {
  const created = await ivs.send(new CreateChannelCommand({ name, ...options }));
  const channel = created.channel!;
  const pusher = pushWithFfmpeg(live.rtmpsUrl + created.streamKey!.value!, { seconds: 40, rate: 30, caFile: live.caFile });
  pushers.push(pusher);
  // GetStream answers ChannelNotBroadcasting until the publish is accepted.
  const state = () => ivs.send(new GetStreamCommand({ channelArn: channel.arn! })).then((r) => r.stream?.state, (error: Error) => error.name);
  await expect.poll(state, { timeout: 15_000 }).toBe('LIVE');
  return { channel, pusher };
}

for (const containerFormat of ['TS', 'FRAGMENTED_MP4'] as const) {
  test(`hls.js low-latency plays a ${containerFormat} channel from another origin and shows a PutMetadata cue`, async ({ page }) => {
    const { channel, pusher } = await goLive(`e2e-${containerFormat.toLowerCase().replace('_', '-')}`, { containerFormat });
    await page.goto(viewer.pageUrl(channel.playbackUrl!));
    await expectVideoAdvancing(page);

    const payload = JSON.stringify({ question: '¿Listos? 🎬', id: crypto.randomUUID(), options: ['a', 'b'] });
    await ivs.send(new PutMetadataCommand({ channelArn: channel.arn!, metadata: payload }));
    await expect.poll(async () => (await viewerState(page)).cues.map((c) => c.text), { timeout: 30_000 }).toContain(payload);

    const state = await viewerState(page);
    expect(state.fatal).toBeNull();
    expect(state.metadataSamples).toBeGreaterThan(0);
    await expect.poll(async () => (await ivs.send(new GetStreamCommand({ channelArn: channel.arn! }))).stream?.viewerCount, { timeout: 5_000 }).toBe(1);
    pusher.kill('SIGKILL');
  });
}

test('a private channel plays with a valid token and is refused with an expired one', async ({ page, browser }) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  await ivs.send(new ImportPlaybackKeyPairCommand({ name: 'e2e-viewers', publicKeyMaterial: publicKey.export({ type: 'spki', format: 'pem' }).toString() }));
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const { channel, pusher } = await goLive('e2e-private', { authorized: true });

  const nowSec = Math.floor(Date.now() / 1000);
  const valid = signPlaybackToken({ 'aws:channel-arn': channel.arn!, 'aws:access-control-allow-origin': viewer.origin, exp: nowSec + 300 }, privatePem);
  await page.goto(viewer.pageUrl(`${channel.playbackUrl}?token=${valid}`));
  await expectVideoAdvancing(page);
  expect((await viewerState(page)).fatal).toBeNull();

  const expired = signPlaybackToken({ 'aws:channel-arn': channel.arn!, exp: nowSec - 60 }, privatePem);
  const refused = await browser.newPage();
  await refused.goto(viewer.pageUrl(`${channel.playbackUrl}?token=${expired}`));
  await expect.poll(async () => (await viewerState(refused)).fatal, { timeout: 10_000 }).toEqual({ details: 'manifestLoadError', code: 403 });
  expect(await currentTime(refused)).toBe(0);
  await refused.close();
  pusher.kill('SIGKILL');
});
