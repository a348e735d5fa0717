/**
 * The Go Live pane in Chromium against `ivs-studio serve`: one button with its state, the target, an
 * optional recording, the output's figures every second; while the ingest is gone, the reconnect
 * state with its attempts and "Reconnect now"; a refusal shown where the user acts on it. The stream
 * key never reaches the page.
 */
import { execFile, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateChannelCommand, IvsClient } from '@aws-sdk/client-ivs';
import { expect, test } from '@playwright/test';
import { findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { fixedPorts, startLocalChannelProcess } from '../support/local-channel-process';
import { testPatternScene } from '../support/scene-fixtures';
import { StudioApp } from '../support/studio-app';
import { checkEngine } from '../support/engine-checkbox';

const run = promisify(execFile);

/** A small program (320×180) so the encoder does not crowd the shared cores. */
const smallScene = JSON.stringify(testPatternScene());

let app: StudioApp | undefined;
const children = new Set<ChildProcess>();

test.afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const child of children) child.kill('SIGKILL');
  children.clear();
});

test('go live to the local channel with a recording: state, target, figures every second, stop', async ({ browser }) => {
  test.setTimeout(120_000);
  app = await new StudioApp(browser, { seedFiles: { 'scenes.json': smallScene } }).start();
  const pane = app.pane('Go Live');
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'offline');
  await checkEngine(pane.getByTestId('target-local'));
  await checkEngine(pane.getByTestId('record-toggle'));
  const recording = path.join(app.dataDir, 'show.mkv');
  await pane.getByTestId('record-path').fill(recording);
  await pane.getByTestId('go-live').click();

  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });
  await expect(pane.getByTestId('stream-state')).toHaveText('LIVE');
  await expect(pane.getByTestId('stream-target')).toContainText(/Local channel · default · rtmps:\/\/127\.0\.0\.1:\d+\/app · key ••••/);
  await expect(pane).toContainText(`Recording to ${recording}`);
  // The figures arrive every second: a bitrate that is not zero, time live, nothing dropped.
  await expect(pane.getByTestId('stat-bitrate')).toHaveText(/^[1-9]\d* kbps$|Mbps$/, { timeout: 15_000 });
  await expect(pane.getByTestId('stat-uptime')).toHaveText(/^[2-9]\.\d s$|^\d+:\d\d$/, { timeout: 15_000 });
  await expect(pane.getByTestId('stat-dropped')).toHaveText('0');
  await expect(pane.getByTestId('stat-reconnects')).toHaveText('0');

  await pane.getByTestId('stop-stream').click();
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
  await expect(pane.getByTestId('go-live')).toBeEnabled();
  const probe = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', recording]);
  expect(probe.stdout.split('\n').filter(Boolean).sort()).toEqual(['aac', 'h264']);
});

test('an unreachable target is refused with the reason next to the button, and nothing stays running', async ({ browser }) => {
  test.skip(!process.env.DBUS_SESSION_BUS_ADDRESS, 'custom targets keep their key in the Secret Service that test/run-all.sh starts');
  test.setTimeout(90_000);
  app = await new StudioApp(browser, { seedFiles: { 'scenes.json': smallScene } }).start();
  await addCustomTarget(app, 'Nowhere', 'rtmp://127.0.0.1:9/app/', 'sk_us-west-2_nowhereKey_0123456789');
  const pane = app.pane('Go Live');
  await expect(pane.getByTestId('target-selected')).toBeChecked();
  await pane.getByTestId('go-live').click();
  await expect(pane.getByTestId('stream-error')).toHaveAttribute('data-code', 'INGEST_UNREACHABLE', { timeout: 60_000 });
  await expect(pane.getByTestId('stream-error')).toContainText('127.0.0.1:9');
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'offline');
  expect(await app.page.content()).not.toContain('nowhereKey_0123456789');
});

test('the ingest dies while live: reconnecting with attempts and Reconnect now, then live again and counted', async ({ browser }) => {
  test.skip(!process.env.DBUS_SESSION_BUS_ADDRESS, 'custom targets keep their key in the Secret Service that test/run-all.sh starts');
  test.setTimeout(180_000);
  // A local channel in its own process (so it can be killed), with a channel that takes plain RTMP.
  const channelDir = fs.mkdtempSync(path.join(os.tmpdir(), 'golive-ingest-'));
  const ports = fixedPorts();
  const startIngest = () => startLocalChannelProcess(channelDir, ports, { children });
  let ingest = await startIngest();
  const ivs = new IvsClient({ region: ingest.ready.region, endpoint: ingest.ready.apiEndpoint, credentials: { accessKeyId: ingest.ready.accessKeyId, secretAccessKey: ingest.ready.secretAccessKey } });
  const created = await ivs.send(new CreateChannelCommand({ name: 'plain-rtmp', insecureIngest: true }));
  ivs.destroy();
  const key = created.streamKey!.value!;

  app = await new StudioApp(browser, { seedFiles: { 'scenes.json': smallScene } }).start();
  await addCustomTarget(app, 'Flaky ingest', ingest.ready.ingest.rtmp, key);
  const pane = app.pane('Go Live');
  await pane.getByTestId('go-live').click();
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'live', { timeout: 60_000 });

  ingest.child.kill('SIGKILL');
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'reconnecting', { timeout: 15_000 });
  const info = pane.getByTestId('reconnect-info');
  await expect(info).toContainText(/Connection lost .* ago · attempt [1-9]/);
  await expect(info).toContainText(/could not be reached|lost|closed/);
  await expect(pane.getByTestId('reconnect-now')).toBeVisible();
  await expect(pane.getByTestId('stat-bitrate')).toHaveText('0 kbps', { timeout: 5000 });

  ingest = await startIngest();
  await pane.getByTestId('reconnect-now').click({ timeout: 5000 }).catch(() => undefined); // may already be back
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
  await expect(pane.getByTestId('stat-reconnects')).toHaveText(/^1 \(last took (\d\.\d s|\d+:\d\d)\)$/, { timeout: 5000 }); // "4.2 s", or "0:18" on a busy machine
  expect(await app.page.content()).not.toContain(key);

  await pane.getByTestId('stop-stream').click();
  await expect(pane.getByTestId('stream-state')).toHaveAttribute('data-state', 'offline', { timeout: 30_000 });
  ingest.child.kill('SIGTERM');
  fs.rmSync(channelDir, { recursive: true, force: true });
});

async function addCustomTarget(studio: StudioApp, label: string, ingestUrl: string, streamKey: string): Promise<void> {
  const channel = studio.pane('Channel');
  await channel.getByRole('button', { name: 'Add RTMP target' }).click();
  const form = channel.getByRole('form', { name: 'Add RTMP target' });
  await form.getByLabel('Name').fill(label);
  await form.getByLabel('Ingest URL (without the key)').fill(ingestUrl);
  await form.getByLabel('Stream key').fill(streamKey);
  await form.getByRole('button', { name: 'Add target' }).click();
  await channel.getByRole('button', { name: 'Stream to this target' }).click();
  await expect(channel.getByRole('button', { name: 'Selected', exact: true })).toBeVisible();
}
