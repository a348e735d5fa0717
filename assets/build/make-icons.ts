/**
 * Renders the checked-in app and document icons from the SVG sources in assets/:
 *
 *   npx tsx assets/build/make-icons.ts
 *
 * Run it after editing an SVG and commit the results; CI never runs it. Chromium (the same one the
 * UI tests use) rasterises each size from the vector source — no ImageMagick, and small sizes are
 * drawn from `icon-small.svg`, a simplified mark that stays legible at 16–32 px.
 *
 * Outputs: icon.png (1024, Linux/Windows tile), icons/NxN.png (Linux), icon.ico (Windows),
 * icon.icns (macOS: the tile inset on Apple's icon grid with its shadow), and .icns/.ico document
 * icons for the two file types the studio opens (electron-builder looks for `<ext>.icns`/`<ext>.ico`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { encodeIcns, encodeIco, icnsPngTypes, type IcnsType } from './icon-containers';

const assets = path.resolve(__dirname, '..');
const svg = (name: string): string => fs.readFileSync(path.join(assets, name), 'utf8');

type Style = 'tile' | 'mac' | 'document';

/** Full-size art for large icons, the simplified mark at 32 px and below. */
function artFor(source: 'app' | 'scenes' | 'cues', size: number): string {
  if (source === 'scenes') return svg('document-scenes.svg');
  if (source === 'cues') return svg('document-cues.svg');
  return size <= 32 ? svg('icon-small.svg') : svg('icon.svg');
}

/**
 * One square image, `size` px, transparent outside the art.
 * - tile: the rounded tile with a 3% margin (Windows, Linux).
 * - mac: the tile at 824/1024 of the canvas with a soft shadow, as Apple's macOS icon grid asks.
 * - document: the page art as drawn (it carries its own margins and shadow).
 */
async function render(page: Page, art: string, size: number, style: Style): Promise<Buffer> {
  const inset = style === 'mac' ? (100 / 1024) * size : style === 'tile' ? (32 / 1024) * size : 0;
  const box = size - 2 * inset;
  // Below 64 px a shadow only smudges the edge.
  const shadow = style === 'mac' && size >= 64 ? `filter: drop-shadow(0 ${size * 0.01}px ${size * 0.014}px rgba(0,0,0,0.35));` : '';
  const src = `data:image/svg+xml;base64,${Buffer.from(art).toString('base64')}`;
  await page.setViewportSize({ width: size, height: size });
  await page.setContent(
    `<!doctype html><html><body style="margin:0;background:transparent;overflow:hidden">` +
      `<img src="${src}" style="position:absolute;left:${inset}px;top:${inset}px;width:${box}px;height:${box}px;${shadow}">` +
      `</body></html>`,
  );
  await page.waitForFunction(() => Array.from(document.images).every((img) => img.complete && img.naturalWidth > 0));
  return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
}

async function icnsFor(page: Page, source: 'app' | 'scenes' | 'cues', style: Style): Promise<Buffer> {
  const types = Object.keys(icnsPngTypes) as IcnsType[];
  const cache = new Map<number, Buffer>();
  const elements = [];
  for (const type of types) {
    const size = icnsPngTypes[type];
    if (!cache.has(size)) cache.set(size, await render(page, artFor(source, size), size, style));
    elements.push({ type, png: cache.get(size)! });
  }
  return encodeIcns(elements);
}

async function icoFor(page: Page, source: 'app' | 'scenes' | 'cues', style: Style): Promise<Buffer> {
  const entries = [];
  for (const size of [16, 24, 32, 48, 64, 128, 256]) entries.push({ size, png: await render(page, artFor(source, size), size, style) });
  return encodeIco(entries);
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  try {
    const page = await browser.newPage({ deviceScaleFactor: 1 });
    const write = (name: string, data: Buffer): void => {
      fs.mkdirSync(path.dirname(path.join(assets, name)), { recursive: true });
      fs.writeFileSync(path.join(assets, name), data);
      process.stdout.write(`wrote assets/${name} (${data.length} bytes)\n`);
    };
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const png = await render(page, artFor('app', size), size, 'tile');
      write(`icons/${size}x${size}.png`, png);
      if (size === 1024) write('icon.png', png);
    }
    write('icon.ico', await icoFor(page, 'app', 'tile'));
    write('icon.icns', await icnsFor(page, 'app', 'mac'));
    for (const [ext, source] of [['ivsscenes', 'scenes'], ['ivscues', 'cues']] as const) {
      write(`${ext}.icns`, await icnsFor(page, source, 'document'));
      write(`${ext}.ico`, await icoFor(page, source, 'document'));
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`make-icons: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
