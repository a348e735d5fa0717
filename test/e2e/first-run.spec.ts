/**
 * The first-run guide in Chromium against `ivs-studio serve`. The desktop app shows it on its first
 * launch; a browser page shows it when opened with `#first-run=1`, which is how it is driven here:
 * the local channel's state as the engine reports it, the permission prompts for this OS, the way to
 * a real IVS channel, and `firstRunCompleted` persisted so it never shows again.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import type { AccountsState } from '../../src-main/contract/domains/accounts';
import { describeLocalChannel, goLiveSteps, permissionGuide } from '../../src-renderer/panes/first-run/first-run-content';
import { StudioApp } from '../support/studio-app';

const screenshots = path.resolve(__dirname, '..', '..', 'test-results');
let app: StudioApp;
let browser: Browser;

test.beforeEach(async ({ browser: fixture }) => {
  browser = fixture;
  app = await new StudioApp(browser, { open: false }).start();
});

test.afterEach(async () => {
  await app.close();
});

async function openWithGuide(): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${app.hookedUrl(app.url)}&first-run=1`);
  await app.waitForEvent('ui:ready', {}, page);
  return page;
}

function savedSettings(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(app.dataDir, 'settings.json'), 'utf8')) as Record<string, unknown>;
}

test('a plain browser window does not show the guide', async () => {
  const page = await app.openWindow();
  await expect(page.getByRole('heading', { level: 1, name: 'IVS Studio' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.close();
});

test('first run: local channel, the OS permission prompts, the way to IVS; finishing persists it', async () => {
  const page = await openWithGuide();
  // The dialog is named after its current step's heading.
  const dialog = page.getByRole('dialog');
  await expect(dialog).toHaveAccessibleName('Welcome to IVS Studio');
  // Focus moves into the dialog, onto its heading, so a screen reader starts there.
  await expect(dialog.getByRole('heading', { name: 'Welcome to IVS Studio' })).toBeFocused();

  // The local channel line is the engine's own connection test of it (also broadcast to every window).
  // The engine broadcasts the new account state before it answers the test, so the last
  // accounts:state-changed recorded by then carries the result the guide shows.
  await app.waitForEvent('ui:first-run-local-channel', {}, page);
  const events = await page.evaluate(() => window.__studioTest!.events());
  const state = events.filter((e) => e.name === 'accounts:state-changed').at(-1)!.payload as AccountsState;
  const localTest = state.accounts.find((a) => a.id === 'local')?.lastTest;
  expect(localTest, 'the guide ran the local connection test').toBeDefined();
  const expected = describeLocalChannel({ state: 'done', test: localTest! });
  await expect(dialog.getByRole('status', { name: 'Local channel' })).toContainText(expected.text);
  await page.screenshot({ path: path.join(screenshots, 'first-run-welcome-1280x720.png') });

  // Step 2: what this OS will ask — the engine's OS, since that is where capture happens.
  await dialog.getByRole('button', { name: 'Next' }).click();
  const guide = permissionGuide(process.platform, 'browser');
  await expect(dialog.getByRole('heading', { level: 2, name: guide.heading })).toBeFocused();
  await expect(dialog).toHaveAccessibleName(guide.heading);
  for (const item of guide.items) {
    const entry = dialog.getByRole('listitem', { name: item.title });
    await expect(entry).toContainText(item.when);
    await expect(entry).toContainText(item.answer);
  }
  await expect(dialog).toContainText(guide.remoteNote!);
  await page.screenshot({ path: path.join(screenshots, 'first-run-permissions-1280x720.png') });

  // Step 3: the way to a real IVS channel; Back and Next move between steps.
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('heading', { level: 2, name: 'Go live to a real IVS channel' })).toBeVisible();
  await expect(dialog.getByRole('listitem')).toHaveCount(goLiveSteps.length);
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog.getByRole('heading', { level: 2, name: guide.heading })).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();

  const mark = await app.mark(page);
  await dialog.getByRole('button', { name: 'Start using IVS Studio' }).click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await app.waitForEvent('settings:changed', { after: mark, where: { firstRunCompleted: true } }, page);
  expect(savedSettings()).toMatchObject({ firstRunCompleted: true });

  // Never again, even when asked for.
  await page.reload();
  await app.waitForEvent('ui:ready', {}, page);
  await expect(page.getByRole('heading', { level: 1, name: 'IVS Studio' })).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await page.close();
});

test('Escape skips the guide and remembers that', async () => {
  const page = await openWithGuide();
  await expect(page.getByRole('dialog', { name: 'Welcome to IVS Studio' })).toBeVisible();
  const mark = await app.mark(page);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await app.waitForEvent('ui:first-run-closed', { after: mark, where: { how: 'skipped' } }, page);
  await app.waitForEvent('settings:changed', { after: mark, where: { firstRunCompleted: true } }, page);
  expect(savedSettings()).toMatchObject({ firstRunCompleted: true });
  await page.close();
});
