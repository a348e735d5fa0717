/** Shared by the engine benchmarks: a real program at IVS settings, CPU readings, a 720p30 pattern. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SceneCollection } from '../../src-main/contract/domains/scenes';
import { configureLogging } from '../../src-main/core/logger';
import { probeFfmpeg } from '../../src-main/ffmpeg/probe';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { processCpuSeconds } from '../../src-main/program/cpu-usage';
import { ProgramEngine } from '../../src-main/program/program-engine';
import { defaultEncoderSettings } from '../../src-main/encode/encoder-profile';

export const benchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-bench-'));
configureLogging({ dir: path.join(benchDir, 'logs'), consoleLevel: 'silent' });
process.on('exit', () => fs.rmSync(benchDir, { recursive: true, force: true }));

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const canvas720 = { width: 1280, height: 720, fps: 30 };
/** IVS's recommendation at 720p30 on a STANDARD channel: x264 veryfast, CBR 3.5 Mbps, 2 s GOP, AAC 160k. */
export const ivsSettings = { ...defaultEncoderSettings('STANDARD', canvas720), video: { ...defaultEncoderSettings('STANDARD', canvas720).video, encoder: 'x264' as const } };

/** One scene: the test pattern over the whole 720p30 canvas, with its tone. */
export function patternCollection(): SceneCollection {
  return {
    version: 1,
    name: 'bench',
    canvas: canvas720,
    sources: [{ id: 'pattern', name: 'Pattern', spec: { kind: 'test-pattern', pattern: 'testsrc', toneHz: 440 }, audio: { gainDb: 0, muted: false } }],
    scenes: [{ id: 'main', name: 'Main', items: [{ id: 'full', sourceId: 'pattern', x: 0, y: 0, ...{ width: 1280, height: 720 }, crop: { top: 0, right: 0, bottom: 0, left: 0 }, opacity: 1, visible: true }] }],
    globalAudio: [],
    programSceneId: 'main',
    previewSceneId: 'main',
    studioMode: false,
    transition: { kind: 'cut', durationMs: 0 },
  };
}

export async function createBenchProgram(collection: SceneCollection): Promise<ProgramEngine> {
  const caps = await probeFfmpeg(findFfmpeg());
  const dataDir = fs.mkdtempSync(path.join(benchDir, 'data-'));
  const engine = new ProgramEngine({
    dataDir,
    collection: () => collection,
    ffmpeg: async () => ({ path: caps.path, ffprobePath: findFfprobe(), capabilities: caps }),
  });
  engine.setEncoderSettings(ivsSettings);
  return engine;
}

export async function cpuSeconds(pid: number): Promise<number> {
  const value = await processCpuSeconds(pid);
  if (value === undefined) throw new Error(`cannot read the CPU time of ${pid} (Linux /proc or macOS ps needed)`);
  return value;
}

export function ownCpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

export function seconds(envName: string, fallback: number): number {
  const value = Number(process.env[envName]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}
