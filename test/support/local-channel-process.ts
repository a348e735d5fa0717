/**
 * The local channel in a process of its own (test/support/local-channel-child.ts), so a test can kill it
 * (SIGKILL, like a crashed or unplugged ingest) and bring it back on the same ports and data dir.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import type { LocalChannelAccess } from '../../src-main/golive/go-live';

const repoRoot = path.resolve(__dirname, '..', '..');

/** The ready line local-channel-child.ts prints. */
export interface LocalChannelReady {
  apiEndpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  ingest: { rtmp: string; rtmps: string; caFile: string };
  ports: LocalChannelPorts;
}

export interface LocalChannelPorts {
  api: number;
  rtmp: number;
  rtmps: number;
}

export interface LocalChannelProcess {
  child: ChildProcess;
  ready: LocalChannelReady;
  /** When the ready line arrived, on `clock`. */
  readyAt: number;
}

export interface LocalChannelProcessOptions {
  /** The child is added here while it runs (and removed when it exits), for an after-hook to kill. */
  children?: Set<ChildProcess>;
  /** The clock `readyAt` is read from (default Date.now; a benchmark passes performance.now). */
  clock?: () => number;
}

/** Starts the channel on `ports` (0: any free port) and resolves with its ready line; rejects, with its stderr, if it exits first. */
export async function startLocalChannelProcess(dataDir: string, ports: LocalChannelPorts = { api: 0, rtmp: 0, rtmps: 0 }, options: LocalChannelProcessOptions = {}): Promise<LocalChannelProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/local-channel-child.ts', dataDir, String(ports.api), String(ports.rtmp), String(ports.rtmps)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const { children } = options;
  if (children) {
    children.add(child);
    child.on('exit', () => children.delete(child));
  }
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`local channel exited ${code}: ${stderr}`)));
  });
  return { child, ready: JSON.parse(line) as LocalChannelReady, readyAt: (options.clock ?? Date.now)() };
}

/** Three consecutive fixed ports below the ephemeral range (32768+), so a restart can take them again. */
export function fixedPorts(): LocalChannelPorts {
  const base = 20_000 + Math.floor(Math.random() * 12_000);
  return { api: base, rtmp: base + 1, rtmps: base + 2 };
}

/**
 * Starts the channel on fixed ports (see fixedPorts), trying other ports when these are taken: a port the
 * kernel handed out with "port 0" can be taken by any outgoing connection while the channel is down, and
 * the restart would fail.
 */
export async function startLocalChannelOnFixedPorts(dataDir: string, options: LocalChannelProcessOptions = {}): Promise<LocalChannelProcess> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await startLocalChannelProcess(dataDir, fixedPorts(), options);
    } catch (error) {
      if (attempt >= 5 || !/EADDRINUSE/.test(String(error))) throw error;
    }
  }
}

/** What go-live needs to reach the channel: its API, credentials, ingest URLs and the CA of its RTMPS certificate. */
export function localChannelAccess(ready: LocalChannelReady): LocalChannelAccess {
  return {
    apiEndpoint: ready.apiEndpoint,
    region: ready.region,
    credentials: { accessKeyId: ready.accessKeyId, secretAccessKey: ready.secretAccessKey },
    ingest: { rtmp: ready.ingest.rtmp, rtmps: ready.ingest.rtmps },
    caPem: fs.readFileSync(ready.ingest.caFile, 'utf8'),
  };
}
