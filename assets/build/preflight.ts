/**
 * What `npm run dist` checks before it spends minutes building: that the Electron binary for each
 * target can be had, that ffmpeg-static holds an ffmpeg for that platform and architecture, that the
 * Linux packages have their required metadata, and how signing will go. Each problem is one line
 * saying what to do. Pure where possible (targets, executable headers, signing summary), so tests
 * drive them without a network or a real build.
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

export type TargetPlatform = 'darwin' | 'win32' | 'linux';

export interface Target {
  platform: TargetPlatform;
  arch: string;
}

export const projectRoot = path.resolve(__dirname, '..', '..');
/** Resolves packages as the project does (works under tsx and vitest alike). */
const projectRequire = createRequire(path.join(projectRoot, 'package.json'));

const platformFlags: Record<string, TargetPlatform> = {
  '-m': 'darwin',
  '-o': 'darwin',
  '--mac': 'darwin',
  '--macos': 'darwin',
  '-w': 'win32',
  '--win': 'win32',
  '--windows': 'win32',
  '-l': 'linux',
  '--linux': 'linux',
};
const archFlags = ['--x64', '--ia32', '--armv7l', '--arm64', '--universal'];

/**
 * The platforms and architectures an electron-builder command line builds: its -m/-w/-l and
 * --x64/--arm64/… flags, else the host's, as electron-builder itself defaults.
 */
export function targetsFromArgs(args: readonly string[], host: { platform: string; arch: string }): Target[] {
  const platforms = [...new Set(args.filter((a) => a in platformFlags).map((a) => platformFlags[a]!))];
  const arches = [...new Set(args.filter((a) => archFlags.includes(a)).map((a) => a.slice(2)))];
  if (platforms.length === 0) {
    if (host.platform !== 'darwin' && host.platform !== 'win32' && host.platform !== 'linux') {
      throw new Error(`cannot build installers on ${host.platform}; use macOS, Windows or Linux`);
    }
    platforms.push(host.platform);
  }
  if (arches.includes('universal')) {
    throw new Error('universal macOS builds are not supported: ffmpeg-static holds one architecture; build --x64 and --arm64 separately');
  }
  if (arches.length === 0) arches.push(host.arch);
  return platforms.flatMap((platform) => arches.map((arch) => ({ platform, arch })));
}

/** Platform and CPU of an executable from its first bytes (ELF, Mach-O, PE); null when unknown. */
export function describeExecutable(head: Buffer): { platform: TargetPlatform; arch: string } | null {
  if (head.length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = head[5] === 2 ? head.readUInt16BE(18) : head.readUInt16LE(18);
    const arch = ({ 0x3e: 'x64', 0xb7: 'arm64', 0x28: 'armv7l', 0x03: 'ia32' } as Record<number, string>)[machine];
    return arch ? { platform: 'linux', arch } : null;
  }
  if (head.length >= 8 && head.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = head.readUInt32LE(4);
    const arch = cpu === 0x01000007 ? 'x64' : cpu === 0x0100000c ? 'arm64' : null;
    return arch ? { platform: 'darwin', arch } : null;
  }
  if (head.length >= 8 && head.readUInt32BE(0) === 0xcafebabe) return { platform: 'darwin', arch: 'universal' };
  if (head.length >= 0x40 && head.toString('latin1', 0, 2) === 'MZ') {
    const pe = head.readUInt32LE(0x3c);
    if (pe + 6 > head.length || head.toString('latin1', pe, pe + 4) !== 'PE\0\0') return null;
    const machine = head.readUInt16LE(pe + 4);
    const arch = ({ 0x8664: 'x64', 0x14c: 'ia32', 0xaa64: 'arm64' } as Record<number, string>)[machine];
    return arch ? { platform: 'win32', arch } : null;
  }
  return null;
}

function readHead(file: string, bytes = 4096): Buffer {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, fs.readSync(fd, buffer, 0, bytes, 0));
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The ffmpeg electron-builder will pack: `node_modules/ffmpeg-static/ffmpeg[.exe]` (the path the
 * packaged app resolves), which must exist and be built for the target.
 */
export function checkBundledFfmpeg(target: Target, packageDir: string | null): string | null {
  if (!packageDir) {
    return 'ffmpeg-static is not installed, so the installer would have no ffmpeg: run `npm install` on a machine with internet access (its install script downloads ffmpeg)';
  }
  const binary = path.join(packageDir, target.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  if (!fs.existsSync(binary)) {
    return `ffmpeg-static has no ${path.basename(binary)} (its install script did not run or could not download): run \`npm rebuild ffmpeg-static\` with internet access`;
  }
  const found = describeExecutable(readHead(binary));
  const wanted = `${target.platform}-${target.arch}`;
  if (!found) return `${binary} is not an executable this build can identify; reinstall ffmpeg-static`;
  if (found.platform !== target.platform || found.arch !== target.arch) {
    return `ffmpeg-static holds a ${found.platform}-${found.arch} ffmpeg, but this installer is for ${wanted}: build on a ${wanted} machine, or run \`npm_config_platform=${target.platform} npm_config_arch=${target.arch} npm rebuild ffmpeg-static\` first`;
  }
  return null;
}

/** Where ffmpeg-static is installed for this project, or null. */
export function findFfmpegStaticDir(root = projectRoot): string | null {
  try {
    return path.dirname(createRequire(path.join(root, 'package.json')).resolve('ffmpeg-static/package.json'));
  } catch {
    return null;
  }
}

/** electron-builder refuses a .deb without a homepage and a maintainer; say so before the build. */
export function checkLinuxMetadata(pkg: { homepage?: string; author?: unknown }, linuxMaintainer: unknown): string | null {
  const authorEmail = typeof pkg.author === 'object' && pkg.author !== null && 'email' in pkg.author;
  const authorString = typeof pkg.author === 'string' && /<[^>]+@[^>]+>/.test(pkg.author);
  const missing = [
    pkg.homepage ? null : '"homepage"',
    authorEmail || authorString || typeof linuxMaintainer === 'string' ? null : '"author" with an email (or linux.maintainer in electron-builder.yml)',
  ].filter(Boolean);
  return missing.length ? `the Linux .deb needs ${missing.join(' and ')} in package.json` : null;
}

export interface SigningReport {
  lines: string[];
  problems: string[];
}

const isSet = (env: Record<string, string | undefined>, name: string): boolean => Boolean(env[name]?.trim());

/**
 * How signing and notarization will go, from the same variables electron-builder reads. Only
 * whether each variable is set is ever printed — never a value (certificates, passwords).
 */
export function signingReport(targets: readonly Target[], env: Record<string, string | undefined>): SigningReport {
  const lines: string[] = [];
  const problems: string[] = [];
  const platforms = new Set(targets.map((t) => t.platform));
  if (platforms.has('darwin')) {
    lines.push(
      isSet(env, 'CSC_LINK')
        ? 'macOS signing: Developer ID certificate from CSC_LINK'
        : 'macOS signing: CSC_LINK not set — a Developer ID identity in the keychain is used if there is one, else the app is only ad-hoc signed (Gatekeeper blocks it on other Macs)',
    );
    const appleId = ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'];
    const apiKey = ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'];
    const partial = [appleId, apiKey].find((group) => group.some((n) => isSet(env, n)) && !group.every((n) => isSet(env, n)));
    if (partial) {
      problems.push(`notarization needs all of ${partial.join(', ')}; missing: ${partial.filter((n) => !isSet(env, n)).join(', ')}`);
    } else if (appleId.every((n) => isSet(env, n))) {
      lines.push('macOS notarization: on (APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD, APPLE_TEAM_ID)');
    } else if (apiKey.every((n) => isSet(env, n))) {
      lines.push('macOS notarization: on (App Store Connect API key)');
    } else if (isSet(env, 'APPLE_KEYCHAIN_PROFILE')) {
      lines.push('macOS notarization: on (APPLE_KEYCHAIN_PROFILE)');
    } else {
      lines.push('macOS notarization: skipped — set APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID to notarize');
    }
  }
  if (platforms.has('win32')) {
    const link = isSet(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : isSet(env, 'CSC_LINK') ? 'CSC_LINK' : null;
    lines.push(
      link
        ? `Windows signing: certificate from ${link}`
        : 'Windows signing: skipped — set WIN_CSC_LINK and WIN_CSC_KEY_PASSWORD to sign (unsigned installers get a SmartScreen warning)',
    );
  }
  if (platforms.has('linux')) lines.push('Linux: AppImage and deb are not code-signed');
  return { lines, problems };
}

/** First line of an error and of its cause, e.g. "fetch failed: getaddrinfo ENOTFOUND github.com". */
export function describeError(error: unknown): string {
  const first = (value: unknown): string => (value instanceof Error ? value.message : String(value)).split('\n')[0]!.trim();
  const cause = error instanceof Error && error.cause !== undefined ? `: ${first(error.cause)}` : '';
  return `${first(error)}${cause}`.slice(0, 240);
}

/** @electron/get resolved as electron-builder resolves it, so both share one download cache. */
function electronGet(): typeof import('@electron/get') {
  const fromBuilder = createRequire(projectRequire.resolve('app-builder-lib/package.json'));
  return fromBuilder('@electron/get') as typeof import('@electron/get');
}

export function electronVersion(root = projectRoot): string {
  const file = createRequire(path.join(root, 'package.json')).resolve('electron/package.json');
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string }).version;
}

/**
 * Fetches the Electron zip for the target the way electron-builder does (same library, same default
 * cache), so on a connected machine the build reuses it; anywhere else the reason is one line.
 */
export async function checkElectronDownload(
  target: Target,
  version: string,
  options: { mirror?: string; cacheRoot?: string } = {},
): Promise<string | null> {
  try {
    await electronGet().downloadArtifact({
      version,
      platform: target.platform,
      arch: target.arch,
      artifactName: 'electron',
      cacheRoot: options.cacheRoot,
      mirrorOptions: options.mirror ? { mirror: options.mirror } : undefined,
    });
    return null;
  } catch (error) {
    return `cannot download the Electron ${version} binary for ${target.platform}-${target.arch} (${describeError(error)}): build installers on a machine that can reach github.com, or set ELECTRON_MIRROR to a mirror it can reach`;
  }
}
