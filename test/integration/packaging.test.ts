/**
 * Installers (issue 10): electron-builder.yml against electron-builder's own schema, every file it
 * references, the fuses, the checked-in icons, the bundled-ffmpeg lookup in a packaged layout on the
 * real file system, the auto-update switch, and `npm run dist`'s checks (a real @electron/get
 * against a mirror on 127.0.0.1, and the real command failing in one line where Electron cannot be
 * downloaded).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { load } from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeIcns, decodeIco, icnsPngTypes, readPngInfo } from '../../assets/build/icon-containers';
import {
  checkBundledFfmpeg,
  checkElectronDownload,
  checkLinuxMetadata,
  describeExecutable,
  electronVersion,
  signingReport,
  targetsFromArgs,
} from '../../assets/build/preflight';
import { planAutoUpdate } from '../../src-main/app/auto-update';
import { isExecutableFile, resolveFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';

const root = path.resolve(__dirname, '..', '..');
const projectRequire = createRequire(path.join(root, 'package.json'));
/** Packages electron-builder itself uses, resolved from where it resolves them. */
const builderRequire = createRequire(projectRequire.resolve('app-builder-lib/package.json'));

type Config = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- free-form YAML checked by the schema
const config = load(fs.readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  version: string;
  scripts: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
};
const buildResources = path.join(root, config.directories?.buildResources ?? 'build');

let compiled: ReturnType<Ajv['compile']> | undefined;
function validator(): ReturnType<Ajv['compile']> {
  if (compiled) return compiled;
  const schema = JSON.parse(fs.readFileSync(projectRequire.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
  // The options electron-builder validates with, minus coerceTypes: the file must be right as written.
  compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  return compiled;
}

/** electron-builder's lookup for a resource path: the build-resources folder first, then the project. */
function resolveResource(file: string): string | null {
  for (const candidate of [path.resolve(buildResources, file), path.resolve(root, file)]) {
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own configuration schema", () => {
    const validate = validator();
    const valid = validate(config);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check catches a misspelt option and a wrong type', () => {
    const validate = validator();
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntme: true } })).toBe(false);
    expect(validate({ ...config, nsis: { ...config.nsis, perMachine: 'no' } })).toBe(false);
  });

  it('sets every fuse the issue asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
  });

  it('references only files that exist', () => {
    const pathKeys = new Set(['icon', 'entitlements', 'entitlementsInherit', 'license', 'from', 'background', 'installerIcon', 'uninstallerIcon', 'installerHeaderIcon', 'requirements']);
    const referenced: string[] = [];
    const walk = (value: unknown, key: string, inFileAssociation: boolean): void => {
      if (Array.isArray(value)) return value.forEach((item) => walk(item, key, inFileAssociation));
      if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) walk(v, k, inFileAssociation || key === 'fileAssociations');
        return;
      }
      if (typeof value !== 'string' || !pathKeys.has(key)) return;
      // A file association's icon names <icon>.icns for macOS and <icon>.ico for Windows.
      referenced.push(...(inFileAssociation && key === 'icon' ? [`${value}.icns`, `${value}.ico`] : [value]));
    };
    walk(config, '', false);
    expect(referenced).toEqual(
      expect.arrayContaining(['assets/icon.icns', 'assets/icon.ico', 'assets/icons', 'assets/entitlements.mac.plist', 'assets/licenses', 'ivsscenes.icns', 'ivscues.ico']),
    );
    const missing = referenced.filter((file) => resolveResource(file) === null);
    expect(missing).toEqual([]);
  });

  it('macOS: dmg + zip, hardened runtime, entitlements and usage texts for camera, microphone and screen', () => {
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg', 'zip']));
    expect(config.mac.hardenedRuntime).toBe(true);
    for (const key of ['NSCameraUsageDescription', 'NSMicrophoneUsageDescription', 'NSScreenCaptureUsageDescription']) {
      expect(config.mac.extendInfo[key], key).toMatch(/^IVS Studio .{20,}/);
    }
    const plist = fs.readFileSync(resolveResource(config.mac.entitlements)!, 'utf8');
    const granted = [...plist.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(granted.sort()).toEqual(['com.apple.security.cs.allow-jit', 'com.apple.security.device.audio-input', 'com.apple.security.device.camera']);
    expect(plist).toMatch(/^<\?xml[^]*<plist version="1.0">\s*<dict>[^]*<\/dict>\s*<\/plist>\s*$/);
    // ffmpeg opens the camera and microphone: the binaries signed inside the app get the same grants.
    expect(config.mac.entitlementsInherit).toBe(config.mac.entitlements);
  });

  it('Windows: a per-user NSIS installer', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false });
  });

  it('Linux: AppImage and deb with a desktop entry and the libsecret dependency', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.linux.desktop.entry).toMatchObject({ Name: 'IVS Studio' });
    expect(config.linux.desktop.entry.Categories).toMatch(/AudioVideo/);
    expect(config.deb.depends).toContain('libsecret-1-0');
    // electron-builder wants the size in each Linux icon's file name; each must really be that size.
    const dir = resolveResource(config.linux.icon)!;
    const sizes = fs.readdirSync(dir).map((name) => {
      const match = /^(\d+)x(\d+)\.png$/.exec(name);
      expect(match, name).not.toBeNull();
      const info = readPngInfo(fs.readFileSync(path.join(dir, name)));
      expect([info.width, info.height], name).toEqual([Number(match![1]), Number(match![2])]);
      return info.width;
    });
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 64, 128, 256, 512, 1024]));
  });

  it('opens exported scene collections and cue boards', () => {
    const byExt = Object.fromEntries((config.fileAssociations as { ext: string; mimeType: string }[]).map((a) => [a.ext, a]));
    expect(Object.keys(byExt).sort()).toEqual(['ivscues', 'ivsscenes']);
    expect(byExt.ivsscenes!.mimeType).toMatch(/^application\/x-/);
  });

  it('ships ffmpeg from ffmpeg-static unpacked from the asar, with its licence notice', () => {
    const { minimatch } = builderRequire('minimatch') as { minimatch: (p: string, pattern: string, o: object) => boolean };
    const unpacked = (file: string): boolean => (config.asarUnpack as string[]).some((pattern) => minimatch(file, pattern, { dot: true }));
    for (const file of ['node_modules/ffmpeg-static/ffmpeg', 'node_modules/ffmpeg-static/ffmpeg.exe', 'node_modules/ffmpeg-static/ffmpeg.LICENSE']) {
      expect(unpacked(file), file).toBe(true);
    }
    expect(unpacked('node_modules/ffmpeg-static/index.js')).toBe(false);
    expect(pkg.optionalDependencies?.['ffmpeg-static']).toBeDefined();
    expect(pkg.allowScripts?.['ffmpeg-static']).toBe(true); // its install script is what downloads ffmpeg
    const shipped = (config.extraResources as { from: string; to: string }[]).find((r) => r.to === 'licenses')!;
    const notice = fs.readFileSync(path.join(resolveResource(shipped.from)!, 'ffmpeg-LICENSE.txt'), 'utf8');
    expect(notice).toContain(`ffmpeg-static ${pkg.optionalDependencies!['ffmpeg-static']}`);
    expect(notice).toMatch(/GNU GENERAL PUBLIC LICENSE\s+Version 3, 29 June 2007/);
    expect(notice).toContain('END OF TERMS AND CONDITIONS');
  });

  it('publishes nothing by default, so auto-update stays off', () => {
    expect(config.publish).toBeNull();
    expect(pkg.scripts.dist).toContain('assets/build/dist.ts');
  });
});

describe('icons', () => {
  it('icon.png is a 1024 px PNG', () => {
    expect(readPngInfo(fs.readFileSync(path.join(buildResources, 'icon.png')))).toEqual({ width: 1024, height: 1024 });
  });

  it.each(['icon.ico', 'ivsscenes.ico', 'ivscues.ico'])('%s holds PNG images from 16 to 256 px', (file) => {
    const entries = decodeIco(fs.readFileSync(path.join(buildResources, file)));
    expect(entries.map((e) => e.size)).toEqual([16, 24, 32, 48, 64, 128, 256]);
    for (const entry of entries) expect(readPngInfo(entry.png)).toEqual({ width: entry.size, height: entry.size });
  });

  it.each(['icon.icns', 'ivsscenes.icns', 'ivscues.icns'])('%s holds every size up to 1024 px', (file) => {
    const elements = decodeIcns(fs.readFileSync(path.join(buildResources, file)));
    expect(elements.map((e) => e.type).sort()).toEqual(Object.keys(icnsPngTypes).sort());
    for (const element of elements) {
      const size = icnsPngTypes[element.type as keyof typeof icnsPngTypes];
      expect(readPngInfo(element.data), element.type).toEqual({ width: size, height: size });
    }
  });
});

describe('bundled ffmpeg in a packaged layout (real file system)', () => {
  let dir: string;
  let bundled: string;
  let unpacked: string;
  let onPath: string;
  const exe = process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg';

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-packaged-'));
    const resources = path.join(dir, 'IVS Studio', 'resources');
    fs.mkdirSync(resources, { recursive: true });
    // In an installed app app.asar is a single archive file: the path ffmpeg-static reports from
    // inside it does not exist on disk. electron-builder puts the real binary in app.asar.unpacked.
    fs.writeFileSync(path.join(resources, 'app.asar'), 'asar archive stand-in');
    bundled = path.join(resources, 'app.asar', 'node_modules', 'ffmpeg-static', exe);
    unpacked = path.join(resources, 'app.asar.unpacked', 'node_modules', 'ffmpeg-static', exe);
    fs.mkdirSync(path.dirname(unpacked), { recursive: true });
    fs.writeFileSync(unpacked, '#!/bin/sh\necho bundled\n', { mode: 0o755 });
    onPath = path.join(dir, 'bin');
    fs.mkdirSync(onPath);
    fs.writeFileSync(path.join(onPath, exe), '#!/bin/sh\necho path\n', { mode: 0o755 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const resolve = () =>
    resolveFfmpeg({ env: { PATH: onPath, Path: onPath }, platform: process.platform, bundledPath: bundled, isExecutable: isExecutableFile });

  it('finds the unpacked copy before the ffmpeg on PATH', () => {
    expect(fs.existsSync(bundled)).toBe(false);
    expect(resolve()).toEqual({ path: unpacked, source: 'bundled' });
  });

  it.runIf(process.platform !== 'win32')('falls back to PATH when the unpacked file is not executable', () => {
    fs.chmodSync(unpacked, 0o644);
    try {
      expect(resolve()).toEqual({ path: path.join(onPath, exe), source: 'path' });
    } finally {
      fs.chmodSync(unpacked, 0o755);
    }
  });
});

describe('auto-update switch', () => {
  let resources: string;
  beforeAll(() => {
    resources = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-resources-'));
  });
  afterAll(() => fs.rmSync(resources, { recursive: true, force: true }));

  it('is off without app-update.yml (no publish target), on with it', () => {
    const facts = { isPackaged: true, resourcesPath: resources, platform: 'darwin' as const, env: {} };
    expect(planAutoUpdate(facts)).toEqual({ enabled: false, reason: expect.stringContaining('no publish target') });
    fs.writeFileSync(path.join(resources, 'app-update.yml'), 'provider: generic\nurl: https://updates.example.invalid/\n');
    expect(planAutoUpdate(facts)).toEqual({ enabled: true, configFile: path.join(resources, 'app-update.yml') });
    expect(planAutoUpdate({ ...facts, isPackaged: false }).enabled).toBe(false);
    expect(planAutoUpdate({ ...facts, env: { IVS_STUDIO_DISABLE_AUTO_UPDATE: '1' } }).enabled).toBe(false);
    // Linux: only an AppImage or a system package can replace itself.
    expect(planAutoUpdate({ ...facts, platform: 'linux' }).enabled).toBe(false);
    expect(planAutoUpdate({ ...facts, platform: 'linux', env: { APPIMAGE: '/opt/IVS.AppImage' } }).enabled).toBe(true);
    fs.writeFileSync(path.join(resources, 'package-type'), 'deb');
    expect(planAutoUpdate({ ...facts, platform: 'linux' }).enabled).toBe(true);
  });
});

describe('npm run dist checks', () => {
  it.each([
    [[], { platform: 'linux', arch: 'x64' }, [{ platform: 'linux', arch: 'x64' }]],
    [['--mac', '--arm64'], { platform: 'linux', arch: 'x64' }, [{ platform: 'darwin', arch: 'arm64' }]],
    [['-w', '-l', '--x64'], { platform: 'darwin', arch: 'arm64' }, [{ platform: 'win32', arch: 'x64' }, { platform: 'linux', arch: 'x64' }]],
  ])('targets for %j on %j', (args, host, expected) => {
    expect(targetsFromArgs(args, host)).toEqual(expected);
  });

  it('refuses a universal macOS build (ffmpeg-static holds one architecture)', () => {
    expect(() => targetsFromArgs(['--mac', '--universal'], { platform: 'darwin', arch: 'arm64' })).toThrow(/--x64 and --arm64 separately/);
  });

  it('identifies executables by their headers', () => {
    const macho = Buffer.alloc(32);
    macho.writeUInt32LE(0xfeedfacf, 0);
    macho.writeUInt32LE(0x0100000c, 4);
    expect(describeExecutable(macho)).toEqual({ platform: 'darwin', arch: 'arm64' });
    const pe = Buffer.alloc(256);
    pe.write('MZ', 0, 'latin1');
    pe.writeUInt32LE(0x80, 0x3c);
    pe.write('PE\0\0', 0x80, 'latin1');
    pe.writeUInt16LE(0x8664, 0x84);
    expect(describeExecutable(pe)).toEqual({ platform: 'win32', arch: 'x64' });
    expect(describeExecutable(Buffer.from('#!/bin/sh\n'))).toBeNull();
  });

  it.runIf(process.platform === 'linux' && fs.existsSync('/usr/bin/ffmpeg'))('checks that the bundled ffmpeg exists and fits the target', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-ffmpeg-static-'));
    try {
      const linuxX64 = { platform: 'linux' as const, arch: process.arch };
      expect(checkBundledFfmpeg(linuxX64, null)).toMatch(/ffmpeg-static is not installed/);
      expect(checkBundledFfmpeg(linuxX64, dir)).toMatch(/has no ffmpeg/);
      // The head of a real ELF executable is all the check reads.
      const fd = fs.openSync('/usr/bin/ffmpeg', 'r');
      const head = Buffer.alloc(4096);
      fs.readSync(fd, head, 0, head.length, 0);
      fs.closeSync(fd);
      fs.writeFileSync(path.join(dir, 'ffmpeg'), head, { mode: 0o755 });
      expect(checkBundledFfmpeg(linuxX64, dir)).toBeNull();
      expect(checkBundledFfmpeg({ platform: 'darwin', arch: 'arm64' }, dir)).toMatch(
        new RegExp(`holds a linux-${process.arch} ffmpeg, but this installer is for darwin-arm64`),
      );
      expect(checkBundledFfmpeg({ platform: 'win32', arch: 'x64' }, dir)).toMatch(/has no ffmpeg\.exe/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains the .deb metadata electron-builder requires', () => {
    expect(checkLinuxMetadata({}, undefined)).toMatch(/"homepage" and "author" with an email/);
    expect(checkLinuxMetadata({ homepage: 'https://example.org', author: { name: 'A', email: 'a@example.org' } }, undefined)).toBeNull();
    expect(checkLinuxMetadata({ homepage: 'https://example.org' }, 'Team <team@example.org>')).toBeNull();
  });

  it('reports signing and notarization from the environment without ever printing a value', () => {
    const mac = [{ platform: 'darwin' as const, arch: 'arm64' }];
    expect(signingReport(mac, {}).lines.join('\n')).toMatch(/notarization: skipped/);
    const partial = signingReport(mac, { APPLE_ID: 'dev@example.org', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop' });
    expect(partial.problems).toEqual([expect.stringContaining('missing: APPLE_TEAM_ID')]);
    const secrets = { CSC_LINK: 'MIIKcert-base64', CSC_KEY_PASSWORD: 'p12-password', APPLE_ID: 'dev@example.org', APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop', APPLE_TEAM_ID: 'TEAM123456', WIN_CSC_LINK: 'C:\\cert.pfx' };
    const full = signingReport([...mac, { platform: 'win32', arch: 'x64' }], secrets);
    expect(full.problems).toEqual([]);
    expect(full.lines.join('\n')).toMatch(/notarization: on/);
    expect(full.lines.join('\n')).toMatch(/Windows signing: certificate from WIN_CSC_LINK/);
    for (const value of Object.values(secrets)) expect(full.lines.join('\n')).not.toContain(value);
  });
});

describe('Electron download check (real @electron/get, mirror on 127.0.0.1)', () => {
  const version = electronVersion();
  const target = { platform: 'linux' as const, arch: 'x64' };
  const zipName = `electron-v${version}-linux-x64.zip`;
  const zip = Buffer.from('not really electron, but the checksum matches');
  let server: http.Server;
  let mirror: string;
  let cacheRoot: string;
  const requested: string[] = [];
  const saved: Record<string, string | undefined> = {};

  beforeAll(async () => {
    // The machine's own mirror settings would override the one under test.
    for (const name of Object.keys(process.env).filter((n) => /electron_(mirror|custom_dir|custom_filename)/i.test(n))) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
    cacheRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-electron-cache-'));
    const sha = createHash('sha256').update(zip).digest('hex');
    server = http.createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url?.endsWith('/SHASUMS256.txt')) return void res.end(`${sha} *${zipName}\n`);
      if (req.url?.endsWith(`/${zipName}`)) return void res.end(zip);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    Object.assign(process.env, saved);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(cacheRoot, { recursive: true, force: true });
  });

  it('passes when the zip can be fetched and verified, and caches it for electron-builder', async () => {
    expect(await checkElectronDownload(target, version, { mirror, cacheRoot })).toBeNull();
    expect(requested).toEqual(expect.arrayContaining([`/v${version}/${zipName}`, `/v${version}/SHASUMS256.txt`]));
    const cached = fs.readdirSync(cacheRoot, { recursive: true }).map(String);
    expect(cached.some((f) => f.endsWith(zipName))).toBe(true);
  });

  it('fails in one line when the download is impossible', async () => {
    const closed = await closedPort();
    const problem = await checkElectronDownload(target, version, { mirror: `http://127.0.0.1:${closed}/`, cacheRoot: path.join(cacheRoot, 'empty') });
    expect(problem).toMatch(new RegExp(`^cannot download the Electron ${version.replace(/\./g, '\\.')} binary for linux-x64 \\(.*ECONNREFUSED`));
    expect(problem).not.toContain('\n');
  });

  it('`npm run dist` stops with one line per problem, not a stack trace, where Electron cannot be downloaded', async () => {
    const closed = await closedPort();
    const result = await run('npm', ['run', '--silent', 'dist', '--', '--linux', '--x64'], {
      ...process.env,
      ELECTRON_MIRROR: `http://127.0.0.1:${closed}/`,
    });
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n');
    expect(lines.every((line) => line.startsWith('npm run dist: ')), result.stderr).toBe(true);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/Electron .* binary for linux-x64 \(.*ECONNREFUSED/)]));
    expect(result.stderr + result.stdout).not.toMatch(/^\s+at /m);
    expect(result.stdout).not.toMatch(/electron-builder +version/); // it never got as far as building
  }, 60_000);
});

async function closedPort(): Promise<number> {
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
