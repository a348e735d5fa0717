/**
 * StudioApp: the Playwright driver for the studio in browser mode, after Signal's `App` class.
 * `start()` runs the real CLI (`ivs-studio serve --port 0 --data-dir <tmp>`), reads the URL it
 * prints and opens it with the test hook switched on; `waitForEvent()` waits on what the page
 * recorded (engine events, `ui:*` milestones), never on a timer; `close()` stops the server with
 * SIGTERM and checks that nothing it started is still running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Browser, Page } from '@playwright/test';
import type { RecordedEvent, WaitOptions } from '../../src-renderer/test-hook/studio-test-hook';
import { descendantsOf, isAlive, processGroupMembers } from './process-tree';

const root = path.resolve(__dirname, '..', '..');

export interface StudioAppOptions {
  /** Extra `serve` flags. */
  args?: string[];
  /** Files to place in the data dir before start (e.g. a corrupt settings.json). */
  seedFiles?: Record<string, string>;
  /** Open the page? (false: tests that only need the server) */
  open?: boolean;
}

export class StudioApp {
  readonly dataDir: string;
  private child: ChildProcess | undefined;
  private output = '';
  private errors = '';
  url = '';
  page!: Page;

  constructor(
    private readonly browser: Browser,
    private readonly options: StudioAppOptions = {},
  ) {
    this.dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-e2e-'));
  }

  async start(): Promise<this> {
    for (const [name, content] of Object.entries(this.options.seedFiles ?? {})) fs.writeFileSync(path.join(this.dataDir, name), content);
    const cli = path.join(root, 'bin', 'ivs-studio.js');
    if (!fs.existsSync(path.join(root, 'dist', 'renderer', 'index.html'))) throw new Error('dist/renderer is missing: run "npm run build" first');
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', this.dataDir, ...(this.options.args ?? [])], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr!.setEncoding('utf8').on('data', (t: string) => (this.errors += t));
    this.url = await new Promise<string>((resolve, reject) => {
      child.stdout!.setEncoding('utf8').on('data', (t: string) => {
        this.output += t;
        const match = /http:\/\/127\.0\.0\.1:\d+\/#token=[\w-]+/.exec(this.output);
        if (match) resolve(match[0]);
      });
      child.once('exit', (code) => reject(new Error(`ivs-studio serve exited (${code}) before printing its URL:\n${this.output}${this.errors}`)));
    });
    if (this.options.open !== false) {
      this.page = await this.browser.newPage();
      await this.page.goto(this.hookedUrl(this.url));
      await this.waitForEvent('ui:ready');
    }
    return this;
  }

  /** Another studio window (its own browser context), ready once its first snapshots arrived. */
  async openWindow(): Promise<Page> {
    const page = await this.browser.newPage();
    await page.goto(this.hookedUrl(this.url));
    await this.waitForEvent('ui:ready', {}, page);
    return page;
  }

  /** The page URL with the test hook switched on (it lives in the fragment, beside the token). */
  hookedUrl(url: string): string {
    return `${url}${url.includes('#') ? '&' : '#'}studio-test=1`;
  }

  get stdout(): string {
    return this.output;
  }

  get stderr(): string {
    return this.errors;
  }

  /** Sequence number to pass as `after` when the event must come from what the test does next. */
  mark(page = this.page): Promise<number> {
    return page.evaluate(() => window.__studioTest!.mark());
  }

  waitForEvent(name: string, options: WaitOptions = {}, page = this.page): Promise<RecordedEvent> {
    return page.evaluate(([n, o]) => window.__studioTest!.waitForEvent(n, o), [name, options] as const);
  }

  pane(name: string) {
    return this.page.getByRole('region', { name, exact: true });
  }

  /** Stops the server (SIGTERM), checks its exit and that no process it started survives. */
  async close(): Promise<void> {
    await this.page?.close().catch(() => undefined);
    const child = this.child;
    this.child = undefined;
    try {
      if (!child || child.exitCode !== null) return;
      const tree = descendantsOf(child.pid!);
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      process.kill(child.pid!, 'SIGTERM');
      const code = await exited;
      const leftovers = [...processGroupMembers(child.pid!), ...tree.filter((p) => isAlive(p.pid))];
      if (code !== 0) throw new Error(`ivs-studio serve exited with ${code} on SIGTERM:\n${this.errors}`);
      if (leftovers.length > 0) throw new Error(`processes left behind by ivs-studio serve: ${JSON.stringify(leftovers)}`);
    } finally {
      if (child && child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
