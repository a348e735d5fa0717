/**
 * `ivs-studio live` as a user runs it (from source, through tsx): the real engine, the real program
 * ffmpeg, the embedded local channel or a local channel in another process, a real recording.
 *   - default target (embedded local channel): one JSON stats line per second, the recording decodes,
 *     the scene collection is put back, the key is in no process's argv/environment and no log;
 *   - --ingest + --stream-key-stdin (+ --ca-file) with the ingest killed for 5 s mid-stream: back within
 *     3 s of its return, the reconnect and its duration in the stats lines, and the simultaneous
 *     recording has no gap;
 *   - bad usage exits 2 with the reason; a refused key exits 1 and never shows the key.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutputStats } from '../../src-main/contract/domains/stream';
import { findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { fixedPorts, startLocalChannelProcess } from '../support/local-channel-process';
import { descendantsOf, isAlive } from '../support/process-tree';
import { findSecret } from '../support/secret-scan';
import { until } from '../support/until';
import { testPatternScene } from '../support/scene-fixtures';

const repoRoot = path.resolve(__dirname, '../..');
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'live-cli-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(root, { recursive: true, force: true });
});

const smallScene = testPatternScene();

interface StatsLine {
  at: string;
  state: string;
  output: OutputStats;
  program: { fps: number; frames: number } | null;
}

interface LiveRun {
  child: ChildProcess;
  lines: StatsLine[];
  stdout: () => string;
  stderr: () => string;
  /** Stderr lines with when they arrived. */
  events: Array<{ at: number; text: string }>;
  exited: Promise<number | null>;
}

function startLive(args: string[], stdin?: string): LiveRun {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', "require('./src-main/cli/main').main(process.argv.slice(1))", 'live', ...args], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  child.stdin!.end(stdin ?? '');
  const lines: StatsLine[] = [];
  const events: Array<{ at: number; text: string }> = [];
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as StatsLine));
  readline.createInterface({ input: child.stderr! }).on('line', (text) => events.push({ at: Date.now(), text }));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => (children.delete(child), resolve(code))));
  return { child, lines, stdout: () => out, stderr: () => err, events, exited };
}

function localKey(dataDir: string): string | undefined {
  try {
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'local-channel', 'state.json'), 'utf8')) as { streamKeys: Array<{ value: string }> };
    return state.streamKeys[0]?.value;
  } catch {
    return undefined;
  }
}

/** Video packet times (s) of a recording, from ffprobe. */
function videoPacketTimes(file: string): number[] {
  const probe = spawnSync(findFfprobe(), ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'packet=pts_time', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  expect(probe.stderr).toBe('');
  return probe.stdout
    .split('\n')
    .filter(Boolean)
    .map(Number)
    .sort((a, b) => a - b);
}

function codecs(file: string): string[] {
  const probe = spawnSync(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  return probe.stdout.split('\n').filter(Boolean).sort();
}

describe('ivs-studio live', () => {
  it('goes live to the embedded local channel: stats lines, a decodable recording, no key anywhere, scenes put back', async () => {
    const dataDir = path.join(root, 'embedded');
    const sceneFile = path.join(root, 'scene.json');
    fs.writeFileSync(sceneFile, JSON.stringify(smallScene));
    const recording = path.join(root, 'embedded.mkv');
    const run = startLive(['--scene', sceneFile, '--data-dir', dataDir, '--duration', '7', '--record', recording]);
    await until(() => run.lines.some((l) => l.state === 'live' && l.output.bytesAcked > 0), 60_000, 'live stats with acknowledged bytes');
    // While live: the key is in no command line, no environment and no log of any process.
    const key = localKey(dataDir);
    expect(key).toBeDefined();
    expect(findSecret(key!, [path.join(dataDir, 'logs')], { allowMissing: true })).toEqual([]);
    const ffmpegChildren = descendantsOf(run.child.pid!).filter((p) => p.comm === 'ffmpeg');
    expect(ffmpegChildren.length).toBeGreaterThanOrEqual(1);
    expect(await run.exited).toBe(0);

    expect(ffmpegChildren.filter((p) => isAlive(p.pid))).toEqual([]);
    expect(run.stderr()).toContain('ivs-studio live: live on Local channel · default (rtmps://127.0.0.1:');
    expect(run.stderr()).not.toContain(key!);
    // stdout: only JSON lines, about one a second, each with output and program figures.
    expect(run.stdout().trim().split('\n').length).toBe(run.lines.length);
    const live = run.lines.filter((l) => l.state === 'live');
    expect(live.length).toBeGreaterThanOrEqual(4);
    const sent = live.map((l) => l.output.bytesSent);
    expect(sent.every((b, i) => i === 0 || b > sent[i - 1]!)).toBe(true);
    expect(live.at(-1)!.program?.fps).toBeGreaterThan(20);
    expect(live.at(-1)!.output.droppedFrames.total).toBe(0);
    // The recording made beside the stream decodes; the data dir has no scene collection left behind.
    expect(codecs(recording)).toEqual(['aac', 'h264']);
    expect(videoPacketTimes(recording).length).toBeGreaterThan(60);
    expect(fs.existsSync(path.join(dataDir, 'scenes.json'))).toBe(false);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('scenes.before-live'))).toEqual([]);
  }, 120_000);

  it('--ingest with the key on stdin survives the ingest dying for 5 s: back within 3 s, reported, and the recording has no gap', async () => {
    const channelDir = path.join(root, 'remote-channel');
    const ports = fixedPorts();
    const startChannel = () => startLocalChannelProcess(channelDir, ports, { children });
    let channel = await startChannel();
    const key = localKey(channelDir)!;
    const recording = path.join(root, 'reconnect.mkv');
    fs.writeFileSync(path.join(root, 'scene.json'), JSON.stringify(smallScene));
    const run = startLive(
      ['--scene', path.join(root, 'scene.json'), '--ingest', channel.ready.ingest.rtmps, '--stream-key-stdin', '--ca-file', channel.ready.ingest.caFile, '--data-dir', path.join(root, 'studio'), '--duration', '40', '--record', recording],
      `${key}\n`,
    );
    try {
      await until(() => run.lines.some((l) => l.state === 'live' && l.output.bytesAcked > 0), 60_000, 'live');
      expect(findSecret(key, [path.join(root, 'studio', 'logs')], { allowMissing: true })).toEqual([]);
      await new Promise((r) => setTimeout(r, 1500));
      channel.child.kill('SIGKILL');
      await until(() => run.events.some((e) => e.text.includes('reconnecting')), 30_000, 'reconnecting');
      await new Promise((r) => setTimeout(r, 5000));
      channel = await startChannel();
      const back = await until(() => run.events.find((e) => e.at >= channel.readyAt && e.text.includes('live on')), 30_000, 'live again');
      // eslint-disable-next-line no-console
      console.log(`live again ${back.at - channel.readyAt} ms after the ingest came back`);
      expect(back.at - channel.readyAt).toBeLessThan(3000);
    } finally {
      const code = await run.exited;
      channel.child.kill('SIGTERM');
      expect(code).toBe(0);
    }
    expect(run.stderr()).not.toContain(key);
    const last = run.lines.at(-1)!;
    expect(last.output.reconnects.count).toBe(1);
    expect(last.output.reconnects.durationsMs[0]).toBeGreaterThanOrEqual(5000);
    expect(run.lines.some((l) => l.state === 'reconnecting' && l.output.reconnects.current !== undefined)).toBe(true);
    // The recording ran straight through the outage: no hole in its video timeline.
    expect(codecs(recording)).toEqual(['aac', 'h264']);
    const times = videoPacketTimes(recording);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThan(0.1);
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(15);
  }, 240_000);

  // (Every usage rule is unit-tested in src-main/cli/live-command.test.ts; these check the process.)
  it.each([
    [['--test-pattern', '--ingest', 'rtmps://h/app'], /--ingest needs --stream-key-stdin/],
    [['--test-pattern', '--stream-key', 'sk_us-west-2_secretOnArgv_123456'], /unknown option --stream-key/],
  ])('refuses %j with exit 2 and the reason', async (args, reason) => {
    const run = startLive(args);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toMatch(reason);
    expect(run.stderr()).not.toContain('secretOnArgv');
    expect(run.stdout()).toBe('');
  });

  it('a wrong key from stdin exits 1 saying the key was rejected, without showing it', async () => {
    const channelDir = path.join(root, 'wrong-key-channel');
    const { child, ready } = await startLocalChannelProcess(channelDir, undefined, { children });
    const wrong = 'sk_us-west-2_wrongKeyFromStdin_0123456789';
    fs.writeFileSync(path.join(root, 'scene.json'), JSON.stringify(smallScene));
    const run = startLive(['--scene', path.join(root, 'scene.json'), '--ingest', ready.ingest.rtmps, '--stream-key-stdin', '--ca-file', ready.ingest.caFile, '--data-dir', path.join(root, 'wrong')], `${wrong}\n`);
    try {
      expect(await run.exited).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(run.stderr()).toMatch(/rejected the stream key/);
    expect(run.stderr()).not.toContain(wrong);
    expect(fs.readFileSync(path.join(root, 'wrong', 'logs', 'studio.log'), 'utf8')).not.toContain(wrong);
  }, 90_000);
});
