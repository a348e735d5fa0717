/**
 * One supervised ffmpeg child. On POSIX it gets its own process group (`detached`: setsid), so a stop
 * reaches everything it started and a terminal's Ctrl-C reaches the engine, which then stops it cleanly.
 *
 * Orphans: Node cannot ask Linux for a parent-death signal (PR_SET_PDEATHSIG), so each child is tied
 * to the engine by a pipe instead. The program writes its FLV to our stdout pipe: when the engine dies
 * (even by SIGKILL) the pipe's read end closes, ffmpeg's next write fails (EPIPE; ffmpeg ignores
 * SIGPIPE) and it exits. The recorder reads its input from our pipe: EOF ends it, file finalised.
 * test/integration/program-lifecycle.test.ts kills the engine's process with -9 and checks no ffmpeg
 * outlives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { Disposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { redact } from '../core/redact';
import { ProgressParser, type ProgressSnapshot } from './progress';

const log = createLogger('ffmpeg-child');
const STDERR_KEEP = 16 * 1024;

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The end of ffmpeg's stderr (redacted), for error messages. */
  stderrTail: string;
  /** True when we asked it to stop. */
  requested: boolean;
}

export interface FfmpegChildOptions {
  ffmpegPath: string;
  args: string[];
  /** A short name for logs: "program", "recorder". */
  name: string;
  stdin: 'pipe' | 'ignore';
  /** Read `-progress pipe:3` (the args must say so). */
  progress: boolean;
  stdout: 'pipe' | 'ignore';
  cwd?: string;
  /** More pipes after the progress pipe (fd 4, 5, …): the program monitor's taps (monitor/monitor-taps.ts). */
  extraPipes?: number;
}

export class FfmpegChild implements Disposable {
  readonly process: ChildProcess;
  private readonly progressEmitter = new Emitter<ProgressSnapshot>();
  private readonly stderrEmitter = new Emitter<string>();
  private readonly exitEmitter = new Emitter<FfmpegExit>();
  readonly onProgress = this.progressEmitter.event;
  /** Each stderr line (redacted). */
  readonly onStderrLine = this.stderrEmitter.event;
  readonly onExit = this.exitEmitter.event;
  readonly exited: Promise<FfmpegExit>;
  private stderrTail = '';
  private stderrPartial = '';
  private stopRequested = false;
  private exitInfo: FfmpegExit | undefined;

  constructor(private readonly options: FfmpegChildOptions) {
    const stdio: ('pipe' | 'ignore')[] = [options.stdin, options.stdout, 'pipe'];
    if (options.progress) stdio.push('pipe');
    for (let i = 0; i < (options.extraPipes ?? 0); i++) stdio.push('pipe');
    this.process = spawn(options.ffmpegPath, options.args, {
      stdio,
      cwd: options.cwd,
      detached: process.platform !== 'win32',
      windowsHide: true,
      // ffmpeg needs no secrets from our environment: pass only what capture needs (display, audio, locale).
      env: childEnvironment(process.env),
    });
    this.process.stderr!.setEncoding('utf8');
    this.process.stderr!.on('data', (chunk: string) => this.onStderr(chunk));
    if (options.progress) {
      const parser = new ProgressParser();
      const progress = this.process.stdio[3] as Readable;
      progress.setEncoding('utf8');
      progress.on('data', (chunk: string) => {
        for (const snapshot of parser.pushChunk(chunk)) this.progressEmitter.fire(snapshot);
      });
      progress.on('error', () => undefined);
    }
    this.process.stdin?.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      let settled = false;
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (settled) return;
        settled = true;
        if (this.stderrPartial) this.stderrEmitter.fire(this.stderrPartial);
        this.exitInfo = { code, signal, stderrTail: this.stderrTail, requested: this.stopRequested };
        log.debug(`${options.name} ffmpeg ${this.process.pid ?? '?'} exited (code ${code}, signal ${signal})`);
        this.exitEmitter.fire(this.exitInfo);
        resolve(this.exitInfo);
      };
      this.process.on('error', (error) => {
        this.stderrTail += `\n${error.message}`;
        finish(null, null);
      });
      this.process.on('close', finish);
    });
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  get stdout(): Readable | null {
    return this.process.stdout;
  }

  /** The child's end of an extra pipe, by fd number. */
  pipe(fd: number): Readable | null {
    return (this.process.stdio[fd] as Readable | null | undefined) ?? null;
  }

  get stdin(): Writable | null {
    return this.process.stdin;
  }

  get hasExited(): boolean {
    return this.exitInfo !== undefined;
  }

  recentStderr(): string {
    return this.stderrTail;
  }

  private onStderr(chunk: string): void {
    this.stderrTail = (this.stderrTail + redact(chunk)).slice(-STDERR_KEEP);
    const lines = (this.stderrPartial + chunk).split(/\r?\n/);
    this.stderrPartial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) this.stderrEmitter.fire(redact(line));
  }

  /** Signals the whole process group (POSIX) or the process (Windows). */
  signal(signal: NodeJS.Signals): void {
    const pid = this.process.pid;
    if (pid === undefined || this.hasExited) return;
    try {
      if (process.platform !== 'win32') process.kill(-pid, signal);
      else this.process.kill(signal);
    } catch {
      // Already gone.
    }
  }

  /**
   * Asks ffmpeg to finish (it flushes the encoder and the muxer on SIGTERM), then kills the group if it
   * has not exited within `graceMs`.
   */
  async stop(graceMs = 3000): Promise<FfmpegExit> {
    this.stopRequested = true;
    if (this.hasExited) return this.exitInfo!;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    try {
      return await this.exited;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Marks the coming exit as requested without signalling (e.g. the input pipe was closed). */
  markStopRequested(): void {
    this.stopRequested = true;
  }

  async dispose(): Promise<void> {
    await this.stop(1000);
    this.progressEmitter.dispose();
    this.stderrEmitter.dispose();
    this.exitEmitter.dispose();
  }
}

/** The environment a capture child needs, and nothing else (no AWS_*, no tokens). */
export function childEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const keep = [
    'PATH', 'HOME', 'USER', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'TEMP', 'TMP',
    'DISPLAY', 'XAUTHORITY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'PULSE_SERVER', 'PULSE_COOKIE',
    'FONTCONFIG_FILE', 'FONTCONFIG_PATH',
    'SystemRoot', 'SYSTEMROOT', 'windir', 'COMSPEC', 'PATHEXT', 'LOCALAPPDATA', 'APPDATA', 'USERPROFILE',
  ];
  const out: NodeJS.ProcessEnv = {};
  for (const key of keep) if (env[key] !== undefined) out[key] = env[key];
  return out;
}
