/** Where a secret (a stream key, an AWS secret) shows up: to prove it is in no process's argv/environment and no file. */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Every readable /proc/<pid>/cmdline and environ containing `needle`. Throws if it could read almost none (the scan would be vacuous). */
export function processesHolding(needle: string): string[] {
  const hits: string[] = [];
  let scanned = 0;
  for (const pid of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    for (const part of ['cmdline', 'environ']) {
      try {
        const bytes = fs.readFileSync(`/proc/${pid}/${part}`);
        scanned++;
        if (bytes.includes(needle)) hits.push(`/proc/${pid}/${part}`);
      } catch {
        // another user's process, or one that just ended
      }
    }
  }
  if (scanned <= 10) throw new Error(`the secret scan read only ${scanned} /proc entries: it would prove nothing`);
  return hits;
}

/** Every file under `roots` (recursively) containing `needle`. A missing root throws unless `allowMissing`. */
export function filesHolding(needle: string, roots: string[], options: { allowMissing?: boolean } = {}): string[] {
  const hits: string[] = [];
  const walk = (folder: string): void => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && fs.readFileSync(full).includes(needle)) hits.push(full);
    }
  };
  for (const root of roots) if (!options.allowMissing || fs.existsSync(root)) walk(root);
  return hits;
}

/** Where `needle` appears: every readable process's argv and environment, and every file under `roots`. */
export function findSecret(needle: string, roots: string[], options: { allowMissing?: boolean } = {}): string[] {
  return [...processesHolding(needle), ...filesHolding(needle, roots, options)];
}
