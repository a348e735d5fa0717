import * as fs from 'node:fs';
import { z } from 'zod';
import { requestChannels, type AppInfo, type FfmpegCapabilities, type HostMode, type Notice, type RemoteAccess, type RequestChannel } from '../contract/studio-api';
import { DisposableBase } from '../core/disposable';
import { createLogger } from '../core/logger';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { probeFfmpeg } from '../ffmpeg/probe';
import { SettingsService } from '../settings/settings-service';
import { registerAccounts } from '../accounts/accounts-handlers';
import { AccountsService, type LocalChannelConnection } from '../accounts/accounts-service';
import { SecretVault } from '../keychain/secret-vault';
import { GoLiveService, localChannelAccess } from '../golive/go-live';
import { registerStream } from '../golive/stream-handlers';
import { createRtmpPublisherConnection } from '../output/rtmp-publisher-connection';
import { startLocalChannel } from '../channel/local-channel';
import { startLiveRuntime } from '../channel/live/start-live-runtime';
import { ApiRouter, noArgs } from './api-router';
import { CuesService } from '../cues/cues-service';
import { registerCues } from '../cues/cues-handlers';
import { createCueChannelPort } from '../cues/engine-port';
import { MonitorService } from '../monitor/monitor-service';
import { registerMonitor } from '../monitor/monitor-handlers';
import { ProgramMonitorTap } from '../monitor/monitor-taps';
import { programViewOf } from '../monitor/program-view';
import { ScenesDomain } from '../scenes/scenes-domain';

const log = createLogger('engine');

export interface EngineOptions {
  dataDir: string;
  mode: HostMode;
  version: string;
  /** The embedded local channel (control plane + ingest + playback), started by `start()`; on unless false. */
  localChannel?: false | { port?: number };
}

/**
 * The engine: plain Node, never imports electron. Electron's main process hosts it, and so does the
 * headless `ivs-studio serve`. Each domain service is created here and registers its handlers.
 */
export class StudioEngine extends DisposableBase {
  readonly router = new ApiRouter();
  readonly settings: SettingsService;
  /** Accounts, channels and stream keys; secrets go to the OS keychain through the vault. */
  readonly secrets = new SecretVault();
  readonly accounts: AccountsService;
  /** Going live: target, program, recording and the stream output (golive/go-live.ts). */
  readonly goLive: GoLiveService;
  /** The cue board: boards, firing through PutMetadata, delivery confirmation, fire log (cues/). */
  readonly cues: CuesService;
  /** Scenes, sources, the program pipeline (one long-lived ffmpeg) and recording (scenes/, program/). */
  readonly scenes: ScenesDomain;
  /** Stats dock, preview source and latency, program monitor, post-show reports (monitor/). */
  readonly monitor: MonitorService;
  private localChannelConnection?: () => LocalChannelConnection | undefined;
  private ffmpeg: FfmpegCapabilities | { error: string } = { error: 'not probed yet' };
  /** Kept for `app:get-notices`, so a window that connects later still sees them (newest last). */
  private readonly notices: Notice[] = [];
  private noticeCount = 0;
  /** Set by the host (serve or Electron) that owns the WebSocket server. */
  private remoteAccess: () => RemoteAccess = () => ({ enabled: false, urls: [], remoteRights: 'cues' });

  constructor(readonly options: EngineOptions) {
    super();
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.settings = new SettingsService(options.dataDir);
    this.register(this.settings.onDidChange((s) => this.router.emit('settings:changed', s)));
    this.registerHandlers();
    this.accounts = this.register(
      new AccountsService({ dataDir: options.dataDir, secrets: this.register(this.secrets), localChannel: () => this.localChannelConnection?.() }),
    );
    registerAccounts(this.router, this.accounts);
    // The program monitor and audio meters are taps on the program's own ffmpeg (monitor/monitor-taps.ts).
    const monitorTap = this.register(new ProgramMonitorTap());
    this.scenes = this.register(
      new ScenesDomain(this.router, { dataDir: options.dataDir, capabilities: () => this.ffmpegCapabilities, ffmpegSetting: () => this.settings.get().ffmpegPath, notify: (n) => this.notify(n), monitorTap }),
    );
    this.goLive = this.register(
      new GoLiveService({
        createConnection: createRtmpPublisherConnection,
        program: this.scenes.program.port,
        localChannel: () => localChannelAccess(this.localChannelConnection?.(), options.dataDir),
        accounts: this.accounts,
        secrets: this.secrets,
        // Preflight reads the program's encoder settings and canvas before going live to the selected target.
        encoder: { current: () => ({ settings: this.scenes.program.getState().settings, canvas: this.scenes.scenes.collection().canvas }) },
      }),
    );
    for (const subscription of registerStream(this.router, this.goLive)) this.register(subscription);
    this.cues = this.register(
      new CuesService({ dataDir: options.dataDir, channels: createCueChannelPort({ stream: () => this.goLive.snapshot(), accounts: this.accounts }) }),
    );
    for (const subscription of registerCues(this.router, this.cues)) this.register(subscription);
    // Cues follow the stream: going live, stopping or selecting another channel moves their target.
    this.register(this.goLive.onStateChange(() => void this.cues.refreshTarget(true)));
    this.register(this.accounts.onDidChangeState(() => void this.cues.refreshTarget()));
    if (this.cues.loadError) this.notify({ level: 'error', code: this.cues.loadError.code, message: this.cues.loadError.message, action: this.cues.loadError.action });
    this.monitor = this.register(
      new MonitorService({ dataDir: options.dataDir, goLive: this.goLive, accounts: this.accounts, localChannel: () => localChannelAccess(this.localChannelConnection?.(), options.dataDir) }),
    );
    for (const subscription of registerMonitor(this.router, this.monitor)) this.register(subscription);
    this.register(this.monitor.attachProgram(programViewOf(this.scenes.program, monitorTap, () => this.scenes.scenes.collection().canvas)));
    if (this.settings.loadError) {
      const { code, message, action } = this.settings.loadError;
      this.notify({ level: 'error', code, message, action });
    }
  }

  /** Posts a notice to every window (event) and keeps it for late joiners. */
  notify(notice: Notice): Notice {
    const posted: Notice = { ...notice, id: notice.id ?? `notice-${++this.noticeCount}`, at: notice.at ?? new Date().toISOString() };
    this.notices.push(posted);
    if (this.notices.length > 50) this.notices.shift();
    this.router.emit('app:notice', posted);
    return posted;
  }

  /** The host that runs the WebSocket server reports remote access through this. */
  setRemoteAccessProvider(provider: () => RemoteAccess): void {
    this.remoteAccess = provider;
    this.router.emit('app:remote-access-changed', { enabled: provider().enabled });
  }

  /** Async start-up work: probing ffmpeg once, reporting what is missing in plain words. */
  async start(): Promise<void> {
    // The local channel first: a channel selected in an earlier run resumes its status polling at once.
    if (this.options.localChannel !== false) await this.startEmbeddedLocalChannel();
    this.monitor.start();
    await this.accounts.start();
    void this.cues.refreshTarget();
    try {
      const resolved = findFfmpeg(this.settings.get().ffmpegPath || undefined);
      this.ffmpeg = await probeFfmpeg(resolved);
      log.info(`ffmpeg ${this.ffmpeg.version} from ${resolved.source}: ${resolved.path}`);
      for (const line of this.ffmpeg.missing) log.warn(`ffmpeg: ${line}`);
      if (this.ffmpeg.missing.length > 0) {
        this.notify({ level: 'warning', code: 'FFMPEG_MISSING_FEATURE', message: `ffmpeg at ${resolved.path} lacks ${this.ffmpeg.missing.length} feature(s): see Settings.` });
      }
    } catch (error) {
      this.ffmpeg = { error: error instanceof Error ? error.message : String(error) };
      log.error('ffmpeg unavailable', error);
      this.notify({ level: 'error', code: 'FFMPEG_NOT_FOUND', message: this.ffmpeg.error, action: 'Install ffmpeg, set FFMPEG_PATH, or choose the binary in Settings.' });
    }
  }

  get ffmpegCapabilities(): FfmpegCapabilities | undefined {
    return 'error' in this.ffmpeg ? undefined : this.ffmpeg;
  }

  private registerHandlers(): void {
    this.router.register({
      'app:get-info': {
        args: noArgs,
        rights: 'cues',
        handle: (ctx): AppInfo => ({
          name: 'IVS Studio',
          version: this.options.version,
          mode: this.options.mode,
          platform: process.platform,
          dataDir: ctx.rights === 'full' ? this.options.dataDir : '',
          ffmpeg: this.ffmpeg,
          rights: ctx.rights,
        }),
      },
      'app:get-notices': { args: noArgs, rights: 'cues', handle: () => [...this.notices] },
      'app:get-remote-access': { args: noArgs, handle: () => this.remoteAccess() },
      'settings:get': { args: noArgs, handle: () => this.settings.get() },
      'settings:update': {
        args: z.tuple([SettingsService.patchSchema]) as never,
        handle: (_ctx, patch) => this.settings.update(patch),
      },
    });
  }

  /**
   * The default target: the local channel in this process, on 127.0.0.1 ports of its own, its state
   * under the data dir. A failure is reported as a notice; the rest of the studio keeps working.
   */
  private async startEmbeddedLocalChannel(): Promise<void> {
    try {
      const port = this.options.localChannel ? (this.options.localChannel.port ?? 0) : 0;
      const channel = this.register(await startLocalChannel({ dataDir: this.options.dataDir, port }));
      const live = this.register(await startLiveRuntime(channel, { dataDir: this.options.dataDir }));
      // Disposed before the ingest closes (reverse order): a live stream unpublishes cleanly first.
      this.register({ dispose: () => this.goLive.stop().then(() => undefined) });
      this.attachLocalChannel(() => ({
        apiEndpoint: channel.apiEndpoint,
        region: channel.region,
        credentials: channel.credentials,
        ingest: { rtmp: live.rtmpUrl, rtmps: live.rtmpsUrl },
        caPem: live.caPem,
      }));
      log.info(`local channel: API ${channel.apiEndpoint}, ingest ${live.rtmpsUrl}`);
    } catch (error) {
      log.error('the local channel could not start', error);
      this.notify({ level: 'error', code: 'INTERNAL', message: `The local channel could not start: ${(error as Error).message}` });
    }
  }

  /** The embedded local channel reports its endpoint, credentials and ingest through this. */
  attachLocalChannel(connection: () => LocalChannelConnection | undefined): void {
    this.localChannelConnection = connection;
    this.router.emit('accounts:state-changed', this.accounts.getState());
  }

  unhandledChannels(): RequestChannel[] {
    return this.router.unhandledChannels(Object.keys(requestChannels) as RequestChannel[]);
  }
}
