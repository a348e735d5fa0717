/**
 * `ivs-studio serve` as a user runs it (the built CLI, a real process): SIGINT and SIGTERM dispose
 * everything and exit 0 with no process left in its tree or group; a corrupt settings file gives the
 * clear error (terminal and UI notice) and its bytes are kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { descendantsOf, isAlive, listProcesses, processGroupMembers, type ProcessInfo } from '../support/process-tree';
import { WsTestClient } from '../support/ws-test-client';

const root = path.resolve(__dirname, '..', '..');
const cli = path.join(root, 'bin', 'ivs-studio.js');

interface Serve {
  child: ChildProcess;
  url: URL;
  token: string;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: ChildProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-serve-'));
  dirs.push(dir);
  return dir;
}

/** Spawns serve in its own process group and resolves once it prints the URL to open. */
function startServe(dataDir: string, extra: string[] = []): Promise<Serve> {
  const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir, ...extra], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(child);
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (t: string) => (err += t));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    child.stdout!.setEncoding('utf8').on('data', (t: string) => {
      out += t;
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)#token=([\w-]+)/.exec(out);
      if (match) resolve({ child, url: new URL(match[1]!), token: match[2]!, stdout: () => out, stderr: () => err, exit });
    });
    void exit.then(({ code }) => reject(new Error(`serve exited (${code}) before printing its URL:\n${out}\n${err}`)));
  });
}

beforeAll(() => {
  if (!fs.existsSync(path.join(root, 'dist', 'main', 'cli', 'main.js'))) throw new Error('dist/main is missing: run "npm run build" first');
});

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function expectCleanStop(serve: Serve, signal: NodeJS.Signals, treeBefore: ProcessInfo[]): Promise<void> {
  const pid = serve.child.pid!;
  process.kill(pid, signal);
  expect(await serve.exit).toEqual({ code: 0, signal: null });
  expect(serve.stdout()).toContain('IVS Studio stopped.');
  expect(processGroupMembers(pid)).toEqual([]);
  expect(treeBefore.filter((p) => isAlive(p.pid))).toEqual([]);
}

describe('serve stops cleanly', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: exit 0, nothing left in its process tree or group, the port closed', async (signal) => {
    const serve = await startServe(tempDir());
    const client = WsTestClient.connect(`ws://${serve.url.host}/api?token=${serve.token}`);
    await client.next('welcome');
    expect(await client.request('app:get-info')).toMatchObject({ ok: true, value: { mode: 'browser', rights: 'full' } });
    const tree = descendantsOf(serve.child.pid!);
    await expectCleanStop(serve, signal, tree);
    expect((await client.closed).code).toBe(1001);
    await expect(fetch(serve.url)).rejects.toThrow();
  });

  it('a stop during start-up (ffmpeg probe running) still waits for its children and exits 0', async () => {
    const dataDir = tempDir();
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--data-dir', dataDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    running.push(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    // Wait for the probe's ffmpeg children to appear (polling /proc: there is no event to wait on).
    let probes: ProcessInfo[] = [];
    for (let i = 0; i < 400 && probes.length === 0; i++) {
      probes = descendantsOf(child.pid!, listProcesses()).filter((p) => p.comm.includes('ffmpeg'));
      if (probes.length === 0) await new Promise((r) => setTimeout(r, 10));
    }
    expect(probes.length).toBeGreaterThan(0);
    process.kill(child.pid!, 'SIGTERM');
    expect(await exit).toBe(0);
    expect(processGroupMembers(child.pid!)).toEqual([]);
    expect(probes.filter((p) => isAlive(p.pid))).toEqual([]);
  });
});

describe('a corrupt settings file', () => {
  it('is reported clearly (terminal and UI notice), moved aside with its bytes kept, and defaults used', async () => {
    const dataDir = tempDir();
    const bytes = '{"theme": "dark", "ffmpe';
    fs.writeFileSync(path.join(dataDir, 'settings.json'), bytes);
    const serve = await startServe(dataDir);
    expect(serve.stderr()).toMatch(/settings\.json could not be read \(not valid JSON.*\); defaults are in use\. The original file was kept at .*settings\.corrupt-.*\.json/);
    const aside = fs.readdirSync(dataDir).filter((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toHaveLength(1);
    expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe(bytes);

    const client = WsTestClient.connect(`ws://${serve.url.host}/api?token=${serve.token}`);
    await client.next('welcome');
    const notices = await client.request('app:get-notices');
    expect(notices).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ level: 'error', code: 'SETTINGS_CORRUPT', message: expect.stringContaining('settings.json') })]) });
    expect(await client.request('settings:get')).toMatchObject({ ok: true, value: { theme: 'system' } });
    // Saving new settings never touches the kept original.
    expect(await client.request('settings:update', { theme: 'light' })).toMatchObject({ ok: true });
    expect(fs.readFileSync(path.join(dataDir, aside[0]!), 'utf8')).toBe(bytes);
    await expectCleanStop(serve, 'SIGTERM', descendantsOf(serve.child.pid!));
  });
});

describe('bad flags', () => {
  it('a bad port is a usage error (exit 2) naming the flag', async () => {
    const child = spawn(process.execPath, [cli, 'serve', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => (err += t));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--port must be a whole number from 0 to 65535');
  });
});
