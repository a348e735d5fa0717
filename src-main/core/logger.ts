import * as fs from 'node:fs';
import * as path from 'node:path';
import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const levelRank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

interface SinkOptions {
  /** Folder for studio.log and its rotations; undefined logs to stderr only. */
  dir?: string;
  maxBytes?: number;
  keep?: number;
  /** Lowest level mirrored to stderr (files get everything from `fileLevel`). */
  consoleLevel?: LogLevel | 'silent';
  fileLevel?: LogLevel;
}

/**
 * One sink per process: appends redacted lines to `<dir>/studio.log`, rotating to studio.1.log …
 * Sync appends keep ordering and survive a crash; the studio logs little, so the cost is small.
 */
class LogSink {
  private options: Required<Omit<SinkOptions, 'dir'>> & { dir?: string } = {
    maxBytes: 5 * 1024 * 1024,
    keep: 3,
    consoleLevel: 'warn',
    fileLevel: 'debug',
  };
  private bytes = 0;

  configure(options: SinkOptions): void {
    this.options = { ...this.options, ...options };
    if (this.options.dir) {
      fs.mkdirSync(this.options.dir, { recursive: true });
      try {
        this.bytes = fs.statSync(this.file).size;
      } catch {
        this.bytes = 0;
      }
    }
  }

  get file(): string {
    return path.join(this.options.dir ?? '.', 'studio.log');
  }

  get directory(): string | undefined {
    return this.options.dir;
  }

  write(level: LogLevel, name: string, message: string, detail?: unknown): void {
    const line = redact(`${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${name}] ${message}${formatDetail(detail)}`);
    const { consoleLevel, fileLevel, dir } = this.options;
    if (consoleLevel !== 'silent' && levelRank[level] >= levelRank[consoleLevel]) process.stderr.write(`${line}\n`);
    if (!dir || levelRank[level] < levelRank[fileLevel]) return;
    try {
      if (this.bytes > this.options.maxBytes) this.rotate();
      const data = `${line}\n`;
      fs.appendFileSync(this.file, data);
      this.bytes += Buffer.byteLength(data);
    } catch {
      // Logging must never take the studio down (disk full, folder removed).
    }
  }

  private rotate(): void {
    const { keep, dir } = this.options;
    if (!dir) return;
    for (let i = keep - 1; i >= 1; i--) {
      const from = path.join(dir, `studio.${i}.log`);
      if (fs.existsSync(from)) fs.renameSync(from, path.join(dir, `studio.${i + 1}.log`));
    }
    fs.renameSync(this.file, path.join(dir, 'studio.1.log'));
    this.bytes = 0;
  }
}

function formatDetail(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) {
    const cause = detail.cause ? ` (cause: ${formatDetail(detail.cause).trim()})` : '';
    return ` ${detail.name}: ${detail.message}${cause}`;
  }
  if (typeof detail === 'string') return ` ${detail}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    return ` ${String(detail)}`;
  }
}

const sink = new LogSink();

export function configureLogging(options: SinkOptions): void {
  sink.configure(options);
}

export function logDirectory(): string | undefined {
  return sink.directory;
}

export function createLogger(name: string): Logger {
  return {
    debug: (m, d) => sink.write('debug', name, m, d),
    info: (m, d) => sink.write('info', name, m, d),
    warn: (m, d) => sink.write('warn', name, m, d),
    error: (m, d) => sink.write('error', name, m, d),
  };
}
