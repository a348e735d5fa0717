/**
 * Serving the built UI (`dist/renderer`) read-only: GET/HEAD only, no directory listings, no path
 * escapes, the strict CSP on every response. Path resolution is a pure function with its own tests;
 * the Electron app:// protocol uses the same resolver, so both hosts serve exactly the same files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a URL path to a file under `root`, or null when it would escape the root or is malformed.
 * `/` and extension-less paths (client-side routes) map to index.html.
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?', 1)[0]!.split('#', 1)[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Refuse rather than clamp: a request that climbs out of the root is not a request for the UI.
  if (decoded.split('/').some((part) => part === '..')) return null;
  const normalized = path.posix.normalize(`/${decoded}`);
  const relative = normalized === '/' || path.posix.extname(normalized) === '' ? 'index.html' : normalized.slice(1);
  const absoluteRoot = path.resolve(root);
  const file = path.resolve(absoluteRoot, relative);
  if (file !== absoluteRoot && !file.startsWith(absoluteRoot + path.sep)) return null;
  return file;
}

export interface StaticFile {
  status: 200 | 404;
  contentType: string;
  body: Buffer;
  cacheControl: string;
}

const notBuilt = (root: string) =>
  `The studio UI has not been built (nothing at ${root}). Run "npm run build", then start the studio again.\n`;

/** Reads the file a URL path names; a missing build says how to fix it instead of a bare 404. */
export async function readStaticFile(root: string, urlPath: string): Promise<StaticFile> {
  const file = resolveStaticPath(root, urlPath);
  const missing = (text: string): StaticFile => ({ status: 404, contentType: 'text/plain; charset=utf-8', body: Buffer.from(text), cacheControl: 'no-store' });
  if (!file) return missing('Not found.\n');
  try {
    const body = await fs.promises.readFile(file);
    // Vite names everything under assets/ by content hash; anything else may change with a rebuild.
    const hashed = path.relative(path.resolve(root), file).split(path.sep)[0] === 'assets';
    return { status: 200, contentType: contentTypeFor(file), body, cacheControl: hashed ? 'public, max-age=31536000, immutable' : 'no-cache' };
  } catch {
    if (!fs.existsSync(path.join(root, 'index.html'))) return missing(notBuilt(root));
    return missing('Not found.\n');
  }
}

/** The project (or packaged app) root: the nearest folder above this file with the studio's package.json. */
export function packageRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (manifest.name === 'ivs-studio') return dir;
    } catch {
      // no package.json here: keep walking up
    }
    if (path.dirname(dir) === dir) throw new Error(`no ivs-studio package.json above ${from}`);
  }
}

/** Where the built UI lives: dist/renderer under the package root (source and compiled code alike). */
export function defaultRendererRoot(): string {
  return path.join(packageRoot(), 'dist', 'renderer');
}
