/**
 * The Channel pane in Chromium against `ivs-studio serve` with its embedded local channel, the real
 * keychain (the D-Bus session of test/run-all.sh) and a real broadcast: test the connection, create a
 * channel, select it (its key goes to the keychain, the page sees it masked until Reveal), rotate the
 * key, see IVS's status turn LIVE with the ingest configuration IVS received, Stop Stream, delete.
 */
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from '@playwright/test';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { StudioApp } from '../support/studio-app';
import { checkEngine } from '../support/engine-checkbox';

const run = promisify(execFile);
const keychain = (account: string) => run('secret-tool', ['lookup', 'service', 'IVS Studio', 'account', account]).then((r) => r.stdout);

let app: StudioApp;
let pusher: FfmpegPusher | undefined;

test.beforeEach(async ({ browser }) => {
  test.skip(!process.env.DBUS_SESSION_BUS_ADDRESS, 'needs the Secret Service that test/run-all.sh starts');
  app = await new StudioApp(browser).start();
});

test.afterEach(async () => {
  pusher?.kill();
  await pusher?.exited;
  pusher = undefined;
  await app?.close();
});

test('local channel: create, select, reveal, rotate, go LIVE with IVS status, stop, delete', async () => {
  // A whole show on two shared cores: connection test, five IVS round trips and a live broadcast.
  test.setTimeout(180_000);
  const { page } = app;
  const pane = app.pane('Channel');
  await expect(pane.getByTestId('account-picker')).toHaveValue('local');

  // Test connection: every step passes.
  await pane.getByTestId('test-connection').click();
  await expect(pane.getByTestId('connection-test')).toHaveAttribute('data-ok', 'true');
  await expect(pane.getByTestId('connection-test')).toContainText('Permissions: ivs:ListChannels allowed');

  // Create a channel with type, latency, tags.
  await pane.getByRole('button', { name: 'New channel' }).click();
  const form = pane.getByRole('form', { name: 'New channel' });
  await form.getByLabel('Name').fill('e2e-show');
  await form.getByLabel('Type').selectOption('BASIC');
  await form.getByLabel('Tags').fill('show=e2e');
  await form.getByRole('button', { name: 'Create channel' }).click();
  const row = pane.getByTestId('channel-table').locator('tr', { hasText: 'e2e-show' });
  await expect(row).toContainText('BASIC');
  await expect(row).toContainText('show=e2e');
  const arn = (await row.getAttribute('data-channel-arn'))!;
  expect(arn).toMatch(/^arn:aws:ivs:us-west-2:000000000000:channel\//);

  // Select: ingest + key fetched into the keychain; the page shows the key masked.
  await row.getByRole('button', { name: 'Select' }).click();
  const selected = pane.getByTestId('selected-target');
  await expect(selected).toHaveAttribute('data-channel-arn', arn);
  const key = await keychain(arn);
  expect(key.length).toBeGreaterThan(10);
  const shownKey = selected.getByTestId('stream-key');
  await expect(shownKey).toHaveText(`••••••••${key.slice(-4)}`);
  expect(await page.content()).not.toContain(key);

  // Reveal on request, hide again.
  await selected.getByRole('button', { name: 'Reveal' }).click();
  await expect(shownKey).toHaveText(key);
  await selected.getByRole('button', { name: 'Hide' }).click();
  await expect(shownKey).toHaveText(`••••••••${key.slice(-4)}`);

  // Rotate: IVS deletes and recreates the key, the keychain follows.
  await selected.getByRole('button', { name: 'Rotate key…' }).click();
  await selected.getByRole('button', { name: 'Rotate now' }).click();
  await expect(shownKey).not.toHaveText(`••••••••${key.slice(-4)}`);
  const rotated = await keychain(arn);
  expect(rotated).not.toBe(key);
  await expect(shownKey).toHaveText(`••••••••${rotated.slice(-4)}`);

  // Go live (a broadcaster with the rotated key) and watch IVS's view turn LIVE.
  const ingestUrl = (await selected.getByTestId('ingest-url').textContent())!;
  expect(ingestUrl).toMatch(/^rtmps:\/\/127\.0\.0\.1:\d+\/app\/$/);
  pusher = pushWithFfmpeg(`${ingestUrl}${rotated}`, { seconds: 120, size: '320x180', rate: 30, bitrate: '400k', caFile: path.join(app.dataDir, 'local-channel', 'tls', 'ca.pem') });
  const status = selected.getByTestId('ivs-status');
  await expect(status).toHaveAttribute('data-state', 'LIVE', { timeout: 30_000 });
  await expect(status.getByTestId('ingest-configuration')).toContainText(/avc1\.\w+ 320×180 @ 30 fps/, { timeout: 30_000 });
  await expect(status.getByTestId('ingest-configuration')).toContainText('mp4a.40.2 48 kHz, 2 ch');

  // Deleting a live channel is refused, with IVS's reason.
  await row.getByRole('button', { name: 'Delete…' }).click();
  await row.getByRole('button', { name: 'Delete e2e-show' }).click();
  const refusal = page.getByRole('region', { name: 'Notices' }).getByRole('alert').last();
  await expect(refusal).toContainText('is live, and IVS does not delete a channel while it is streaming');
  // The notice floats over the panes (bottom right) and may cover the buttons below: dismiss it, as a user would.
  await refusal.getByRole('button', { name: /^Dismiss:/ }).click();
  await expect(row).toBeVisible();

  // Stop Stream (with its confirmation): IVS disconnects the broadcaster and reports offline.
  await status.getByRole('button', { name: 'Stop stream (IVS)…' }).click();
  await status.getByRole('button', { name: 'Stop the stream' }).click();
  await expect(status).toHaveAttribute('data-state', 'OFFLINE', { timeout: 30_000 });
  expect(await Promise.race([pusher.exited, new Promise((resolve) => setTimeout(() => resolve('running'), 15_000))])).not.toBe('running');
  pusher = undefined;

  // Now it can go.
  await row.getByRole('button', { name: 'Delete…' }).click();
  await row.getByRole('button', { name: 'Delete e2e-show' }).click();
  await expect(pane.getByTestId('channel-table').locator('tr', { hasText: 'e2e-show' })).toHaveCount(0);
  await expect(selected).toContainText('No channel selected');
  await expect(keychain(arn)).rejects.toThrow();
});

test('pick the local channel, go live from Go Live, IVS status turns LIVE with the ingest configuration, stop', async () => {
  // The studio's own program (the default test-pattern scene, 720p) encoded and published by the engine.
  test.setTimeout(180_000);
  const { page } = app;
  const pane = app.pane('Channel');
  // Pick the local channel's default channel: its key goes to the keychain, IVS status follows it.
  const row = pane.getByTestId('channel-table').locator('tr', { hasText: 'default' });
  await row.getByRole('button', { name: 'Select' }).click();
  const selected = pane.getByTestId('selected-target');
  const arn = (await row.getAttribute('data-channel-arn'))!;
  await expect(selected).toHaveAttribute('data-channel-arn', arn);
  const key = await keychain(arn);
  const status = selected.getByTestId('ivs-status');
  await expect(status).toHaveAttribute('data-state', 'OFFLINE', { timeout: 30_000 });

  // Go live to the local channel from the Go Live pane.
  const goLive = app.pane('Go Live');
  await checkEngine(goLive.getByTestId('target-local'));
  await goLive.getByTestId('go-live').click();
  await expect(goLive.getByTestId('stream-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });

  // IVS's own view: LIVE, with what it actually receives from the studio's encoder.
  await expect(status).toHaveAttribute('data-state', 'LIVE', { timeout: 30_000 });
  await expect(status.getByTestId('ingest-configuration')).toContainText(/avc1\.\w+ 1280×720 @ 30 fps/, { timeout: 30_000 });
  await expect(status.getByTestId('ingest-configuration')).toContainText('mp4a.40.2 48 kHz, 2 ch');
  await expect(status).toContainText('Health healthy');
  // The key never reached the page.
  expect(await page.content()).not.toContain(key);

  await goLive.getByTestId('stop-stream').click();
  await expect(goLive.getByTestId('stream-state')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
  await expect(status).toHaveAttribute('data-state', 'OFFLINE', { timeout: 30_000 });
  await status.getByText(/Stream events/).click();
  await expect(status.getByTestId('stream-events')).toContainText('Session Created');
});
