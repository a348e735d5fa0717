import * as fs from 'node:fs';
import { z } from 'zod';
import { requestChannels, type AppInfo, type FfmpegCapabilities, type HostMode, type RequestChannel } from '../contract/studio-api';
import { DisposableBase } from '../core/disposable';
import { createLogger } from '../core/logger';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { probeFfmpeg } from '../ffmpeg/probe';
import { SettingsService } from '../settings/settings-service';
import { ApiRouter, noArgs } from './api-router';

const log = createLogger('engine');

export interface EngineOptions {
  dataDir: string;
  mode: HostMode;
  version: string;
}

/**
 * The engine: plain Node, never imports electron. Electron's main process hosts it, and so does the
 * headless `ivs-studio serve`. Each domain service is created here and registers its handlers.
 */
export class StudioEngine extends DisposableBase {
  readonly router = new ApiRouter();
  readonly settings: SettingsService;
  private ffmpeg: FfmpegCapabilities | { error: string } = { error: 'not probed yet' };

  constructor(readonly options: EngineOptions) {
    super();
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.settings = new SettingsService(options.dataDir);
    this.register(this.settings.onDidChange((s) => this.router.emit('settings:changed', s)));
    this.registerHandlers();
  }

  /** Async start-up work: probing ffmpeg once, reporting what is missing in plain words. */
  async start(): Promise<void> {
    try {
      const resolved = findFfmpeg(this.settings.get().ffmpegPath || undefined);
      this.ffmpeg = await probeFfmpeg(resolved);
      log.info(`ffmpeg ${this.ffmpeg.version} from ${resolved.source}: ${resolved.path}`);
      for (const line of this.ffmpeg.missing) log.warn(`ffmpeg: ${line}`);
    } catch (error) {
      this.ffmpeg = { error: error instanceof Error ? error.message : String(error) };
      log.error('ffmpeg unavailable', error);
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
      'settings:get': { args: noArgs, handle: () => this.settings.get() },
      'settings:update': {
        args: z.tuple([SettingsService.patchSchema]) as never,
        handle: (_ctx, patch) => this.settings.update(patch),
      },
    });
  }

  unhandledChannels(): RequestChannel[] {
    return this.router.unhandledChannels(Object.keys(requestChannels) as RequestChannel[]);
  }
}
