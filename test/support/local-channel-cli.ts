/**
 * `ivs-studio local-channel <args>` as a user runs it, from source through tsx (no build needed); the
 * process is the server itself (no wrapper in between), so a signal hits it directly.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import * as readline from 'node:readline';

const repoRoot = path.resolve(__dirname, '..', '..');

export interface LocalChannelCliRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The first stdout line (the ready line); rejects, with the stderr so far, if the process exits first. */
  firstLine: Promise<string>;
}

/** Starts the command; the child joins `children` (for an after-hook to kill). */
export function startLocalChannelCli(args: string[], children?: Set<ChildProcess>): LocalChannelCliRun {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', "require('./src-main/cli/main').main(process.argv.slice(1))", 'local-channel', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children?.add(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const firstLine = new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).once('line', resolve);
    void exited.then(({ code }) => reject(new Error(`local-channel exited (${code}) before printing a line:\n${err}`)));
  });
  firstLine.catch(() => undefined); // tests that expect an early exit never read it
  return { child, stdout: () => out, stderr: () => err, exited, firstLine };
}
