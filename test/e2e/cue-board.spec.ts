/**
 * The cue board in Chromium against `ivs-studio serve` and its embedded local channel, live.
 *
 * The program pipeline does not feed go-live yet, so the broadcast is a real ffmpeg test pattern
 * pushed over RTMPS into the local channel's ingest with the default channel's key (fetched through
 * the studio's own API, as the Channel pane does). The loop is closed by a real player: the studio's
 * viewer example page (hls.js, low-latency HLS) plays the channel and reports each cue it shows.
 *
 * Covers: firing while offline explains why; a payload of 1,025 bytes cannot be saved; clicking a
 * cue shows accepted, then seen in the stream with its latency; a hotkey fires a cue; a remote board
 * (a second browser context, from the machine's LAN address with the remote link and its token, so
 * with cue-board rights only) fires a cue and sees the board's states.
 */
import * as path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import WebSocket from 'ws';
import { chromiumArgs } from '../../playwright.config';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { StudioApp } from '../support/studio-app';
import { WsTestClient } from '../support/ws-test-client';
import { checkEngine } from '../support/engine-checkbox';

// Three pages play or fire at once (studio, viewer, tablet): none may be throttled as a background
// tab, or the viewer's playback (and so "seen") would stall while the studio page has the focus.
test.use({
  launchOptions: {
    executablePath: process.env.STUDIO_CHROMIUM ?? '/usr/bin/chromium',
    args: [...chromiumArgs, '--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows', '--disable-background-media-suspend'],
  },
});

/** Seen = a real player on a shared, often overloaded machine showed it: allow for its stalls. */
const SEEN = { timeout: 45_000 };

let app: StudioApp;
let api: WsTestClient;
let pusher: FfmpegPusher | undefined;

/** The studio's API as a second client (full rights from loopback), for setup the UI does elsewhere. */
async function connectApi(url: string): Promise<WsTestClient> {
  const { port } = new URL(url);
  const token = new URL(url).hash.replace(/^#token=/, '');
  const client = new WsTestClient(new WebSocket(`ws://127.0.0.1:${port}/api?token=${token}`), 20_000);
  await client.opened;
  await client.next('welcome');
  return client;
}

async function ok<T>(reply: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`API call failed: ${JSON.stringify(r.error)}`);
  return r.value as T;
}

/** Starts a real broadcast into the local channel's default channel. */
async function goLiveWithFfmpeg(): Promise<void> {
  await ok(api.request('accounts:allow-session-secrets'));
  const channels = await ok<{ arn: string; name: string }[]>(api.request('channels:list', 'local'));
  const channel = channels.find((c) => c.name === 'default')!;
  const selected = await ok<{ ingestUrl: string }>(api.request('channels:select', 'local', channel.arn));
  const key = await ok<string>(api.request('channels:reveal-key', 'local', channel.arn));
  pusher = pushWithFfmpeg(`${selected.ingestUrl}${key}`, { seconds: 290, size: '320x180', rate: 30, bitrate: '300k', caFile: path.join(app.dataDir, 'local-channel', 'tls', 'ca.pem') });
}

function cueButton(page: Page, cueId: string) {
  return page.getByTestId(`cue-button-${cueId}`);
}

test.beforeEach(async ({ browser }) => {
  app = await new StudioApp(browser).start();
  api = await connectApi(app.url);
});

test.afterEach(async () => {
  pusher?.kill();
  await pusher?.exited;
  pusher = undefined;
  await api?.close();
  await app?.close();
});

test('firing while offline explains why; disarmed fires nothing', async () => {
  const pane = app.pane('Cue board');
  await expect(pane.getByTestId('cue-target')).toContainText('Local channel · default');

  await cueButton(app.page, 'poll').click();
  await expect(pane.getByTestId('cue-refusal')).toHaveText(/The cue board is disarmed: "Poll: favourite" was not sent\./);
  await expect(pane.getByTestId('cue-badge-poll')).toHaveText('not sent: disarmed');

  await checkEngine(pane.getByTestId('cue-armed'));
  await expect(pane.getByTestId('cue-armed')).toBeChecked();
  await cueButton(app.page, 'poll').click();
  const refusal = pane.getByTestId('cue-refusal');
  await expect(refusal).toHaveAttribute('data-code', 'NOT_LIVE');
  await expect(refusal).toContainText('"Poll: favourite" was not sent: Local channel · default is not live, and IVS only accepts timed metadata during a live stream.');
  await expect(refusal).toContainText('Go live first');
  await expect(pane.getByTestId('cue-badge-poll')).toHaveText('not sent: not live');
  await expect(pane.getByTestId('cue-target')).toHaveAttribute('data-live', 'offline');

  // Nothing reached the log.
  await pane.getByRole('button', { name: 'Log', exact: true }).click();
  await expect(pane.getByText('No cue fired yet.')).toBeVisible();
});

test('a payload of 1,025 bytes cannot be saved; 1,024 can', async () => {
  const pane = app.pane('Cue board');
  await pane.getByRole('button', { name: 'Edit', exact: true }).click();
  await cueButton(app.page, 'note').click();
  const text = pane.getByTestId('cue-text');
  await text.fill('x'.repeat(1025));
  await expect(pane.getByTestId('cue-payload-size')).toHaveText('1,025 / 1,024 bytes');
  await expect(pane.getByTestId('cue-payload-refusal')).toHaveText(/1,025 bytes is 1 byte over IVS’s 1,024-byte limit: this cue cannot be saved until it is 1 byte shorter\./);
  await expect(pane.getByTestId('cue-save')).toBeDisabled();

  // Multi-byte characters count as sent (UTF-8): 512 × "é" is exactly 1,024 bytes, one more is over.
  await text.fill('é'.repeat(513));
  await expect(pane.getByTestId('cue-payload-size')).toHaveText('1,026 / 1,024 bytes');
  await expect(pane.getByTestId('cue-save')).toBeDisabled();

  // The engine refuses it too, whatever a client sends.
  const state = await ok<{ boards: { id: string; pages: { cues: { id: string; template: unknown }[] }[] }[] }>(api.request('cues:get-state'));
  const board = structuredClone(state.boards[0]!);
  board.pages[0]!.cues.find((c) => c.id === 'note')!.template = { kind: 'text', text: 'x'.repeat(1025) };
  const refused = await api.request('cues:save-board', board);
  expect(refused).toMatchObject({ ok: false, error: { code: 'METADATA_TOO_LARGE' } });
  expect((refused as { error: { message: string } }).error.message).toContain('1,025 bytes, 1 byte over');

  await text.fill('x'.repeat(1024));
  await expect(pane.getByTestId('cue-payload-size')).toHaveText('1,024 / 1,024 bytes');
  await expect(pane.getByTestId('cue-save')).toBeEnabled();
  await pane.getByTestId('cue-save').click();
  await expect(pane.getByText('Saved.')).toBeVisible();
});

test('live: a click shows accepted then seen in the stream with its latency; a hotkey fires; a remote board fires and sees the states', async ({ browser }) => {
  // A live broadcast, a player and a second device on two shared cores.
  test.setTimeout(300_000);
  const pane = app.pane('Cue board');
  await checkEngine(pane.getByTestId('cue-armed'));
  await goLiveWithFfmpeg();
  await expect(pane.getByTestId('cue-target')).toHaveAttribute('data-live', 'live', { timeout: 40_000 });

  // The viewer example page, opened from the pane's link, plays the channel and reports what it shows.
  const href = (await pane.getByTestId('cue-viewer-link').getAttribute('href'))!;
  expect(href).toMatch(/^viewer\.html\?playbackUrl=http/);
  const viewer = await browser.newPage();
  await viewer.goto(app.hookedUrl(`${new URL(href, app.url.split('#')[0]).toString()}${app.url.slice(app.url.indexOf('#'))}`));
  await expect(viewer.getByTestId('viewer-link')).toHaveAttribute('data-state', 'reporting');
  await expect(viewer.getByTestId('viewer-status')).toHaveAttribute('data-state', 'playing', { timeout: 40_000 });

  // Click: queued → accepted → seen in the stream (+x.x s).
  await cueButton(app.page, 'poll').click();
  const badge = pane.getByTestId('cue-badge-poll');
  await expect(badge).toHaveAttribute('data-status', /queued|accepted|seen/);
  await app.waitForEvent('cues:fire-updated', { where: { cueId: 'poll', status: 'accepted' }, timeoutMs: 10_000 });
  await expect(badge).toHaveText(/^seen \+\d+\.\d s$/, SEEN);
  // The viewer rendered the poll overlay from the stream.
  await expect(viewer.getByRole('region', { name: 'Poll' })).toContainText('Which one do you like best?');
  await expect(viewer.getByTestId('viewer-cues')).toContainText(/delivered \+\d+\.\d s after the press/);

  // A hotkey (7: the free-text cue) fires while the window has focus.
  await app.page.bringToFront();
  await app.page.locator('body').click({ position: { x: 5, y: 5 } });
  await app.page.keyboard.press('7');
  await expect(pane.getByTestId('cue-badge-note')).toHaveText(/^seen \+\d+\.\d s$/, SEEN);

  // Remote access on; a second device opens the remote link (LAN address, its token) with cue rights.
  await ok(api.request('settings:update', { remoteAccess: true }));
  let remoteLinks: string[] = [];
  await expect
    .poll(async () => (remoteLinks = (await ok<{ urls: string[] }>(api.request('app:get-remote-access'))).urls).length, { timeout: 10_000 })
    .toBeGreaterThan(0);
  const remoteContext = await browser.newContext();
  try {
    const tablet = await remoteContext.newPage();
    await tablet.goto(app.hookedUrl(remoteLinks[0]!));
    await app.waitForEvent('ui:ready', {}, tablet);
    await expect(tablet.locator('.studio-header')).toContainText('Remote producer');
    await expect(tablet.getByRole('region', { name: 'Channel' })).toHaveCount(0);
    const remotePane = tablet.getByRole('region', { name: 'Cue board', exact: true });
    // It sees the states the operator's fires reached, and has no editing.
    await expect(remotePane.getByTestId('cue-badge-poll')).toHaveText(/^seen \+\d+\.\d s$/);
    await expect(remotePane.getByRole('button', { name: 'Edit', exact: true })).toHaveCount(0);
    await remotePane.getByTestId('cue-button-chapter').click();
    await expect(remotePane.getByTestId('cue-badge-chapter')).toHaveText(/^seen \+\d+\.\d s$/, SEEN);
    // …and the operator's window shows the same state.
    await expect(pane.getByTestId('cue-badge-chapter')).toHaveText(/^seen \+\d+\.\d s$/);
    await expect(viewer.getByRole('region', { name: 'Chapter' })).toContainText('Chapter 1');
  } finally {
    await remoteContext.close();
  }

  // The log has all three, with how each was fired and its delivery.
  await pane.getByRole('button', { name: 'Log', exact: true }).click();
  const rows = pane.getByTestId('cue-log').locator('tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(0)).toContainText('Chapter mark');
  await expect(rows.nth(0)).toContainText('remote');
  await expect(rows.nth(1)).toContainText('hotkey');
  await expect(rows.nth(2)).toContainText('button');
  await viewer.close();
});
