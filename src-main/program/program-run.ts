/**
 * One run of the program ffmpeg: compile, spawn, demux its FLV, wait for the first keyframe. A source
 * that fails to open (ffmpeg names it in its error line) is swapped for a slate and the run retried,
 * so the rest of the scene keeps running; the caller gets the warnings.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EncoderSettings } from '../contract/domains/program';
import type { SceneCollection, SourceId } from '../contract/domains/scenes';
import type { CaptureContext, CapturePlatform, SourcePlan } from '../capture/capture-types';
import { buildPlaceholderPlan, buildSourcePlan } from '../capture/source-plan';
import { failureReason, findFailedInputUrl, findUndecodableInput } from '../capture/device-check';
import { compileProgramGraph, type ProgramGraph } from '../compose/program-graph';
import { structureKey } from '../compose/live-commands';
import type { VideoEncoderKind } from '../encode/encoder-args';
import { ffmpegEncoderName } from '../encode/encoder-args';
import type { Disposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import type { ProgramMonitorTap } from '../monitor/monitor-taps';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import { FlvDemuxer, isAvcSequenceHeader, isVideoKeyframe, type FlvTag } from '../media/flv';
import { StreamHeaderCache } from '../record/recording-gate';
import { FfmpegChild } from './ffmpeg-child';
import { StdinCommandChannel, ZmqCommandChannel, type CommandChannel } from './command-channel';
import { buildProgramArgs } from './program-args';

const log = createLogger('program');

export interface RunInputs {
  collection: SceneCollection;
  settings: EncoderSettings;
  ffmpegPath: string;
  filters: readonly string[];
  videoEncoder: VideoEncoderKind;
  platform: CapturePlatform;
  x11Display?: string;
  /** Sources known to be unavailable before starting (id → why). */
  missing: Map<SourceId, string>;
  /** Media facts per media source (from ffprobe). */
  media: Map<SourceId, { hasVideo: boolean; hasAudio: boolean }>;
  commandMode: 'zmq' | 'stdin';
  startTimeoutMs: number;
  /** Program monitor and audio meters, split off before encoding (monitor/monitor-taps.ts). */
  monitorTap?: ProgramMonitorTap;
}

/** The taps' pipes start after stdin, stdout, stderr and the progress pipe. */
const FIRST_TAP_FD = 4;

/** A started run. Dispose stops ffmpeg and removes its private folder. */
export class ProgramRun {
  private readonly tagEmitter = new Emitter<FlvTag>();
  readonly onTag = this.tagEmitter.event;
  /** Metadata and sequence headers, kept from the first tags on (they come before anyone subscribes). */
  readonly headers = new StreamHeaderCache();
  readonly startedAt = Date.now();
  /** The collection as ffmpeg currently shows it (baseline for live diffs). */
  live: SceneCollection;
  readonly structure: string;
  private disposed = false;
  /** The program monitor reading this run's tap pipes. */
  tapping: Disposable | undefined;

  private constructor(
    readonly child: FfmpegChild,
    readonly graph: ProgramGraph,
    readonly channel: CommandChannel,
    readonly workDir: string,
    readonly videoEncoderName: string,
    collection: SceneCollection,
    /** Sources replaced by a slate, with the reason. */
    readonly warnings: Map<SourceId, string>,
  ) {
    this.live = collection;
    this.structure = structureKey(collection);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(inputs: RunInputs): Promise<ProgramRun> {
    const missing = new Map(inputs.missing);
    // Each retry removes one failing source; more attempts than sources cannot help.
    for (let attempt = 0; attempt <= inputs.collection.sources.length; attempt++) {
      const outcome = await ProgramRun.attempt(inputs, missing);
      if (outcome instanceof ProgramRun) return outcome;
      if (!outcome.failedSource || missing.has(outcome.failedSource.id)) throw outcome.error;
      log.warn(`${outcome.failedSource.reason}; starting again without it`);
      missing.set(outcome.failedSource.id, outcome.failedSource.reason);
    }
    throw new StudioError('ENCODE_ERROR', { message: 'The program could not start: every source failed to open.' });
  }

  private static async attempt(
    inputs: RunInputs,
    missing: Map<SourceId, string>,
  ): Promise<ProgramRun | { error: StudioError; failedSource?: { id: SourceId; reason: string } }> {
    const { collection, settings } = inputs;
    const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-studio-program-'));
    fs.chmodSync(workDir, 0o700);
    const context = (sourceId: SourceId): CaptureContext => ({
      platform: inputs.platform,
      canvas: collection.canvas,
      x11Display: inputs.x11Display,
      filters: inputs.filters,
      workDir,
      media: inputs.media.get(sourceId),
    });
    const plans = new Map<SourceId, SourcePlan>();
    const urlOwner = new Map<string, SourceId>();
    for (const source of collection.sources) {
      let plan: SourcePlan;
      const reason = missing.get(source.id);
      try {
        plan = reason ? buildPlaceholderPlan(source, context(source.id), reason) : buildSourcePlan(source, context(source.id));
      } catch (error) {
        if (!(error instanceof StudioError)) throw error;
        missing.set(source.id, `${source.name}: ${error.message}`);
        plan = buildPlaceholderPlan(source, context(source.id), error.message);
      }
      plans.set(source.id, plan);
      for (const url of plan.urls) urlOwner.set(url, source.id);
    }
    const commandAddress =
      inputs.commandMode === 'zmq' ? (process.platform === 'win32' ? `tcp://127.0.0.1:${await freePort()}` : `ipc://${workDir}/commands.sock`) : undefined;
    const compiled = compileProgramGraph(collection, plans, { commandAddress });
    const tapPlan = inputs.monitorTap?.plan(compiled, collection, FIRST_TAP_FD, inputs.filters);
    const graph = tapPlan?.graph ?? compiled;
    for (const file of graph.files) fs.writeFileSync(path.join(workDir, file.name), file.contents, { mode: 0o600 });
    const graphFile = path.join(workDir, 'program.filtergraph');
    fs.writeFileSync(graphFile, graph.filtergraph, { mode: 0o600 });
    const args = buildProgramArgs({
      graph,
      graphFile,
      canvas: collection.canvas,
      settings,
      videoEncoder: inputs.videoEncoder,
      commandMode: inputs.commandMode,
      progressFd: 3,
      extraOutputArgs: tapPlan?.outputArgs,
    });
    const child = new FfmpegChild({ ffmpegPath: inputs.ffmpegPath, args, name: 'program', stdin: inputs.commandMode === 'stdin' ? 'pipe' : 'ignore', stdout: 'pipe', progress: true, cwd: workDir, extraPipes: tapPlan?.pipes });
    const channel: CommandChannel = commandAddress ? new ZmqCommandChannel(commandAddress) : new StdinCommandChannel(child.stdin!);
    const run = new ProgramRun(child, graph, channel, workDir, ffmpegEncoderName[inputs.videoEncoder], collection, new Map(missing));
    // Read the taps from the first byte: a pipe nobody drains would stall the whole program.
    if (tapPlan) run.tapping = inputs.monitorTap!.attach(tapPlan, Array.from({ length: tapPlan.pipes }, (_, i) => child.pipe(FIRST_TAP_FD + i)), FIRST_TAP_FD);
    log.info(`program ffmpeg ${child.pid} started (${inputs.commandMode} commands, ${ffmpegEncoderName[inputs.videoEncoder]})`);

    const firstKeyframe = new Promise<'ok' | 'exit' | 'timeout'>((resolve) => {
      const timer = setTimeout(() => resolve('timeout'), inputs.startTimeoutMs);
      const demuxer = new FlvDemuxer();
      child.stdout!.on('data', (chunk: Buffer) => {
        let tags: FlvTag[];
        try {
          tags = demuxer.push(chunk);
        } catch (error) {
          log.error('the program output is not FLV', error);
          child.signal('SIGKILL');
          return;
        }
        for (const tag of tags) {
          if (tag.type === 'video' && isVideoKeyframe(tag.data) && !isAvcSequenceHeader(tag.data)) {
            clearTimeout(timer);
            resolve('ok');
          }
          run.headers.observe(tag);
          run.tagEmitter.fire(tag);
        }
      });
      void child.exited.then(() => {
        clearTimeout(timer);
        resolve('exit');
      });
    });
    const outcome = await firstKeyframe;
    if (outcome === 'ok') return run;

    const stderr = child.recentStderr();
    await run.dispose();
    if (outcome === 'timeout') {
      return { error: new StudioError('ENCODE_ERROR', { message: `The program produced no video within ${inputs.startTimeoutMs / 1000} s.`, details: lastLines(stderr) }) };
    }
    const url = findFailedInputUrl(stderr, [...urlOwner.keys()]);
    const sourceId = url ? urlOwner.get(url) : undefined;
    if (url && sourceId) {
      const source = collection.sources.find((s) => s.id === sourceId)!;
      const plan = plans.get(sourceId)!;
      const reason = `${source.name}: ${plan.opens} could not be opened (${failureReason(stderr, url) ?? 'error'})`;
      return { error: new StudioError('DEVICE_MISSING', { message: reason, details: lastLines(stderr) }), failedSource: { id: sourceId, reason } };
    }
    const undecodable = findUndecodableInput(stderr);
    const undecodableSource = undecodable ? graph.inputs[undecodable.index]?.sourceId : undefined;
    if (undecodable && undecodableSource) {
      const source = collection.sources.find((s) => s.id === undecodableSource)!;
      const reason = `${source.name}: ${plans.get(undecodableSource)!.opens} could not be opened (${undecodable.reason})`;
      return { error: new StudioError('DEVICE_MISSING', { message: reason, details: lastLines(stderr) }), failedSource: { id: undecodableSource, reason } };
    }
    return { error: new StudioError('ENCODE_ERROR', { message: `The program ffmpeg exited at start: ${lastLines(stderr, 1) || 'no error text'}`, details: lastLines(stderr) }) };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await this.tapping?.dispose();
    await this.channel.dispose();
    await this.child.dispose();
    this.tagEmitter.dispose();
    fs.rmSync(this.workDir, { recursive: true, force: true });
  }
}

function lastLines(text: string, count = 12): string {
  return text.trim().split('\n').slice(-count).join('\n');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}
