/** Processes and folders a vitest file makes, killed and removed after all its tests. */
import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll } from 'vitest';

export interface AfterAllCleanup {
  /** Children still running after the file's tests get SIGKILL. */
  children: Set<ChildProcess>;
  /** A new folder under the system temp dir, removed after the file's tests. */
  tempDir(prefix: string): string;
}

/** Call at the top level of a test file: registers the afterAll hook that does the cleaning. */
export function afterAllCleanup(): AfterAllCleanup {
  const children = new Set<ChildProcess>();
  const dirs: string[] = [];
  afterAll(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });
  return {
    children,
    tempDir: (prefix) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
  };
}
