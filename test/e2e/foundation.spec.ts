/**
 * The studio in Chromium against `ivs-studio serve`: the layout and its panes, keyboard navigation,
 * themes, refusals of pages without a valid token, and notices.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { StudioApp } from '../support/studio-app';
import { checkEngine, uncheckEngine } from '../support/engine-checkbox';

const paneNames = ['Scenes & Sources', 'Program', 'Preview', 'Go Live', 'Cue board', 'Stats', 'Channel', 'Settings'];
const paneIds = ['scenes', 'program', 'preview', 'golive', 'cues', 'stats', 'channel', 'settings'];
const screenshots = path.resolve(__dirname, '..', '..', 'test-results');

let app: StudioApp;
let consoleErrors: string[];

test.beforeEach(async ({ browser }) => {
  app = await new StudioApp(browser).start();
  consoleErrors = [];
  app.page.on('console', (message: ConsoleMessage) => {
    // The preview polls the offline channel's playlist, which answers 404 until the channel is live
    // (as IVS does); Chromium logs each as a failed load. Anything else is a real error.
    if (message.type() === 'error' && !/\.m3u8(\?|$)/.test(message.location().url)) consoleErrors.push(message.text());
  });
  app.page.on('pageerror', (error) => consoleErrors.push(error.message));
});

test.afterEach(async () => {
  await app.close();
});

/** Where an element lies, and how its scrolling pane body fits its content. */
async function geometry(page: Page, selector: string) {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement;
    const r = el.getBoundingClientRect();
    const body = el.querySelector('.pane-body') as HTMLElement | null;
    return { x: r.x, y: r.y, width: r.width, height: r.height, bodyOverflowX: body ? body.scrollWidth - body.clientWidth : 0 };
  }, selector);
}

/** Is the element's box fully inside the viewport and not hidden by a scrolling ancestor? */
async function fullyShown(page: Page, selector: string): Promise<boolean> {
  return page.evaluate((sel) => {
    const el = document.querySelector(sel) as HTMLElement;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.left < 0 || r.top < 0 || r.right > innerWidth || r.bottom > innerHeight) return false;
    for (let a = el.parentElement; a; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.overflowX === 'visible' && style.overflowY === 'visible') continue;
      const box = a.getBoundingClientRect();
      if (r.left < box.left - 1 || r.top < box.top - 1 || r.right > box.right + 1 || r.bottom > box.bottom + 1) return false;
    }
    return true;
  }, selector);
}

/**
 * The layout at a window size: the monitors, scenes & sources, Go Live (with its button) and the cue
 * board in full view with room to work; stats, channel and settings in the right-hand dock, each
 * brought into view by its bar button.
 */
async function checkLayout(page: Page, viewport: { width: number; height: number }) {
  const minimum: Record<string, { width: number; height: number }> = {
    scenes: { width: 280, height: 450 },
    program: { width: 300, height: 250 },
    preview: { width: 300, height: 250 },
    golive: { width: 280, height: 250 },
    cues: { width: 600, height: 280 },
  };
  for (const [id, min] of Object.entries(minimum)) {
    const box = await geometry(page, `#pane-${id}`);
    expect(box.x, id).toBeGreaterThanOrEqual(0);
    expect(box.y, id).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, id).toBeLessThanOrEqual(viewport.width);
    expect(box.y + box.height, id).toBeLessThanOrEqual(viewport.height);
    expect(box.width, `${id} width`).toBeGreaterThanOrEqual(min.width);
    expect(box.height, `${id} height`).toBeGreaterThanOrEqual(min.height);
    // Nothing is clipped sideways: content that does not fit wraps or scrolls down, inside the pane.
    expect(box.bodyOverflowX, `${id} content wider than its pane`).toBeLessThanOrEqual(0);
  }
  // The monitors are the biggest thing on screen, side by side, over the cue board.
  const program = await geometry(page, '#pane-program');
  const scenes = await geometry(page, '#pane-scenes');
  const goLive = await geometry(page, '#pane-golive');
  expect(program.width).toBeGreaterThan(scenes.width);
  expect(program.width).toBeGreaterThan(goLive.width);
  // Go Live shows its button without scrolling.
  expect(await fullyShown(page, '[data-testid="go-live"]'), 'Go Live button fully shown').toBe(true);
  // The dock: each bar button brings its pane's heading into view and marks it current.
  for (const [id, name] of [['stats', 'Stats'], ['channel', 'Channel'], ['settings', 'Settings'], ['stats', 'Stats']] as const) {
    const jump = page.getByRole('navigation', { name: 'Dock' }).getByRole('button', { name, exact: true });
    await jump.click();
    await expect(page.locator(`#pane-${id}`)).toBeFocused();
    await expect.poll(() => fullyShown(page, `#pane-${id}-title`), `${name} heading shown`).toBe(true);
    await expect(jump).toHaveAttribute('aria-current', 'true');
    const box = await geometry(page, `#pane-${id}`);
    expect(box.width, `${id} width`).toBeGreaterThanOrEqual(280);
  }
}

test('the studio layout shows every pane, readable at 1280x720', async () => {
  const { page } = app;
  await expect(page.getByRole('heading', { level: 1, name: 'IVS Studio' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Engine connection: Connected' })).toBeVisible();
  for (const name of paneNames) await expect(app.pane(name), name).toBeVisible();
  // The page itself never scrolls at this size: every pane scrolls inside its own frame or the dock.
  expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(720);
  await checkLayout(page, { width: 1280, height: 720 });
  // The cue board (issue 9) is built: it starts disarmed, with its default board.
  await expect(app.pane('Cue board').getByTestId('cue-armed')).not.toBeChecked();
  await expect(app.pane('Cue board').getByTestId('cue-button-poll')).toBeVisible();
  // Settings is real: the ffmpeg the engine probed, and what it lacks.
  const settings = app.pane('Settings');
  await expect(settings.getByText(/^\d+\.\d+/).first()).toBeVisible();
  await expect(settings.getByText(/Everything the studio needs is present|Missing:/)).toBeVisible();
  await expect(settings.getByText('/usr/bin/ffmpeg')).toBeVisible();

  await page.getByRole('navigation', { name: 'Dock' }).getByRole('button', { name: 'Stats' }).click();
  await page.screenshot({ path: path.join(screenshots, 'studio-layout-1280x720.png') });
  expect(fs.statSync(path.join(screenshots, 'studio-layout-1280x720.png')).size).toBeGreaterThan(10_000);
  expect(consoleErrors, 'no console errors and no CSP violations').toEqual([]);
});

test('the layout at 1920x1080 gives the monitors more room, in dark and light; screenshots at both sizes', async () => {
  test.setTimeout(180_000); // four layouts on a busy shared machine
  const { page } = app;
  const settings = app.pane('Settings');
  for (const theme of ['Dark', 'Light'] as const) {
    const after = await app.mark();
    await checkEngine(settings.getByRole('radio', { name: theme }));
    await app.waitForEvent('ui:theme-applied', { after, where: { theme: theme.toLowerCase() } });
    for (const viewport of [{ width: 1920, height: 1080 }, { width: 1280, height: 720 }]) {
      await page.setViewportSize(viewport);
      await checkLayout(page, viewport);
      const file = path.join(screenshots, `studio-layout-${viewport.width}x${viewport.height}-${theme.toLowerCase()}.png`);
      await page.screenshot({ path: file });
      expect(fs.statSync(file).size).toBeGreaterThan(10_000);
    }
  }
  // At 1920x1080 the monitors grow with the window.
  await page.setViewportSize({ width: 1920, height: 1080 });
  const program = await geometry(page, '#pane-program');
  expect(program.width).toBeGreaterThan(500);
  expect(program.height).toBeGreaterThan(350);
  expect(consoleErrors, 'no console errors and no CSP violations').toEqual([]);
});

test('keyboard: pane hotkeys move focus, Tab reaches the controls with a visible focus ring, settings change without a mouse', async () => {
  const { page } = app;
  for (const [index, name] of paneNames.entries()) {
    const after = await app.mark();
    await page.keyboard.press(`Alt+Shift+Digit${index + 1}`);
    await app.waitForEvent('ui:pane-focused', { after });
    await expect(app.pane(name)).toBeFocused();
    // The hotkey also brings the pane's heading into view (docked panes may be below the dock's fold).
    await expect.poll(() => fullyShown(page, `#pane-${paneIds[index]}-title`), `${name} heading shown`).toBe(true);
  }
  // From the Settings pane, Tab enters its first control: the theme radio group.
  await page.keyboard.press('Alt+Shift+Digit8');
  await page.keyboard.press('Tab');
  const focused = page.locator(':focus');
  await expect(focused).toHaveAttribute('type', 'radio');
  const outline = await page.evaluate(() => {
    const span = document.activeElement!.nextElementSibling!;
    const style = getComputedStyle(span);
    return `${style.outlineStyle} ${style.outlineWidth}`;
  });
  expect(outline).toBe('solid 2px');

  // Arrow keys pick the next theme; the engine saves it and every window hears about it.
  const after = await app.mark();
  await page.keyboard.press('ArrowRight');
  const changed = await app.waitForEvent('settings:changed', { after });
  expect(changed.payload).toMatchObject({ theme: 'dark' });
  await app.waitForEvent('ui:theme-applied', { after, where: { theme: 'dark' } });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');

  // Tab order follows the panes' reading order, and every stop is visible.
  await page.keyboard.press('Alt+Shift+Digit1');
  const paneOrder: number[] = [];
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const stop = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      const rect = el.getBoundingClientRect();
      const pane = el.closest('[data-pane]')?.getAttribute('data-pane') ?? null;
      return { pane, label: el.getAttribute('aria-label') ?? el.tagName, visible: rect.width > 0 && rect.height > 0 };
    });
    if (!stop.pane) break; // left the panes (notices, or back to the browser)
    expect(stop.visible, `tab stop ${stop.label} in ${stop.pane} is visible`).toBe(true);
    paneOrder.push(paneIds.indexOf(stop.pane));
  }
  expect(paneOrder.length).toBeGreaterThan(0);
  expect(paneOrder).toEqual([...paneOrder].sort((a, b) => a - b));
});

test('themes: dark and light apply at once, persist across a reload, and reach every open window', async () => {
  const { page } = app;
  const settings = app.pane('Settings');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

  let after = await app.mark();
  await checkEngine(settings.getByRole('radio', { name: 'Dark' }));
  await app.waitForEvent('ui:theme-applied', { after, where: { theme: 'dark' } });
  const dark = await background();
  await page.screenshot({ path: path.join(screenshots, 'studio-dark.png') });

  const second = await app.openWindow();
  await expect(second.locator('html')).toHaveAttribute('data-theme', 'dark');

  after = await app.mark();
  const afterSecond = await app.mark(second);
  await checkEngine(settings.getByRole('radio', { name: 'Light' }));
  await app.waitForEvent('ui:theme-applied', { after, where: { theme: 'light' } });
  await app.waitForEvent('ui:theme-applied', { after: afterSecond, where: { theme: 'light' } }, second);
  const light = await background();
  expect(light).not.toBe(dark);
  await expect(second.locator('html')).toHaveAttribute('data-theme', 'light');
  await page.screenshot({ path: path.join(screenshots, 'studio-light.png') });

  // The token left the address bar, yet a reload still connects (sessionStorage) with the saved theme.
  expect(page.url()).not.toContain('token=');
  await page.reload();
  await app.waitForEvent('ui:ready');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  expect(JSON.parse(fs.readFileSync(path.join(app.dataDir, 'settings.json'), 'utf8'))).toMatchObject({ theme: 'light' });
  await second.close();
});

test('a page without the token, or with a wrong one, says what to do instead of showing a broken studio', async ({ browser }) => {
  const origin = new URL(app.url).origin;
  const context = await browser.newContext();
  const page = await context.newPage();

  await page.goto(`${origin}/#studio-test=1`);
  await expect(page.getByRole('alert')).toContainText('The address has no access token');

  await page.goto(`${origin}/#token=wrong&studio-test=1`);
  await page.reload();
  await app.waitForEvent('ui:connection', { where: { state: 'refused' } }, page);
  await expect(page.getByRole('alert')).toContainText('The access token is not valid for this studio run');
  await expect(page.getByRole('alert')).toContainText('tokens change every run');
  await context.close();
});

test('remote access: the Settings toggle opens the studio to the network and reveals the link on request', async () => {
  const settings = app.pane('Settings');
  let after = await app.mark();
  await checkEngine(settings.getByRole('checkbox', { name: /Let devices on my network/ }));
  await app.waitForEvent('app:remote-access-changed', { after, where: { enabled: true } });
  await settings.getByRole('button', { name: 'Show link for other devices' }).click();
  const links = settings.getByRole('list', { name: 'Links for other devices' });
  const port = new URL(app.url).port;
  await expect(links.getByRole('listitem').first()).toContainText(new RegExp(`^http://[\\d.]+:${port}/#token=[\\w-]+$`));

  after = await app.mark();
  await uncheckEngine(settings.getByRole('checkbox', { name: /Let devices on my network/ }));
  await app.waitForEvent('app:remote-access-changed', { after, where: { enabled: false } });
  await expect(links).toHaveCount(0);
});

test.describe('with a corrupt settings file', () => {
  test.beforeEach(async ({ browser }) => {
    test.setTimeout(120_000); // two studio starts on a busy shared machine
    // Replace the default app with one whose data dir holds a corrupt settings.json.
    await app.close();
    app = await new StudioApp(browser, { seedFiles: { 'settings.json': '{"theme": "dark", "ffmpe' } }).start();
  });

  test('the error is shown as a notice naming the file and where the original was kept', async () => {
    const notice = app.page.getByRole('region', { name: 'Notices' }).getByRole('alert');
    await expect(notice).toContainText('settings.json could not be read');
    await expect(notice).toContainText('The original file was kept at');
    await notice.getByRole('button', { name: /Dismiss/ }).click();
    await expect(notice).toHaveCount(0);
  });
});
