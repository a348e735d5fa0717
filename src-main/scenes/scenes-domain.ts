/**
 * The scenes domain as the engine composes it: the scene collection document, the program pipeline
 * (capture → compose → encode, recording) and their API handlers, created and disposed together.
 */
import type { FfmpegCapabilities, Notice } from '../contract/studio-api';
import type { Disposable } from '../core/disposable';
import { probeFfmpeg } from '../ffmpeg/probe';
import { findFfmpeg, findFfprobe } from '../ffmpeg/resolve-ffmpeg';
import type { ApiRouter } from '../engine/api-router';
import { ProgramEngine } from '../program/program-engine';
import type { ProgramMonitorTap } from '../monitor/monitor-taps';
import { SceneCollectionService } from './scene-collection-service';
import { registerScenes } from './scenes-handlers';

export interface ScenesDomainDeps {
  dataDir: string;
  /** What the engine probed at start, if it has; otherwise probed here on first use. */
  capabilities(): FfmpegCapabilities | undefined;
  /** The ffmpeg binary chosen in Settings ('' = resolve). */
  ffmpegSetting(): string;
  notify?(notice: Notice): void;
  /** Program monitor and audio meters, split off the program before encoding (monitor/monitor-taps.ts). */
  monitorTap?: ProgramMonitorTap;
}

export class ScenesDomain implements Disposable {
  readonly scenes: SceneCollectionService;
  readonly program: ProgramEngine;
  private readonly subscriptions: Disposable[];

  constructor(router: ApiRouter, private readonly deps: ScenesDomainDeps) {
    this.scenes = new SceneCollectionService(deps.dataDir);
    this.program = new ProgramEngine({ dataDir: deps.dataDir, collection: () => this.scenes.collection(), ffmpeg: () => this.resolveFfmpeg(), monitorTap: deps.monitorTap });
    this.subscriptions = registerScenes(router, { scenes: this.scenes, program: this.program, ffmpeg: () => this.resolveFfmpeg() });
    if (this.scenes.loadError) {
      const { code, message, action } = this.scenes.loadError;
      deps.notify?.({ level: 'error', code, message, action });
    }
  }

  private async resolveFfmpeg(): Promise<{ path: string; ffprobePath: string; capabilities: FfmpegCapabilities }> {
    const setting = this.deps.ffmpegSetting() || undefined;
    const capabilities = this.deps.capabilities() ?? (await probeFfmpeg(findFfmpeg(setting)));
    return { path: capabilities.path, ffprobePath: findFfprobe(setting), capabilities };
  }

  async dispose(): Promise<void> {
    for (const s of this.subscriptions.splice(0)) await s.dispose();
    await this.program.dispose();
    this.scenes.dispose();
  }
}
