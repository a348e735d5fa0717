/**
 * Program monitor and audio meters, tapped from the program's own ffmpeg before encoding: the composed
 * video is split off after composition and leaves as small MJPEG frames on an extra pipe; the program
 * mix and each source (after its gain) are split off into `astats`, whose per-window peak and RMS
 * `ametadata` prints as text on pipes of their own (one per meter: prints carry no name). The encoder's
 * inputs are untouched, so the monitor costs a scale and a JPEG per monitor frame, and no extra
 * process or decode.
 *
 * `planMonitorTaps` is pure (graph in, graph + output arguments out); `MjpegSplitter` and
 * `AstatsParser` are pure parsers; `ProgramMonitorTap` ties them to the pipes of a running program.
 */
import type { Readable } from 'node:stream';
import type { AudioLevels, AudioMeter, MonitorView, ProgramFrame, ProgramMonitorState } from '../contract/domains/monitor';
import type { SceneCollection } from '../contract/domains/scenes';
import type { Disposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { CaptureClock } from '../output/capture-clock';

const log = createLogger('monitor-taps');

/** The shape of a compiled program graph the taps need (compose/program-graph.ts ProgramGraph). */
export interface TappableGraph {
  filtergraph: string;
  videoOut: string;
  audioOut: string;
  targets: { sourceVolume: Record<string, string> };
}

export interface MonitorTapOptions {
  /** Width of the monitor picture (height follows the canvas aspect ratio). */
  width: number;
  fps: number;
  /** JPEG quality scale, 2 (best) … 31. */
  quality: number;
  /** Audio window per meter reading. */
  meterWindowMs: number;
  /** Per-source meters beyond this many are left out (each costs a pipe). */
  maxSourceMeters: number;
}

export const defaultMonitorTapOptions: MonitorTapOptions = { width: 480, fps: 10, quality: 7, meterWindowMs: 100, maxSourceMeters: 8 };

export interface MeterTap {
  fd: number;
  id: string;
  label: string;
}

export interface MonitorTapPlan<G extends TappableGraph> {
  graph: G;
  /** Studio mode's second picture: the scene in preview, selected live by `streamselect@studio`. */
  studioFd?: number;
  /** Output options to append after the program's own output (each output's fd is in `videoFd`/`meters`). */
  outputArgs: string[];
  videoFd: number;
  meters: MeterTap[];
  /** How many extra pipes (fds firstFd…) the child needs. */
  pipes: number;
  width: number;
  height: number;
  fps: number;
}

/** ffmpeg option-value escaping inside a filtergraph: a quoted `pipe\:N` survives both parsing levels. */
function pipeFile(fd: number): string {
  return `'pipe\\:${fd}'`;
}

function meterChain(input: string, fd: number, options: MonitorTapOptions): string {
  const samples = Math.round((48000 * options.meterWindowMs) / 1000);
  return (
    `[${input}]aresample=48000,asetnsamples=n=${samples}:p=0,` +
    `astats=metadata=1:reset=1:measure_perchannel=Peak_level+RMS_level:measure_overall=none,` +
    `ametadata=mode=print:direct=1:file=${pipeFile(fd)},anullsink`
  );
}

/**
 * Adds the taps to a compiled graph. The program's outputs are renamed (`vout` → `vout_enc`) so the
 * encoder maps the other side of each split.
 */
export type TappedCollection = Pick<SceneCollection, 'canvas' | 'sources'> & Partial<Pick<SceneCollection, 'scenes' | 'previewSceneId' | 'studioMode'>>;

export function planMonitorTaps<G extends TappableGraph>(graph: G, collection: TappedCollection, firstFd: number, options: MonitorTapOptions = defaultMonitorTapOptions): MonitorTapPlan<G> {
  const { canvas } = collection;
  const width = Math.min(options.width, canvas.width) & ~1;
  const height = Math.max(2, Math.round((canvas.height * width) / canvas.width / 2) * 2);
  const fps = Math.min(options.fps, canvas.fps);
  const chains: string[] = [];
  let filtergraph = graph.filtergraph;
  const videoEnc = `${graph.videoOut}_enc`;
  const audioEnc = `${graph.audioOut}_enc`;
  const videoFd = firstFd;
  chains.push(`[${graph.videoOut}]split=2[${videoEnc}][mon_v0]`);
  chains.push(`[mon_v0]fps=${fps},scale=${width}:${height}:flags=fast_bilinear,format=yuv420p[mon_v]`);
  const outputArgs = monitorOutputArgs('mon_v', videoFd, options);
  let fd = firstFd + 1;
  // Studio mode: every scene is composed all the time; a third copy of each feeds a selector of our own.
  const sceneSplit = /\[([^\]]+)\]split=2\[pv(\d+)\]\[nv\2\]/g;
  const scenes = [...filtergraph.matchAll(sceneSplit)];
  let studioFd: number | undefined;
  if (scenes.length > 1 && collection.scenes) {
    filtergraph = filtergraph.replace(sceneSplit, '[$1]split=3[pv$2][nv$2][mon_sv$2]');
    const previewIndex = Math.max(0, collection.scenes.findIndex((s) => s.id === collection.previewSceneId));
    const inputs = scenes.map((m) => `[mon_sv${m[2]}]`).join('');
    chains.push(`${inputs}${STUDIO_SELECT}=inputs=${scenes.length}:map=${previewIndex}[mon_s0]`);
    chains.push(`[mon_s0]fps=${fps},scale=${width}:${height}:flags=fast_bilinear,format=yuv420p[mon_s]`);
    studioFd = fd++;
    outputArgs.push(...monitorOutputArgs('mon_s', studioFd, options));
  }
  const meters: MeterTap[] = [];
  chains.push(`[${graph.audioOut}]asplit=2[${audioEnc}][mon_a_program]`);
  chains.push(meterChain('mon_a_program', fd, options));
  meters.push({ fd: fd++, id: 'program', label: 'Program mix' });
  for (const source of collection.sources) {
    if (meters.length > options.maxSourceMeters) break;
    const volume = graph.targets.sourceVolume[source.id];
    if (!volume) continue;
    // `volume@srcN=volume=G,` → `volume@srcN=volume=G,asplit=2[meter][rest];[rest]` (the chain goes on from [rest]).
    const pattern = new RegExp(`(${volume.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}=volume=[^,;\\[]+),`);
    if (!pattern.test(filtergraph)) continue;
    const label = volume.replace(/[^A-Za-z0-9]/g, '_');
    filtergraph = filtergraph.replace(pattern, `$1,asplit=2[mon_a_${label}][mon_r_${label}];[mon_r_${label}]`);
    chains.push(meterChain(`mon_a_${label}`, fd, options));
    meters.push({ fd: fd++, id: source.id, label: source.name });
  }
  return {
    graph: { ...graph, filtergraph: `${filtergraph};\n${chains.join(';\n')}`, videoOut: videoEnc, audioOut: audioEnc },
    outputArgs,
    videoFd,
    ...(studioFd !== undefined ? { studioFd } : {}),
    meters,
    pipes: fd - firstFd,
    width,
    height,
    fps,
  };
}

/** The filter instance that picks studio mode's preview scene (see `studioCommands`). */
export const STUDIO_SELECT = 'streamselect@studio';

function monitorOutputArgs(label: string, fd: number, options: MonitorTapOptions): string[] {
  return ['-map', `[${label}]`, '-c:v', 'mjpeg', '-q:v', String(options.quality), '-strict', 'unofficial', '-f', 'image2pipe', '-flush_packets', '1', `pipe:${fd}`];
}

/** The live command that shows another scene in studio mode's preview picture (none when it did not change). Pure. */
export function studioCommands(before: Pick<SceneCollection, 'previewSceneId'>, next: Pick<SceneCollection, 'previewSceneId'>, sceneIndex: Record<string, number>): string[] {
  const index = sceneIndex[next.previewSceneId];
  if (next.previewSceneId === before.previewSceneId || index === undefined) return [];
  return [`${STUDIO_SELECT} map ${index}`];
}

/** Splits a stream of concatenated JPEGs (image2pipe) at SOI … EOI. Pure. */
export class MjpegSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  /** Frames larger than this are corrupt: resynchronise. */
  constructor(private readonly maxFrameBytes = 4 * 1024 * 1024) {}

  push(chunk: Buffer): Buffer[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const frames: Buffer[] = [];
    for (;;) {
      const start = this.buffer.indexOf(SOI);
      if (start < 0) {
        this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - (SOI.length - 1)));
        break;
      }
      // Entropy-coded data stuffs every 0xFF with 0x00, so FF D9 is the end marker (ffmpeg writes no thumbnails).
      const end = this.buffer.indexOf(EOI, start + 2);
      if (end < 0) {
        this.buffer = this.buffer.subarray(start);
        if (this.buffer.length > this.maxFrameBytes) this.buffer = Buffer.alloc(0);
        break;
      }
      frames.push(Buffer.from(this.buffer.subarray(start, end + 2)));
      this.buffer = this.buffer.subarray(end + 2);
    }
    return frames;
  }
}

const SOI = Buffer.from([0xff, 0xd8, 0xff]);
const EOI = Buffer.from([0xff, 0xd9]);

export interface ChannelLevel {
  peakDb: number;
  rmsDb: number;
}

/**
 * ametadata's print format: `frame:N pts:P pts_time:T` then `lavfi.astats.<ch>.Peak_level=V` lines.
 * Emits one reading (per channel) when the next frame header or a flush arrives. Pure.
 */
export class AstatsParser {
  private partial = '';
  private current: Map<number, Partial<ChannelLevel>> | undefined;

  push(text: string): ChannelLevel[][] {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    const out: ChannelLevel[][] = [];
    for (const raw of lines) {
      const line = raw.trim();
      if (line.startsWith('frame:')) {
        const done = this.take();
        if (done) out.push(done);
        this.current = new Map();
        continue;
      }
      const match = /^lavfi\.astats\.(\d+)\.(Peak_level|RMS_level)=(.+)$/.exec(line);
      if (!match || !this.current) continue;
      const channel = Number(match[1]);
      const entry = this.current.get(channel) ?? {};
      const value = dbValue(match[3]!);
      if (match[2] === 'Peak_level') entry.peakDb = value;
      else entry.rmsDb = value;
      this.current.set(channel, entry);
    }
    // A complete reading (every channel has both figures) need not wait for the next header.
    const ready = this.current && this.current.size > 0 && [...this.current.values()].every((e) => e.peakDb !== undefined && e.rmsDb !== undefined);
    if (ready && this.partial === '') {
      const done = this.take();
      if (done) out.push(done);
    }
    return out;
  }

  private take(): ChannelLevel[] | undefined {
    const current = this.current;
    this.current = undefined;
    if (!current || current.size === 0) return undefined;
    return [...current.entries()].sort((a, b) => a[0] - b[0]).map(([, e]) => ({ peakDb: e.peakDb ?? SILENCE_DB, rmsDb: e.rmsDb ?? SILENCE_DB }));
  }
}

export const SILENCE_DB = -120;
/** At or above this, a sample is at full scale: clipping. */
export const CLIP_DB = -0.1;

function dbValue(text: string): number {
  const value = Number.parseFloat(text);
  if (!Number.isFinite(value)) return SILENCE_DB;
  return Math.max(SILENCE_DB, Math.round(value * 10) / 10);
}

/** Several channels → one meter reading: the loudest channel's peak and RMS. */
export function combineChannels(channels: readonly ChannelLevel[]): { peakDb: number; rmsDb: number; clipped: boolean } {
  const peakDb = Math.max(SILENCE_DB, ...channels.map((c) => c.peakDb));
  const rmsDb = Math.max(SILENCE_DB, ...channels.map((c) => c.rmsDb));
  return { peakDb, rmsDb, clipped: peakDb >= CLIP_DB };
}

/**
 * The taps of one program run: plans them when the program starts, reads the pipes while it runs, and
 * emits monitor frames (at most `fps` a second, only while someone is listening) and audio levels
 * (peak held over each emission interval, so a short transient is not lost between readings).
 */
export class ProgramMonitorTap implements Disposable {
  private readonly frameEmitter = new Emitter<Omit<ProgramFrame, 'seq'> & { capturedAt: number }>();
  private readonly levelsEmitter = new Emitter<AudioLevels>();
  private readonly stateEmitter = new Emitter<void>();
  readonly onFrame = this.frameEmitter.event;
  readonly onAudioLevels = this.levelsEmitter.event;
  readonly onStateChange = this.stateEmitter.event;
  private running: { plan: MonitorTapPlan<TappableGraph> } | undefined;
  /** Studio mode on: the preview scene's picture is sent too. */
  private studioMode = false;
  private unavailable: string | undefined;

  constructor(
    private readonly options: MonitorTapOptions = defaultMonitorTapOptions,
    private readonly levelIntervalMs = 100,
  ) {}

  state(): ProgramMonitorState {
    if (this.running) {
      const { plan } = this.running;
      const views: MonitorView[] = plan.studioFd !== undefined && this.studioMode ? ['program', 'preview'] : ['program'];
      return { state: 'running', width: plan.width, height: plan.height, fps: plan.fps, views };
    }
    return { state: 'off', reason: this.unavailable ?? 'The program is not running: start it (Scenes) or go live to see it here.', views: [] };
  }

  /** Plans the taps for a run about to start. `filters` are ffmpeg's (the taps need astats, ametadata, asetnsamples). */
  plan<G extends TappableGraph>(graph: G, collection: TappedCollection, firstFd: number, filters?: readonly string[]): MonitorTapPlan<G> | undefined {
    this.studioMode = collection.studioMode ?? false;
    const needed = ['split', 'fps', 'scale', 'asplit', 'astats', 'ametadata', 'asetnsamples', 'aresample', 'anullsink'];
    const missing = filters ? needed.filter((f) => !filters.includes(f)) : [];
    if (missing.length > 0) {
      this.unavailable = `This ffmpeg lacks ${missing.join(', ')}: no program monitor or meters.`;
      return undefined;
    }
    this.unavailable = undefined;
    return planMonitorTaps(graph, collection, firstFd, this.options);
  }

  /** The run started: read its pipes (fd order as planned) until they close. Disposing stops listening. */
  attach(plan: MonitorTapPlan<TappableGraph>, pipes: ReadonlyArray<Readable | null | undefined>, firstFd: number): Disposable {
    const run = { plan };
    this.running = run;
    this.stateEmitter.fire();
    const cleanups: Array<() => void> = [];
    const readPictures = (view: MonitorView, video: Readable | null | undefined) => {
      if (!video) return;
      const splitter = new MjpegSplitter();
      const clock = new CaptureClock();
      let index = 0;
      const interval = 1000 / plan.fps;
      const onData = (chunk: Buffer) => {
        const at = Date.now();
        for (const jpeg of splitter.push(chunk)) {
          const capturedAt = clock.captureTime(at, index++ * interval);
          // Always read (a full pipe would stall the program); encode only for listeners.
          if (this.frameEmitter.listenerCount === 0 || (view === 'preview' && !this.studioMode)) continue;
          this.frameEmitter.fire({ view, at, capturedAt, jpeg: jpeg.toString('base64') });
        }
      };
      video.on('data', onData);
      video.on('error', () => undefined);
      cleanups.push(() => video.off('data', onData));
    };
    readPictures('program', pipes[plan.videoFd - firstFd]);
    if (plan.studioFd !== undefined) readPictures('preview', pipes[plan.studioFd - firstFd]);
    const latest = new Map<string, { peakDb: number; rmsDb: number; clipped: boolean }>();
    for (const meter of plan.meters) {
      const pipe = pipes[meter.fd - firstFd];
      if (!pipe) continue;
      const parser = new AstatsParser();
      pipe.setEncoding('utf8');
      const onData = (text: string) => {
        for (const reading of parser.push(text)) {
          const level = combineChannels(reading);
          const held = latest.get(meter.id);
          // Hold the peak (and a clip) until the next emission.
          latest.set(meter.id, held ? { peakDb: Math.max(held.peakDb, level.peakDb), rmsDb: level.rmsDb, clipped: held.clipped || level.clipped } : level);
        }
      };
      pipe.on('data', onData);
      pipe.on('error', () => undefined);
      cleanups.push(() => pipe.off('data', onData));
    }
    const timer = setInterval(() => {
      if (latest.size === 0) return;
      const meters: AudioMeter[] = plan.meters.filter((m) => latest.has(m.id)).map((m) => ({ id: m.id, label: m.label, ...latest.get(m.id)! }));
      latest.clear();
      this.levelsEmitter.fire({ at: new Date().toISOString(), meters });
    }, this.levelIntervalMs);
    cleanups.push(() => clearInterval(timer));
    return {
      dispose: () => {
        for (const cleanup of cleanups.splice(0)) cleanup();
        if (this.running === run) {
          this.running = undefined;
          this.stateEmitter.fire();
        }
      },
    };
  }

  /** Live commands for a collection change: studio mode's preview scene follows `previewSceneId`. */
  commandsFor(before: TappedCollection & Pick<SceneCollection, 'previewSceneId'>, next: TappedCollection & Pick<SceneCollection, 'previewSceneId'>, sceneIndex: Record<string, number>): string[] {
    const wasStudio = this.studioMode;
    this.studioMode = next.studioMode ?? false;
    if (wasStudio !== this.studioMode) this.stateEmitter.fire();
    if (this.running?.plan.studioFd === undefined) return [];
    return studioCommands(before, next, sceneIndex);
  }

  dispose(): void {
    this.frameEmitter.dispose();
    this.levelsEmitter.dispose();
    this.stateEmitter.dispose();
    this.running = undefined;
    log.debug('monitor taps disposed');
  }
}
