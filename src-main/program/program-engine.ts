/**
 * The program: the state machine around one long-lived ffmpeg (program-run.ts), its live changes,
 * its stats, and its recording. It is the `ProgramTagSource` the stream output publishes and the
 * `ProgramPort` go-live acquires.
 *
 *   idle → starting → running → stopping → idle        (a failed start or a crash returns to idle with lastError)
 */
import * as path from 'node:path';
import type { FfmpegCapabilities } from '../contract/domains/app';
import type {
  EncoderSettings,
  EncoderSettingsPatch,
  ProgramPhase,
  ProgramState,
  ProgramStats,
  RecordStartOptions,
  RecordingState,
  SwitchSceneOptions,
} from '../contract/domains/program';
import type { SceneCollection, SceneId, SourceId } from '../contract/domains/scenes';
import type { StudioErrorPayload } from '../contract/errors';
import type { CapturePlatform } from '../capture/capture-types';
import { checkSource, type DeviceProbe, systemDeviceProbe } from '../capture/device-check';
import { probeMediaStreams } from '../capture/media-probe';
import { audioCommands, cutCommands, fadeEndCommands, fadeProgressCommands, fadeStartCommands, itemCommands, structureKey, type FilterCommand } from '../compose/live-commands';
import { itemKey } from '../compose/program-graph';
import { assertWithinChannelLimits } from '../encode/channel-limits';
import { applyEncoderPatch, defaultEncoderSettings, encoderSettingsPatchSchema, encoderSettingsSchema } from '../encode/encoder-profile';
import { chooseVideoEncoder, type EncoderTester } from '../encode/hardware-encoders';
import { DisposableBase, toDisposable, type Disposable } from '../core/disposable';
import { JsonDocument } from '../core/documents';
import { Emitter, waitForEvent } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError, toErrorPayload } from '../core/studio-error';
import { isVideoKeyframe, type FlvTag } from '../media/flv';
import { Recorder, recordingFormatFor } from '../record/recorder';
import type { ProgramHandle, ProgramLease, ProgramPort } from '../golive/go-live';
import { ZmqCommandChannel } from './command-channel';
import { CpuSampler } from './cpu-usage';
import { ProgramRun } from './program-run';
import type { ProgramMonitorTap } from '../monitor/monitor-taps';
import type { ProgressSnapshot } from './progress';
import { z } from 'zod';

const log = createLogger('program');

export interface ProgramEngineDeps {
  dataDir: string;
  /** Program monitor and audio meters, split off before encoding (monitor/monitor-taps.ts). */
  monitorTap?: ProgramMonitorTap;
  /** The scene collection as saved now. */
  collection(): SceneCollection;
  /** The resolved binary and what it can do (engine probes it once). */
  ffmpeg(): Promise<{ path: string; ffprobePath: string; capabilities: Pick<FfmpegCapabilities, 'encoders' | 'filters'> }>;
  platform?: CapturePlatform;
  env?: NodeJS.ProcessEnv;
  deviceProbe?: DeviceProbe;
  encoderTester?: EncoderTester;
  /** How long a start may take before it counts as failed. */
  startTimeoutMs?: number;
  /** Force a command mode (tests of the stdin fallback). */
  commandMode?: 'zmq' | 'stdin';
  statsIntervalMs?: number;
}

const settingsDocumentSchema = z.object({ encoder: encoderSettingsSchema }).strict();
type ProgramSettingsDocument = z.infer<typeof settingsDocumentSchema>;

export class ProgramEngine extends DisposableBase {
  private readonly tagEmitter = this.register(new Emitter<FlvTag>());
  private readonly stateEmitter = this.register(new Emitter<ProgramState>());
  private readonly statsEmitter = this.register(new Emitter<ProgramStats>());
  /** Every FLV tag of the encoded program, in order (stream output and recorder subscribe). */
  readonly onTag = this.tagEmitter.event;
  readonly onStateChange = this.stateEmitter.event;
  readonly onStats = this.statsEmitter.event;

  private phase: ProgramPhase = 'idle';
  private phaseSince = new Date();
  private run: ProgramRun | undefined;
  private runSubscriptions: Disposable[] = [];
  private settings: EncoderSettings;
  private readonly settingsDocument: JsonDocument<ProgramSettingsDocument>;
  private lastError: StudioErrorPayload | undefined;
  private warnings: StudioErrorPayload[] = [];
  private needsRestart = false;
  private commandMode: 'zmq' | 'stdin' | undefined;
  private fade: { cancelled: boolean; toIndex: number; done: Promise<void> } | undefined;
  private liveQueue: Promise<unknown> = Promise.resolve();
  private starting: Promise<ProgramState> | undefined;
  private stopping: Promise<ProgramState> | undefined;

  private recorder: Recorder | undefined;
  private recording: RecordingState = { phase: 'idle', bytes: 0 };

  private statsTimer: NodeJS.Timeout | undefined;
  private lastProgress: ProgressSnapshot | undefined;
  private lastStatsFrame = 0;
  private lastStatsAt = 0;
  private readonly cpu = new CpuSampler();
  private lastStats: ProgramStats | undefined;

  constructor(private readonly deps: ProgramEngineDeps) {
    super();
    this.settingsDocument = new JsonDocument(path.join(deps.dataDir, 'program.json'), settingsDocumentSchema, () => ({
      encoder: defaultEncoderSettings('STANDARD', deps.collection().canvas),
    }));
    const loaded = this.settingsDocument.load();
    this.settings = loaded.value.encoder;
    if (loaded.recovered) log.warn(`program.json was corrupt (${loaded.recovered.problem}); defaults in use`);
    this.register(toDisposable(() => this.stopStatsTimer()));
  }

  /* ------------------------------------------------------------------ state */

  getState(): ProgramState {
    const state: ProgramState = {
      phase: this.phase,
      phaseSince: this.phaseSince.toISOString(),
      settings: this.settings,
      warnings: [...this.warnings],
      needsRestart: this.needsRestart,
      recording: { ...this.recording },
    };
    if (this.run) {
      state.programSceneId = this.run.live.programSceneId;
      state.pid = this.run.pid;
      state.videoEncoder = this.run.videoEncoderName;
      state.commandMode = this.commandMode;
    }
    if (this.lastError) state.lastError = this.lastError;
    return state;
  }

  private setPhase(phase: ProgramPhase): void {
    this.phase = phase;
    this.phaseSince = new Date();
    this.emitState();
  }

  private emitState(): void {
    this.stateEmitter.fire(this.getState());
  }

  /** The latest metadata and sequence headers, for an output or recorder that joins mid-stream. */
  headerTags(): readonly FlvTag[] {
    return this.run?.headers.tags() ?? [];
  }

  get pid(): number | undefined {
    return this.run?.pid;
  }

  /* ------------------------------------------------------------------ settings */

  setEncoderSettings(patch: EncoderSettingsPatch): ProgramState {
    const parsed = encoderSettingsPatchSchema.safeParse(patch);
    if (!parsed.success) throw new StudioError('BAD_REQUEST', { message: `Invalid encoder settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` });
    const next = applyEncoderPatch(this.settings, parsed.data);
    assertWithinChannelLimits(next, this.deps.collection().canvas);
    this.settingsDocument.save({ encoder: next });
    this.settings = next;
    this.emitState();
    return this.getState();
  }

  /* ------------------------------------------------------------------ lifecycle */

  start(patch?: EncoderSettingsPatch): Promise<ProgramState> {
    if (this.phase === 'running') return Promise.resolve(this.getState());
    if (this.starting) return this.starting;
    if (this.stopping) return this.stopping.then(() => this.start(patch));
    this.starting = this.doStart(patch).finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async doStart(patch?: EncoderSettingsPatch): Promise<ProgramState> {
    const collection = this.deps.collection();
    // Refused before anything is spawned: the limit is named, nothing changes.
    const settings = patch ? applyEncoderPatch(this.settings, encoderSettingsPatchSchema.parse(patch)) : this.settings;
    assertWithinChannelLimits(settings, collection.canvas);
    if (patch) {
      this.settingsDocument.save({ encoder: settings });
      this.settings = settings;
    }
    this.lastError = undefined;
    this.warnings = [];
    this.needsRestart = false;
    this.setPhase('starting');
    try {
      const ffmpeg = await this.deps.ffmpeg();
      const platform = this.deps.platform ?? (process.platform as CapturePlatform);
      const env = this.deps.env ?? process.env;
      const zmqUsable = ffmpeg.capabilities.filters.includes('zmq') && ZmqCommandChannel.isAvailable();
      this.commandMode = this.deps.commandMode ?? (zmqUsable ? 'zmq' : 'stdin');
      const encoder = await chooseVideoEncoder(settings.video.encoder, ffmpeg.path, ffmpeg.capabilities.encoders, this.deps.encoderTester);
      if (encoder.fallbackReason) this.warnings.push(new StudioError('ENCODE_ERROR', { message: encoder.fallbackReason }).toPayload());
      const used = usedSourceIds(collection);
      const missing = new Map<SourceId, string>();
      const media = new Map<SourceId, { hasVideo: boolean; hasAudio: boolean }>();
      for (const source of collection.sources) {
        if (!used.has(source.id)) continue;
        const problem = await checkSource(source, platform, this.deps.deviceProbe ?? systemDeviceProbe);
        if (problem) {
          missing.set(source.id, problem);
          continue;
        }
        if (source.spec.kind === 'media') {
          const streams = await probeMediaStreams(ffmpeg.ffprobePath, source.spec.path);
          if (!streams || (!streams.hasVideo && !streams.hasAudio)) missing.set(source.id, `${source.name}: media file ${source.spec.path} has no playable stream.`);
          else media.set(source.id, streams);
        }
      }
      const run = await ProgramRun.start({
        collection,
        settings,
        ffmpegPath: ffmpeg.path,
        filters: ffmpeg.capabilities.filters,
        videoEncoder: encoder.kind,
        platform,
        x11Display: env.DISPLAY,
        missing,
        media,
        commandMode: this.commandMode,
        startTimeoutMs: this.deps.startTimeoutMs ?? 20_000,
        monitorTap: this.deps.monitorTap,
      });
      for (const reason of run.warnings.values()) this.warnings.push(new StudioError('DEVICE_MISSING', { message: reason }).toPayload());
      this.attachRun(run);
      this.setPhase('running');
      return this.getState();
    } catch (error) {
      this.lastError = toErrorPayload(error);
      log.error('the program could not start', error);
      this.setPhase('idle');
      throw error;
    }
  }

  private attachRun(run: ProgramRun): void {
    this.run = run;
    this.runSubscriptions = [
      run.onTag((tag) => this.tagEmitter.fire(tag)),
      run.child.onProgress((snapshot) => (this.lastProgress = snapshot)),
      run.child.onExit((exit) => {
        if (exit.requested || this.run !== run) return;
        // ffmpeg died on its own: a device unplugged, the encoder failed, it was killed.
        log.error(`the program ffmpeg exited unexpectedly (code ${exit.code}, signal ${exit.signal})`, exit.stderrTail.split('\n').slice(-5).join('\n'));
        this.lastError = new StudioError('ENCODE_ERROR', {
          message: `The program stopped unexpectedly (ffmpeg ${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}).`,
          details: exit.stderrTail.split('\n').slice(-12).join('\n'),
        }).toPayload();
        void this.teardown().then(() => this.setPhase('idle'));
      }),
    ];
    this.lastProgress = undefined;
    this.lastStatsFrame = 0;
    this.lastStatsAt = Date.now();
    this.startStatsTimer();
  }

  stop(): Promise<ProgramState> {
    if (this.stopping) return this.stopping;
    if (this.starting) return this.starting.catch(() => undefined).then(() => this.stop());
    if (this.phase === 'idle') return Promise.resolve(this.getState());
    this.stopping = (async () => {
      this.setPhase('stopping');
      await this.teardown();
      this.setPhase('idle');
      return this.getState();
    })().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  private async teardown(): Promise<void> {
    if (this.fade) this.fade.cancelled = true;
    this.fade = undefined;
    this.stopStatsTimer();
    await this.stopRecordingInternal();
    const run = this.run;
    this.run = undefined;
    for (const s of this.runSubscriptions.splice(0)) void s.dispose();
    this.needsRestart = false;
    if (run) await run.dispose();
  }

  /* ------------------------------------------------------------------ live changes */

  /** Serialises live changes so batches reach ffmpeg in the order they were asked for. */
  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.liveQueue.then(work);
    this.liveQueue = next.catch(() => undefined);
    return next;
  }

  private async send(commands: FilterCommand[]): Promise<void> {
    const run = this.run;
    if (!run || commands.length === 0) return;
    const replies = await run.channel.send(commands);
    const failed = replies.filter((r) => !r.ok);
    if (failed.length > 0) {
      throw new StudioError('INTERNAL', { message: `ffmpeg refused a live change: ${failed.map((f) => `"${f.command}" → ${f.text}`).join('; ')}` });
    }
  }

  /**
   * Takes a scene to program. A cut lands on the next frame; a fade steps the blend once per frame
   * (each zmq reply comes back on a frame, which paces the loop) from the elapsed time, so it lasts
   * its duration however fast replies come. The call returns once the fade has begun.
   */
  switchScene(sceneId: SceneId, options: SwitchSceneOptions = {}): Promise<void> {
    return this.enqueue(async () => {
      const run = this.run;
      if (!run) return;
      const index = run.graph.targets.sceneIndex[sceneId];
      if (index === undefined) {
        throw new StudioError('SCENE_INVALID', { message: 'That scene was added after the program started; restart the program to show it.' });
      }
      await this.finishFade();
      const collection = this.deps.collection();
      const transition = options.transition ?? collection.transition.kind;
      const durationMs = options.durationMs ?? collection.transition.durationMs;
      if (transition === 'fade' && durationMs > 0 && run.live.programSceneId !== sceneId && run.graph.targets.select) {
        await this.send(fadeStartCommands(run.graph.targets, index));
        const frameMs = 1000 / collection.canvas.fps;
        const fade = { cancelled: false, toIndex: index, done: Promise.resolve() };
        this.fade = fade;
        fade.done = (async () => {
          const began = Date.now();
          try {
            for (;;) {
              const sent = Date.now();
              const progress = (sent - began) / durationMs;
              if (fade.cancelled || progress >= 1) break;
              await this.enqueue(() => this.send(fadeProgressCommands(run.graph.targets, progress)));
              const wait = frameMs / 2 - (Date.now() - sent);
              if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            }
            if (!fade.cancelled) await this.enqueue(() => this.send(fadeEndCommands(run.graph.targets, index)));
          } catch (error) {
            log.warn('a fade step failed', error);
          } finally {
            if (this.fade === fade) this.fade = undefined;
          }
        })();
      } else {
        await this.send(cutCommands(run.graph.targets, index));
      }
      run.live = { ...run.live, programSceneId: sceneId };
      this.emitState();
    });
  }

  /** Ends a running fade at once on its target (a new switch arrived, or the program stops). */
  private async finishFade(): Promise<void> {
    const fade = this.fade;
    if (!fade) return;
    fade.cancelled = true;
    this.fade = undefined;
    const run = this.run;
    if (run) await this.send(fadeEndCommands(run.graph.targets, fade.toIndex)).catch(() => undefined);
  }

  /**
   * Brings the running ffmpeg in line with a saved collection: item transforms, opacity, visibility,
   * source gain and mute, and the program scene, as live commands. A change of the graph's shape
   * (sources, items, scenes added or removed) sets `needsRestart` instead.
   */
  applyCollection(next: SceneCollection): Promise<void> {
    return this.enqueue(async () => {
      const run = this.run;
      if (!run) return;
      const before = run.live;
      const commands: FilterCommand[] = [];
      /** Items shown again: their move back onto the canvas goes last (see below). */
      const shows: FilterCommand[] = [];
      for (const scene of next.scenes) {
        const oldScene = before.scenes.find((s) => s.id === scene.id);
        if (!oldScene) continue;
        for (const item of scene.items) {
          const oldItem = oldScene.items.find((i) => i.id === item.id && i.sourceId === item.sourceId);
          const targets = run.graph.targets.items[itemKey(scene.id, item.id)];
          if (!oldItem || !targets) continue;
          const itemChanges = itemCommands(targets, oldItem, item);
          const show = !oldItem.visible && item.visible ? itemChanges.filter((c) => c.startsWith(`${targets.overlay} x `)) : [];
          shows.push(...show);
          commands.push(...itemChanges.filter((c) => !show.includes(c)));
        }
      }
      for (const source of next.sources) {
        const old = before.sources.find((s) => s.id === source.id);
        if (old && (old.audio.gainDb !== source.audio.gainDb || old.audio.muted !== source.audio.muted)) {
          commands.push(...audioCommands(run.graph.targets.sourceVolume[source.id], source.audio));
        }
      }
      const programIndex = run.graph.targets.sceneIndex[next.programSceneId];
      const switching = next.programSceneId !== before.programSceneId && programIndex !== undefined && !this.fade;
      if (switching) commands.push(...cutCommands(run.graph.targets, programIndex));
      // Studio mode's preview picture follows the scene in preview (monitor/monitor-taps.ts).
      commands.push(...(this.deps.monitorTap?.commandsFor(before, next, run.graph.targets.sceneIndex) ?? []));
      // An item shown again with a new opacity, size or crop: those filters sit upstream of its overlay,
      // with a frame or two queued between them. Apply them first, let the queue drain, then show it,
      // so no frame shows the item as it was.
      if (shows.length > 0 && commands.length > 0) {
        await this.send(commands);
        await new Promise((resolve) => setTimeout(resolve, (3 * 1000) / next.canvas.fps));
        await this.send(shows);
      } else {
        await this.send([...commands, ...shows]);
      }
      run.live = { ...next, programSceneId: switching || programIndex !== undefined ? next.programSceneId : before.programSceneId };
      const restart = structureKey(next) !== run.structure;
      if (restart !== this.needsRestart || switching) {
        this.needsRestart = restart;
        this.emitState();
      }
    });
  }

  /* ------------------------------------------------------------------ recording */

  async startRecording(options: RecordStartOptions = {}): Promise<ProgramState> {
    if (this.recorder) throw new StudioError('BAD_REQUEST', { message: `Already recording to ${this.recording.file}.` });
    if (this.phase !== 'running') await this.start();
    const run = this.run;
    if (!run) throw new StudioError('ENCODE_ERROR', { message: 'The program is not running.' });
    const ffmpeg = await this.deps.ffmpeg();
    const format = recordingFormatFor(options.file ?? '', options.format);
    const file = options.file ?? path.join(this.deps.dataDir, 'recordings', `Recording ${timestampForFile(new Date())}.${format}`);
    if (!path.isAbsolute(file)) throw new StudioError('BAD_REQUEST', { message: `The recording path must be absolute: ${file}` });
    const recorder = Recorder.start({ ffmpegPath: ffmpeg.path, file, format, source: this });
    this.recorder = recorder;
    this.recording = { phase: 'recording', file, format, startedAt: recorder.startedAt.toISOString(), bytes: 0 };
    recorder.onExit((exit) => {
      if (this.recorder !== recorder) return;
      if (!exit.requested) {
        this.recorder = undefined;
        this.recording = {
          ...this.recording,
          phase: 'idle',
          bytes: recorder.bytesOnDisk(),
          lastError: new StudioError('ENCODE_ERROR', { message: `The recording stopped unexpectedly (ffmpeg exit ${exit.code ?? exit.signal}).`, details: exit.stderrTail.slice(-2000) }).toPayload(),
        };
        this.emitState();
      }
    });
    this.emitState();
    return this.getState();
  }

  async stopRecording(): Promise<ProgramState> {
    await this.stopRecordingInternal();
    return this.getState();
  }

  private async stopRecordingInternal(): Promise<void> {
    const recorder = this.recorder;
    if (!recorder) return;
    this.recording = { ...this.recording, phase: 'stopping' };
    this.emitState();
    const exit = await recorder.stop();
    this.recorder = undefined;
    const wroteNothing = !recorder.hasStarted;
    this.recording = {
      ...this.recording,
      phase: 'idle',
      bytes: recorder.bytesOnDisk(),
      ...(exit.code !== 0 && !wroteNothing
        ? { lastError: new StudioError('ENCODE_ERROR', { message: `The recording did not finish cleanly (ffmpeg exit ${exit.code ?? exit.signal}).`, details: exit.stderrTail.slice(-2000) }).toPayload() }
        : {}),
    };
    await recorder.dispose();
    this.emitState();
  }

  /* ------------------------------------------------------------------ stats */

  private startStatsTimer(): void {
    this.stopStatsTimer();
    this.statsTimer = setInterval(() => void this.emitStats(), this.deps.statsIntervalMs ?? 1000);
  }

  private stopStatsTimer(): void {
    if (this.statsTimer) clearInterval(this.statsTimer);
    this.statsTimer = undefined;
  }

  private async emitStats(): Promise<void> {
    const run = this.run;
    if (!run) return;
    const now = Date.now();
    const progress = this.lastProgress;
    const pids = [run.pid, this.recorder?.pid].filter((p): p is number => p !== undefined);
    const cpuPercent = await this.cpu.sample(pids, now);
    const frames = progress?.frame ?? 0;
    const elapsed = (now - this.lastStatsAt) / 1000;
    const fps = elapsed > 0 ? Math.round(((frames - this.lastStatsFrame) / elapsed) * 10) / 10 : 0;
    this.lastStatsFrame = frames;
    this.lastStatsAt = now;
    if (this.recorder) this.recording = { ...this.recording, bytes: this.recorder.bytesOnDisk() };
    const stats: ProgramStats = {
      at: new Date(now).toISOString(),
      phase: this.phase,
      uptimeMs: now - run.startedAt,
      frames,
      fps,
      droppedFrames: progress?.dropFrames ?? 0,
      duplicatedFrames: progress?.dupFrames ?? 0,
      speed: progress?.speed ?? 0,
      bitrateKbps: progress?.bitrateKbps ?? 0,
      cpuPercent,
      recordingBytes: this.recording.phase === 'idle' ? 0 : this.recording.bytes,
    };
    this.lastStats = stats;
    if (this.run === run) this.statsEmitter.fire(stats);
  }

  /* ------------------------------------------------------------------ go-live port */

  /** What go-live acquires: the program (started if idle), recording, stats; released when the stream stops. */
  readonly port: ProgramPort = {
    acquire: async (): Promise<ProgramLease> => {
      const startedHere = this.phase !== 'running';
      await this.start();
      const handle: ProgramHandle = {
        source: this,
        record: async (file: string) => {
          await this.startRecording({ file });
          return toDisposable(() => this.stopRecording().then(() => undefined));
        },
        stats: () => this.lastStats,
      };
      let released = false;
      return {
        program: handle,
        release: async () => {
          if (released) return;
          released = true;
          if (startedHere && !this.recorder) await this.stop();
        },
      };
    },
  };

  /** Resolves at the next keyframe leaving the encoder (tests, and outputs that want a clean start). */
  nextKeyframe(timeoutMs = 10_000): Promise<FlvTag> {
    return waitForEvent(this.onTag, (tag) => tag.type === 'video' && isVideoKeyframe(tag.data) && tag.data[1] === 1, timeoutMs);
  }

  override async dispose(): Promise<void> {
    await this.stop();
    await super.dispose();
  }
}

/** Sources a scene item or the global audio uses: only these are opened. */
export function usedSourceIds(collection: SceneCollection): Set<SourceId> {
  const used = new Set<SourceId>(collection.globalAudio);
  for (const scene of collection.scenes) for (const item of scene.items) used.add(item.sourceId);
  return used;
}

function timestampForFile(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}-${pad(date.getMinutes())}-${pad(date.getSeconds())}`;
}
