/**
 * The monitor: once a second, one StudioStats from the program's figures, the stream output's, the
 * processes' CPU and memory, the preview's measured latency and IVS's own view (with divergences);
 * the preview's playback source; the program monitor's frames and audio levels (when the program
 * offers them); and the post-show report of every stream.
 */
import * as path from 'node:path';
import { z } from 'zod';
import type { AccountsState, ChannelLiveStatus } from '../contract/domains/accounts';
import type {
  AudioLevels,
  IvsView,
  LatencyHealth,
  MonitorState,
  OutputHealth,
  PlayerLatencyReport,
  PlayerState,
  PreviewSource,
  ProgramFrame,
  ProgramHealth,
  ProgramMonitorState,
  ShowReport,
  ShowReportSummary,
  StudioStats,
} from '../contract/domains/monitor';
import type { OutputStats, StreamSnapshot } from '../contract/domains/stream';
import { DisposableBase, toDisposable, type Disposable } from '../core/disposable';
import { JsonDocument } from '../core/documents';
import { Emitter, type Event } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import type { LocalChannelAccess } from '../golive/go-live';
import { IvsService } from '../ivs/ivs-service';
import { LiveStatusPoller } from '../ivs/status-poller';
import { findDivergences } from './divergence';
import { droppedLevel, fpsLevel, IVS_LATENCY_TARGET_MS, latencyLevel, percentOf, worstLevel } from './health-levels';
import { percentile, SlidingWindow } from './percentiles';
import { choosePreview, isLocalChannelArn, PreviewResolver } from './preview-source';
import { ProcessUsageSampler, type WatchedProcess } from './process-usage';
import { PreviewTokenSigner } from './preview-token';
import { ReportStore, summaryOf } from './report-store';
import { ShowRecorder, type CueFireLike } from './show-report';

const log = createLogger('monitor');

/** The program's per-second figures, as far as the monitor needs them (ProgramEngine's ProgramStats). */
export interface ProgramStatsLike {
  phase: string;
  fps: number;
  frames: number;
  droppedFrames: number;
  duplicatedFrames: number;
  speed: number;
  bitrateKbps: number;
  cpuPercent?: number;
}

/** What the monitor reads from the program pipeline. Every member optional: it works without one. */
export interface ProgramView {
  readonly onStats?: Event<ProgramStatsLike>;
  /** Processes to watch (program ffmpeg, recorder, monitor taps…), with labels. */
  processes?(): WatchedProcess[];
  /** Canvas and frame rate the program renders at. */
  canvas?(): { width: number; height: number; fps: number } | undefined;
  encoderName?(): string | undefined;
  /** The composed program before encoding (and the studio-mode preview scene), as JPEG frames. */
  readonly onMonitorFrame?: Event<Omit<ProgramFrame, 'seq'>>;
  readonly onAudioLevels?: Event<AudioLevels>;
  monitorState?(): ProgramMonitorState;
  readonly onMonitorStateChange?: Event<void>;
}

export interface GoLiveView {
  snapshot(): StreamSnapshot;
  readonly onStateChange: Event<StreamSnapshot>;
  readonly onStats: Event<OutputStats>;
}

export interface AccountsView {
  getState(): AccountsState;
  readonly onDidChangeState: Event<AccountsState>;
  getStatus(): ChannelLiveStatus | null;
  readonly onDidChangeStatus: Event<ChannelLiveStatus>;
}

export interface MonitorServiceOptions {
  dataDir: string;
  goLive: GoLiveView;
  accounts: AccountsView;
  localChannel?: () => LocalChannelAccess | undefined;
  statsIntervalMs?: number;
  /** How long latency samples count towards the live figure. */
  latencyWindowMs?: number;
  now?: () => number;
}

const monitorDocumentSchema = z.object({ customPlaybackUrl: z.string().url().max(4096).optional(), customPlayer: z.enum(['hls.js', 'ivs-player']).optional() }).strict();
type MonitorDocument = z.infer<typeof monitorDocumentSchema>;

export class MonitorService extends DisposableBase {
  private readonly statsEmitter = this.register(new Emitter<StudioStats>());
  private readonly stateEmitter = this.register(new Emitter<MonitorState>());
  private readonly frameEmitter = this.register(new Emitter<ProgramFrame>());
  private readonly levelsEmitter = this.register(new Emitter<AudioLevels>());
  private readonly reportEmitter = this.register(new Emitter<ShowReportSummary>());
  readonly onStats = this.statsEmitter.event;
  readonly onStateChange = this.stateEmitter.event;
  readonly onProgramFrame = this.frameEmitter.event;
  readonly onAudioLevels = this.levelsEmitter.event;
  readonly onReportAdded = this.reportEmitter.event;

  private readonly now: () => number;
  private readonly document: JsonDocument<MonitorDocument>;
  private doc: MonitorDocument;
  private readonly resolver: PreviewResolver;
  private readonly tokens: PreviewTokenSigner;
  private preview: MonitorState['preview'] = null;
  private readonly processes = new ProcessUsageSampler();
  private readonly latencyWindow: SlidingWindow;
  private lastPlayer: (PlayerLatencyReport & { at: number }) | undefined;
  private lastProgram: (ProgramStatsLike & { at: number }) | undefined;
  private lastOutput: OutputStats | undefined;
  private lastStats: StudioStats | undefined;
  private program: ProgramView = {};
  private programSubscriptions: Disposable[] = [];
  private frameSeq = 0;
  private readonly reports: ReportStore;
  private show: ShowRecorder | undefined;
  private ownPoller: { arn: string; poller: LiveStatusPoller; ivs: IvsService } | undefined;
  private ownStatus: ChannelLiveStatus | undefined;
  private lastCongestionDrops = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MonitorServiceOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.latencyWindow = new SlidingWindow(options.latencyWindowMs ?? 5000);
    this.document = new JsonDocument(path.join(options.dataDir, 'monitor.json'), monitorDocumentSchema, () => ({}));
    const loaded = this.document.load();
    this.doc = loaded.value;
    this.reports = new ReportStore(options.dataDir);
    this.resolver = new PreviewResolver(options.localChannel ?? (() => undefined));
    this.tokens = new PreviewTokenSigner(options.localChannel ?? (() => undefined));
    this.register(options.goLive.onStateChange((snapshot) => this.onStreamState(snapshot)));
    this.register(options.goLive.onStats((stats) => (this.lastOutput = stats)));
    this.register(options.accounts.onDidChangeState(() => void this.refreshPreview()));
    this.register(options.accounts.onDidChangeStatus((status) => this.onIvsStatus(status)));
    this.register(toDisposable(() => this.stopOwnPoller()));
    this.register(toDisposable(() => this.detachProgram()));
    this.register(toDisposable(() => clearInterval(this.timer)));
    // Disposed first: a studio closed mid-stream still leaves the report of what it streamed.
    this.register(toDisposable(() => this.finishShow(this.now())));
  }

  /** Starts the per-second stats and resolves the first preview source. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.options.statsIntervalMs ?? 1000);
    void this.refreshPreview();
  }

  /** The program pipeline, once there is one (the engine attaches it). */
  attachProgram(program: ProgramView): Disposable {
    this.detachProgram();
    this.program = program;
    const subs: Disposable[] = [];
    if (program.onStats) subs.push(program.onStats((stats) => (this.lastProgram = { ...stats, at: this.now() })));
    if (program.onMonitorFrame) subs.push(program.onMonitorFrame((frame) => this.frameEmitter.fire({ ...frame, seq: ++this.frameSeq })));
    if (program.onAudioLevels) subs.push(program.onAudioLevels((levels) => this.levelsEmitter.fire(levels)));
    if (program.onMonitorStateChange) subs.push(program.onMonitorStateChange(() => this.fireState()));
    this.programSubscriptions = subs;
    this.fireState();
    return toDisposable(() => {
      if (this.program === program) this.detachProgram();
    });
  }

  private detachProgram(): void {
    for (const s of this.programSubscriptions.splice(0)) void s.dispose();
    this.program = {};
    this.lastProgram = undefined;
  }

  /* ------------------------------------------------------------------ state */

  getState(): MonitorState {
    const state: MonitorState = { preview: this.preview ? { ...this.preview } : null, programMonitor: this.programMonitorState() };
    if (this.doc.customPlaybackUrl) state.customPlaybackUrl = this.doc.customPlaybackUrl;
    if (this.doc.customPlayer) state.customPlayer = this.doc.customPlayer;
    if (this.lastStats) state.stats = this.lastStats;
    return state;
  }

  private programMonitorState(): ProgramMonitorState {
    return this.program.monitorState?.() ?? { state: 'unavailable', reason: 'The program pipeline is not part of this build yet.', views: [] };
  }

  private fireState(): void {
    this.stateEmitter.fire(this.getState());
  }

  setPreviewUrl(url: string | null, player?: PreviewSource['player']): MonitorState {
    if (url !== null) {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new StudioError('BAD_REQUEST', { message: `"${url.slice(0, 100)}" is not a URL.` });
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new StudioError('BAD_REQUEST', { message: `The preview plays HLS over http(s), not ${parsed.protocol}//.` });
      }
    }
    this.doc = url === null ? {} : { customPlaybackUrl: url, ...(player ? { customPlayer: player } : {}) };
    this.document.save(this.doc);
    void this.refreshPreview();
    return this.getState();
  }

  /** Re-decides the preview source, fetching a local channel's playback URL when needed (once per call). */
  async refreshPreview(): Promise<void> {
    const decide = () =>
      choosePreview({
        customPlaybackUrl: this.doc.customPlaybackUrl,
        customPlayer: this.doc.customPlayer,
        stream: this.options.goLive.snapshot(),
        accounts: this.options.accounts.getState(),
        local: { byArn: this.resolver.byArn, defaultChannel: this.resolver.defaultChannel },
      });
    let decision = decide();
    if (decision.needLocal) {
      await this.resolver.fetch(decision.needLocal);
      if (this.isDisposed) return;
      decision = decide();
    }
    let next = decision.source;
    if (next?.kind === 'local-channel' && next.authorized && next.channelArn) next = await this.signed(next);
    if (this.isDisposed) return;
    if (JSON.stringify(next) !== JSON.stringify(this.preview)) {
      this.preview = next;
      this.fireState();
    }
  }

  /** A private local channel: the preview's own viewer token (kept while the URL stays the same). */
  private async signed(source: PreviewSource): Promise<PreviewSource> {
    const current = this.preview;
    if (current && current.channelArn === source.channelArn && current.tokenExpiresAt && Date.parse(current.tokenExpiresAt) - this.now() > 3600_000) return current;
    try {
      const { url, expiresAt } = await this.tokens.sign(source.playbackUrl, source.channelArn!, this.now());
      const { problem: _problem, ...rest } = source;
      return { ...rest, playbackUrl: url, tokenExpiresAt: expiresAt };
    } catch (error) {
      log.warn('could not sign a preview token for a private local channel', error);
      return { ...source, problem: `This channel is private and the preview could not get a viewer token: ${(error as Error).message}` };
    }
  }

  private get isDisposed(): boolean {
    return this.store.isDisposed;
  }

  /* ------------------------------------------------------------------ latency from the player */

  reportLatency(report: PlayerLatencyReport): void {
    const at = this.now();
    this.lastPlayer = { ...report, at };
    if (report.seiPresent) this.latencyWindow.add(at, report.samplesMs);
    else this.latencyWindow.clear();
    this.show?.addLatencySamples(report.seiPresent ? report.samplesMs : []);
  }

  private latencyHealth(now: number): LatencyHealth {
    const player = this.lastPlayer && now - this.lastPlayer.at < 5000 ? this.lastPlayer : undefined;
    const playerState: PlayerState = player?.state ?? 'offline';
    const values = player ? this.latencyWindow.values(now) : [];
    const health: LatencyHealth = { source: 'none', playerState, ivsTargetMs: IVS_LATENCY_TARGET_MS, level: 'ok' };
    if (!player) return health;
    health.player = player.player;
    health.reportedAt = new Date(player.at).toISOString();
    if (player.bufferMs !== undefined) health.bufferMs = Math.round(player.bufferMs);
    if (player.targetMs !== undefined) health.targetMs = Math.round(player.targetMs);
    if (values.length > 0 && player.seiPresent) {
      health.source = 'sei';
      health.glassToGlassMs = percentile(values, 50);
      health.p95Ms = percentile(values, 95);
      health.level = latencyLevel(health.glassToGlassMs);
    }
    return health;
  }

  /* ------------------------------------------------------------------ IVS's view */

  private onIvsStatus(status: ChannelLiveStatus): void {
    if (status.error?.code === 'THROTTLED') this.show?.addThrottle(this.now(), 'IVS throttled the status poll (GetStream)');
  }

  private ivsView(): IvsView | undefined {
    const stream = this.options.goLive.snapshot();
    const arn = stream.state !== 'offline' ? stream.target?.channelArn : this.options.accounts.getState().selected?.channelArn;
    if (!arn) return undefined;
    const status = [this.options.accounts.getStatus(), this.ownStatus].find((s) => s?.channelArn === arn);
    if (!status) return undefined;
    const view: IvsView = { channelArn: arn, state: status.state, polledAt: status.polledAt };
    if (status.health) view.health = status.health;
    if (status.viewerCount !== undefined) view.viewerCount = status.viewerCount;
    if (status.video) view.video = status.video;
    if (status.audio) view.audio = status.audio;
    if (status.error) view.error = status.error;
    return view;
  }

  /** The accounts service polls the selected channel; a local-channel target that is not selected gets a poller of ours. */
  private ensureOwnPoller(stream: StreamSnapshot): void {
    const arn = stream.state !== 'offline' ? stream.target?.channelArn : undefined;
    const polledByAccounts = this.options.accounts.getState().selected?.channelArn === arn;
    if (!arn || polledByAccounts || !isLocalChannelArn(arn)) {
      this.stopOwnPoller();
      return;
    }
    if (this.ownPoller?.arn === arn) return;
    this.stopOwnPoller();
    const local = this.options.localChannel?.();
    if (!local) return;
    const ivs = new IvsService({ region: local.region, endpoint: local.apiEndpoint, credentials: { type: 'static', credentials: local.credentials, label: 'the local channel' }, maxAttempts: 1 });
    const poller = new LiveStatusPoller(ivs, { accountId: 'local', channelArn: arn, liveIntervalMs: 2000, offlineIntervalMs: 2000 });
    poller.onStatus((status) => {
      this.ownStatus = status;
      this.onIvsStatus(status);
    });
    poller.start();
    this.ownPoller = { arn, poller, ivs };
  }

  private stopOwnPoller(): void {
    const own = this.ownPoller;
    this.ownPoller = undefined;
    this.ownStatus = undefined;
    if (!own) return;
    void Promise.resolve(own.poller.dispose()).finally(() => own.ivs.dispose());
  }

  /* ------------------------------------------------------------------ stream lifecycle → reports */

  private onStreamState(snapshot: StreamSnapshot): void {
    const now = this.now();
    if (snapshot.state === 'starting' && !this.show) {
      const target = snapshot.target ?? { kind: 'unknown', label: 'stream' };
      const showTarget: { kind: string; label: string; channelArn?: string } = { kind: target.kind, label: target.label };
      if (snapshot.target?.channelArn) showTarget.channelArn = snapshot.target.channelArn;
      this.show = new ShowRecorder(this.reports.newId(now), now, showTarget);
      this.lastCongestionDrops = 0;
    }
    if (this.show && snapshot.target && this.show.target.kind === 'unknown') {
      this.show.target = { kind: snapshot.target.kind, label: snapshot.target.label, ...(snapshot.target.channelArn ? { channelArn: snapshot.target.channelArn } : {}) };
    }
    this.show?.onState(snapshot.state, now);
    if (snapshot.state === 'offline') this.finishShow(now);
    this.ensureOwnPoller(snapshot);
    void this.refreshPreview();
  }

  private finishShow(now: number): void {
    const show = this.show;
    this.show = undefined;
    if (!show?.hasData) return;
    try {
      const report = show.finish(now, this.reports.filesFor(show.id));
      this.reports.save(report);
      this.reportEmitter.fire(summaryOf(report));
    } catch (error) {
      log.error('the post-show report could not be written', error);
    }
  }

  /** A cue fire from the cue board (fired, accepted, seen by a player, failed), for the report. */
  cueUpdated(fire: CueFireLike): void {
    this.show?.cueUpdated(fire, this.now());
  }

  recordThrottle(what: string): void {
    this.show?.addThrottle(this.now(), what);
  }

  listReports(): ShowReportSummary[] {
    return this.reports.list();
  }

  getReport(id: string): ShowReport {
    return this.reports.get(id);
  }

  /* ------------------------------------------------------------------ the per-second stats */

  /** Builds (and emits) one StudioStats now. Public for tests. */
  tick(): StudioStats {
    const now = this.now();
    const stream = this.options.goLive.snapshot();
    const canvas = this.program.canvas?.();
    const stats: StudioStats = {
      at: new Date(now).toISOString(),
      processes: [],
      cpuTotalPercent: 0,
      memoryTotalMb: 0,
      latency: this.latencyHealth(now),
      divergences: [],
      level: 'ok',
    };
    const program = this.programHealth(now, canvas?.fps);
    if (program) stats.program = program;
    const output = this.outputHealth(stream);
    if (output) stats.output = output;
    stats.processes = this.processes.sample(this.program.processes?.() ?? [], now);
    stats.cpuTotalPercent = Math.round(stats.processes.reduce((n, p) => n + p.cpuPercent, 0) * 10) / 10;
    stats.memoryTotalMb = Math.round(stats.processes.reduce((n, p) => n + p.memoryMb, 0) * 10) / 10;
    const ivs = this.ivsView();
    if (ivs) stats.ivs = ivs;
    const local: Parameters<typeof findDivergences>[0] = { state: stream.state, stateForMs: now - Date.parse(stream.stateSince) };
    if (canvas) Object.assign(local, { width: canvas.width, height: canvas.height, fps: canvas.fps });
    stats.divergences = findDivergences(local, ivs);
    stats.level = worstLevel([
      ...(program ? [program.fpsLevel, program.skippedLevel] : []),
      ...(output ? [output.droppedLevel] : []),
      stats.latency.level,
      ...stats.divergences.map((d) => d.level),
    ]);
    this.lastStats = stats;
    if (this.show) {
      const congestion = this.lastOutput?.droppedFrames.congestion ?? 0;
      if (congestion > this.lastCongestionDrops) this.show.addThrottle(now, `network congestion: ${congestion - this.lastCongestionDrops} video frames dropped by the output`);
      this.lastCongestionDrops = congestion;
      this.show.addStats(stats, now);
    }
    this.statsEmitter.fire(stats);
    return stats;
  }

  private programHealth(now: number, targetFps: number | undefined): ProgramHealth | undefined {
    const p = this.lastProgram;
    if (!p) return undefined;
    const running = p.phase === 'running' && now - p.at < 5000;
    const target = targetFps ?? 0;
    const fps = running ? p.fps : 0;
    const skipped = p.droppedFrames + p.duplicatedFrames;
    const skippedPercent = percentOf(skipped, p.frames + p.droppedFrames);
    const health: ProgramHealth = {
      running,
      fps,
      targetFps: target,
      fpsLevel: running ? fpsLevel(fps, target) : 'ok',
      frames: p.frames,
      droppedFrames: p.droppedFrames,
      duplicatedFrames: p.duplicatedFrames,
      skippedPercent,
      skippedLevel: droppedLevel(skippedPercent),
      speed: p.speed,
    };
    const encoder = this.program.encoderName?.();
    if (encoder) health.encoder = encoder;
    return health;
  }

  private outputHealth(stream: StreamSnapshot): OutputHealth | undefined {
    const o = this.lastOutput;
    if (!o || stream.state === 'offline') return o && stream.state === 'offline' ? { ...toOutputHealth(o), state: 'offline' } : undefined;
    return { ...toOutputHealth(o), state: stream.state };
  }
}

function toOutputHealth(o: OutputStats): OutputHealth {
  const droppedPercent = percentOf(o.droppedFrames.total, o.framesSent + o.droppedFrames.total);
  const health: OutputHealth = {
    state: o.state,
    uptimeMs: o.uptimeMs,
    bitrateKbps: Math.round(o.bitrateBps / 1000),
    framesSent: o.framesSent,
    droppedFrames: o.droppedFrames.total,
    droppedPercent,
    droppedLevel: droppedLevel(droppedPercent),
    congestion: o.congestion,
    reconnects: { count: o.reconnects.count, durationsMs: [...o.reconnects.durationsMs] },
  };
  if (o.reconnects.current) health.reconnects.current = { ...o.reconnects.current };
  return health;
}
