import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from './content-security-policy';
import { packageRoot, readStaticFile, resolveStaticPath } from './static-files';

const root = path.resolve('/srv/ui');

describe('resolveStaticPath', () => {
  it.each([
    ['/', 'index.html'],
    ['/index.html', 'index.html'],
    ['/assets/app-1234.js', 'assets/app-1234.js'],
    ['/assets/app%2D1.js', 'assets/app-1.js'],
    ['/scenes', 'index.html'],
    ['/index.html?x=1#y', 'index.html'],
  ])('%s → %s', (url, relative) => {
    expect(resolveStaticPath(root, url)).toBe(path.join(root, relative));
  });

  it.each([['/../secret.txt'], ['/assets/../../etc/passwd'], ['/%2e%2e/%2e%2e/etc/passwd'], ['/a\\..\\b.js'], ['/x%00.js'], ['/%E0%A4%A']])('refuses %s', (url) => {
    expect(resolveStaticPath(root, url)).toBeNull();
  });
});

describe('readStaticFile', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-static-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('says how to build the UI when it is missing', async () => {
    const file = await readStaticFile(path.join(dir, 'nothing'), '/');
    expect(file.status).toBe(404);
    expect(file.body.toString()).toMatch(/npm run build/);
  });

  it('serves files with their type; hashed assets are cacheable, the rest revalidated', async () => {
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html>');
    fs.writeFileSync(path.join(dir, 'assets', 'a-1.js'), 'x');
    expect(await readStaticFile(dir, '/')).toMatchObject({ status: 200, contentType: 'text/html; charset=utf-8', cacheControl: 'no-cache' });
    expect(await readStaticFile(dir, '/assets/a-1.js')).toMatchObject({ status: 200, contentType: 'text/javascript; charset=utf-8', cacheControl: expect.stringContaining('immutable') });
    expect(await readStaticFile(dir, '/assets/missing.js')).toMatchObject({ status: 404 });
  });

  it('finds the package root from source', () => {
    expect(fs.existsSync(path.join(packageRoot(), 'package.json'))).toBe(true);
  });
});

describe('content security policy', () => {
  it('allows no inline script, eval, plugins or framing', () => {
    const csp = buildContentSecurityPolicy();
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'(;|$)/);
    expect(csp).not.toMatch(/unsafe-inline|'unsafe-eval'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("base-uri 'none'");
  });
});
