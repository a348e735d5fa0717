/**
 * Low-latency HLS playback in Debian's Chromium with hls.js, from a page on another origin:
 * video time advances, a timed-metadata payload arrives as a cue with its text intact (TS and fMP4),
 * and a private channel plays with a valid token and is refused with an expired one.
 *
 * Media: a real ffmpeg encodes a test pattern in real time to FLV on a pipe; its tags feed the
 * packager, which the playback service serves over a real HTTP server on 127.0.0.1.
 */
import * as crypto from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { signPlaybackToken } from '../../src-main/channel/playback/playback-token';
import { startHarness, type Harness } from '../integration/playback-harness';
import { startViewerOrigin, type ViewerOrigin } from './playback-viewer-page';

let harness: Harness;
let viewer: ViewerOrigin;

test.beforeEach(async () => {
  harness = await startHarness();
  viewer = await startViewerOrigin();
});

test.afterEach(async () => {
  await harness.dispose();
  await viewer.dispose();
});

interface ViewerState {
  cues: Array<{ text: string; startTime: number }>;
  errors: Array<{ details: string; fatal: boolean; code?: number }>;
  fatal: { details: string; code?: number } | null;
  metadataSamples: number;
}

const viewerState = (page: Page) => page.evaluate(() => (window as unknown as { viewer: ViewerState }).viewer);
const currentTime = (page: Page) => page.evaluate(() => (document.getElementById('video') as HTMLVideoElement).currentTime);

async function expectVideoAdvancing(page: Page): Promise<void> {
  await expect.poll(() => currentTime(page), { timeout: 15_000 }).toBeGreaterThan(0.5);
  const before = await currentTime(page);
  await expect.poll(() => currentTime(page), { timeout: 5_000 }).toBeGreaterThan(before + 1);
}

for (const containerFormat of ['TS', 'FRAGMENTED_MP4'] as const) {
  test(`hls.js low-latency plays a ${containerFormat} channel from another origin and shows a metadata cue`, async ({ page }) => {
    const channel = harness.directory.addChannel(containerFormat === 'TS' ? 'tsChannel0001' : 'mp4Channel001', { containerFormat });
    const push = harness.push(channel, { seconds: 20 });
    await expect.poll(() => push.stream.timeline.latest() !== undefined, { timeout: 10_000 }).toBe(true);

    await page.goto(viewer.pageUrl(channel.playbackUrl));
    await expectVideoAdvancing(page);

    const payload = JSON.stringify({ question: '¿Listos? 🎬', id: crypto.randomUUID(), options: ['a', 'b'] });
    push.stream.insertMetadata(payload);
    await expect.poll(async () => (await viewerState(page)).cues.map((c) => c.text), { timeout: 10_000 }).toContain(payload);

    const state = await viewerState(page);
    expect(state.fatal).toBeNull();
    expect(state.metadataSamples).toBeGreaterThan(0);
    expect(harness.service.viewerCount(channel.arn)).toBe(1);
    await push.stop();
  });
}

test('a private channel plays with a valid token and is refused with an expired one', async ({ page, browser }) => {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  harness.directory.keys.push({ arn: 'arn:aws:ivs:us-west-2:000000000000:playback-key/e2eKey000001', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const channel = harness.directory.addChannel('privChannel01', { authorized: true });
  const push = harness.push(channel, { seconds: 20 });
  await expect.poll(() => push.stream.timeline.latest() !== undefined, { timeout: 10_000 }).toBe(true);

  const nowSec = Math.floor(Date.now() / 1000);
  const valid = signPlaybackToken({ 'aws:channel-arn': channel.arn, 'aws:access-control-allow-origin': viewer.origin, exp: nowSec + 300 }, privatePem);
  await page.goto(viewer.pageUrl(`${channel.playbackUrl}?token=${valid}`));
  await expectVideoAdvancing(page);
  expect((await viewerState(page)).fatal).toBeNull();

  const expired = signPlaybackToken({ 'aws:channel-arn': channel.arn, exp: nowSec - 60 }, privatePem);
  const refused = await browser.newPage();
  await refused.goto(viewer.pageUrl(`${channel.playbackUrl}?token=${expired}`));
  await expect.poll(async () => (await viewerState(refused)).fatal, { timeout: 10_000 }).toEqual({ details: 'manifestLoadError', code: 403 });
  expect(await currentTime(refused)).toBe(0);
  await refused.close();
  await push.stop();
});
