import * as fs from 'node:fs';
import * as path from 'node:path';
import type { z } from 'zod';
import { StudioError } from './studio-error';
import { createLogger } from './logger';

const log = createLogger('documents');

/**
 * Writes a file atomically: temp file in the same folder, fsync, rename, fsync the folder.
 * A crash at any point leaves either the old or the new content, never a torn file.
 */
export function writeFileAtomic(file: string, data: string | Buffer): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(temp, 'w', 0o600);
  try {
    fs.writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
  try {
    const dirFd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(dirFd);
    } finally {
      fs.closeSync(dirFd);
    }
  } catch {
    // Directory fsync is not supported on every platform (Windows); the rename is still atomic there.
  }
}

export interface LoadResult<T> {
  value: T;
  /** Set when the file was corrupt: where the original bytes were kept, and what was wrong. */
  recovered?: { movedTo: string; problem: string };
}

/**
 * A JSON document validated by a zod schema. A missing file yields the defaults; a corrupt or invalid
 * one is moved aside (`name.corrupt-<time>.json`, bytes untouched) and reported, never silently replaced.
 */
export class JsonDocument<T> {
  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<T>,
    private readonly defaults: () => T,
  ) {}

  load(): LoadResult<T> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { value: this.defaults() };
      throw error;
    }
    let problem: string;
    try {
      const parsed = this.schema.safeParse(JSON.parse(text));
      if (parsed.success) return { value: parsed.data };
      problem = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    } catch (error) {
      problem = `not valid JSON (${(error as Error).message})`;
    }
    const movedTo = this.moveAside();
    log.warn(`${path.basename(this.file)} is corrupt (${problem}); original kept at ${movedTo}`);
    return { value: this.defaults(), recovered: { movedTo, problem } };
  }

  save(value: T): void {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new StudioError('DOCUMENT_INVALID', {
        message: `Refusing to save ${path.basename(this.file)}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
    }
    writeFileAtomic(this.file, `${JSON.stringify(parsed.data, null, 2)}\n`);
  }

  private moveAside(): string {
    const ext = path.extname(this.file);
    const base = this.file.slice(0, this.file.length - ext.length);
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const target = `${base}.corrupt-${stamp}${ext}`;
    fs.renameSync(this.file, target);
    return target;
  }
}

/** The error a user sees when a document was recovered. */
export function corruptDocumentError(file: string, recovered: NonNullable<LoadResult<unknown>['recovered']>): StudioError {
  return new StudioError('SETTINGS_CORRUPT', {
    message: `${path.basename(file)} could not be read (${recovered.problem}); defaults are in use.`,
    action: `The original file was kept at ${recovered.movedTo}.`,
  });
}
