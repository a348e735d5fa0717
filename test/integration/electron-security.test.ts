/**
 * Static security check of the Electron shell with @doyensec/electronegativity. Runs over the
 * sources that touch Electron plus the built preload and index.html (where the CSP meta lives).
 * Every remaining finding must be explained in electron-security.allowlist.json, and every entry
 * there must still match a finding (a stale excuse is an error too). A deliberately insecure window
 * in the same scan proves the checker really runs here (offline it cannot fetch its extras).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  description: string;
  manualReview: boolean;
}

interface Allowlist {
  excludedChecks: { check: string; reason: string }[];
  accepted: { id: string; file: string; reason: string }[];
}

const root = path.resolve(__dirname, '..', '..');
const allowlist = JSON.parse(fs.readFileSync(path.join(__dirname, 'electron-security.allowlist.json'), 'utf8')) as Allowlist;
const CONTROL_DIR = 'negative-control';

let scanDir: string;
let findings: Finding[];

function copyInto(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.cpSync(from, to, { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
}

beforeAll(async () => {
  for (const built of ['dist/preload/preload.js', 'dist/renderer/index.html']) {
    if (!fs.existsSync(path.join(root, built))) throw new Error(`${built} is missing: run "npm run build" first`);
  }
  scanDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-electronegativity-'));
  copyInto(path.join(root, 'src-main/app'), path.join(scanDir, 'app'));
  copyInto(path.join(root, 'src-main/preload'), path.join(scanDir, 'preload'));
  copyInto(path.join(root, 'src-main/transport/ipc-main.ts'), path.join(scanDir, 'transport/ipc-main.ts'));
  copyInto(path.join(root, 'dist/preload/preload.js'), path.join(scanDir, 'preload-bundle/preload.js'));
  copyInto(path.join(root, 'dist/renderer/index.html'), path.join(scanDir, 'renderer/index.html'));
  fs.mkdirSync(path.join(scanDir, CONTROL_DIR));
  fs.writeFileSync(
    path.join(scanDir, CONTROL_DIR, 'insecure-window.js'),
    "const { BrowserWindow } = require('electron');\nnew BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\n",
  );
  const electronVersion = (JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const run = require('@doyensec/electronegativity') as (options: Record<string, unknown>) => Promise<{ issues: Finding[]; errors: { file: string; message: string }[] }>;
  const result = await run({
    input: scanDir,
    isRelative: true,
    electronVersionOverride: electronVersion,
    excludeFromScan: allowlist.excludedChecks.map((c) => c.check),
  });
  expect(result.errors, 'every file parsed').toEqual([]);
  findings = result.issues;
}, 120_000);

afterAll(() => {
  if (scanDir) fs.rmSync(scanDir, { recursive: true, force: true });
});

describe('electronegativity over the Electron shell', () => {
  it('catches an insecure window (the checker really runs)', () => {
    const control = findings.filter((f) => f.file.startsWith(CONTROL_DIR)).map((f) => f.id);
    expect(control).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'AUXCLICK_JS_CHECK']));
  });

  it('leaves no finding unexplained', () => {
    const unexplained = findings
      .filter((f) => !f.file.startsWith(CONTROL_DIR))
      .filter((f) => !allowlist.accepted.some((a) => a.id === f.id && a.file === f.file))
      .map((f) => `${f.id} at ${f.file}:${f.location.line}: ${f.description}`);
    expect(unexplained).toEqual([]);
  });

  it('keeps no stale excuse, and every excuse gives a reason', () => {
    const stale = allowlist.accepted.filter((a) => !findings.some((f) => f.id === a.id && f.file === a.file));
    expect(stale).toEqual([]);
    for (const entry of [...allowlist.accepted, ...allowlist.excludedChecks]) expect(entry.reason.length).toBeGreaterThan(40);
  });

  it('the window checks pass on our own code: isolation and sandbox on, navigation and permissions limited', () => {
    const ours = findings.filter((f) => !f.file.startsWith(CONTROL_DIR)).map((f) => f.id);
    for (const id of ['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'LIMIT_NAVIGATION_GLOBAL_CHECK', 'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK', 'OPEN_EXTERNAL_JS_CHECK', 'WEB_SECURITY_JS_CHECK']) {
      expect(ours).not.toContain(id);
    }
  });
});
