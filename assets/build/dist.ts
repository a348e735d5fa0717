/**
 * `npm run dist [-- <electron-builder flags>]`: the installer for this platform (or for -m/-w/-l and
 * --x64/--arm64 when given), from electron-builder.yml.
 *
 * It first checks what would otherwise fail deep inside electron-builder with a stack trace — the
 * Electron binary cannot be downloaded, ffmpeg-static has no ffmpeg for the target, the .deb lacks
 * metadata, notarization variables are half set — and stops with one line per problem. Then it
 * builds the app (`npm run build`) and hands the flags to electron-builder, publishing nothing unless
 * a --publish flag says so. `--check` stops after the checks.
 *
 * It lives here, beside the other build resources, and not in src-main/cli: that CLI ships inside
 * the app for users, while this is a developer task that must run before the app exists.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { load } from 'js-yaml';
import {
  checkBundledFfmpeg,
  checkElectronDownload,
  checkLinuxMetadata,
  electronVersion,
  findFfmpegStaticDir,
  projectRoot,
  signingReport,
  targetsFromArgs,
  type Target,
} from './preflight';

const say = (line: string): void => void process.stdout.write(`npm run dist: ${line}\n`);
const fail = (line: string): void => void process.stderr.write(`npm run dist: ${line}\n`);

async function problemsFor(targets: Target[]): Promise<string[]> {
  const problems: string[] = [];
  const version = electronVersion();
  for (const target of targets) {
    const electron = await checkElectronDownload(target, version);
    if (electron) problems.push(electron);
    const ffmpeg = checkBundledFfmpeg(target, findFfmpegStaticDir());
    if (ffmpeg) problems.push(ffmpeg);
  }
  if (targets.some((t) => t.platform === 'linux')) {
    const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { homepage?: string; author?: unknown };
    const config = load(fs.readFileSync(path.join(projectRoot, 'electron-builder.yml'), 'utf8')) as { linux?: { maintainer?: unknown } };
    const metadata = checkLinuxMetadata(pkg, config.linux?.maintainer);
    if (metadata) problems.push(metadata);
  }
  const signing = signingReport(targets, process.env);
  signing.lines.forEach(say);
  return [...new Set([...problems, ...signing.problems])];
}

function run(command: string, args: string[]): number {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  if (result.error) {
    fail(`could not start ${command}: ${result.error.message}`);
    return 1;
  }
  return result.status ?? 1;
}

async function main(argv: string[]): Promise<number> {
  const checkOnly = argv.includes('--check');
  const builderArgs = argv.filter((a) => a !== '--check');
  let targets: Target[];
  try {
    targets = targetsFromArgs(builderArgs, { platform: process.platform, arch: process.arch });
  } catch (error) {
    fail((error as Error).message);
    return 2;
  }
  say(`checking ${targets.map((t) => `${t.platform}-${t.arch}`).join(', ')}`);
  const problems = await problemsFor(targets);
  if (problems.length > 0) {
    problems.forEach(fail);
    return 1;
  }
  if (checkOnly) {
    say('ready to build');
    return 0;
  }
  if (run('npm', ['run', '--silent', 'build']) !== 0) {
    fail('`npm run build` failed (its output is above)');
    return 1;
  }
  const publish = builderArgs.some((a) => a === '-p' || a === '--publish' || a.startsWith('--publish=')) ? [] : ['--publish', 'never'];
  const builderCli = require.resolve('electron-builder/cli.js', { paths: [projectRoot] });
  const status = run(process.execPath, [builderCli, ...builderArgs, ...publish]);
  if (status !== 0) fail('electron-builder failed (its output is above; DEBUG=electron-builder shows more)');
  else say(`installers are in ${path.join(projectRoot, 'release')}`);
  return status;
}

// Exit explicitly once output is flushed: the HTTP client inside @electron/get 3 (got) keeps a timer
// alive for ~30 s after a failed download, which would hold the prompt for no reason.
const exit = (code: number): void => void process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
main(process.argv.slice(2)).then(exit, (error: unknown) => {
  fail(`unexpected failure: ${(error as Error)?.message ?? String(error)}`);
  exit(1);
});
