/**
 * The `monitor:*` and `reports:*` API. Arguments are re-validated here, whatever the renderer checked:
 * a latency report is numbers within sane bounds (a page cannot fill the report with junk).
 */
import { z } from 'zod';
import type { MonitorRequests, PlayerLatencyReport, PreviewPlayerKind } from '../contract/domains/monitor';
import type { Disposable } from '../core/disposable';
import type { ApiRouter, HandlerMap } from '../engine/api-router';
import { noArgs } from '../engine/api-router';
import type { MonitorService } from './monitor-service';
import type { CueFireLike } from './show-report';

const ms = z.number().finite().min(-60_000).max(600_000);

const latencyReport = z
  .object({
    player: z.enum(['hls.js', 'ivs-player']),
    state: z.enum(['offline', 'starting', 'playing', 'reconnecting', 'error']),
    samplesMs: z.array(ms).max(1000),
    bufferMs: ms.optional(),
    targetMs: ms.optional(),
    seiPresent: z.boolean(),
    stalls: z.number().int().min(0).max(10_000),
    recoveries: z.number().int().min(0).max(10_000),
  })
  .strict();

export function monitorHandlers(monitor: MonitorService): HandlerMap<keyof MonitorRequests> {
  return {
    'monitor:get-state': { args: noArgs, handle: () => monitor.getState() },
    'monitor:set-preview-url': {
      args: z.union([z.tuple([z.string().min(1).max(4096).nullable()]), z.tuple([z.string().min(1).max(4096).nullable(), z.enum(['hls.js', 'ivs-player'])])]) as unknown as z.ZodType<[string | null, PreviewPlayerKind?]>,
      handle: (_ctx, url, player) => monitor.setPreviewUrl(url, player),
    },
    'monitor:latency-report': {
      args: z.tuple([latencyReport]) as unknown as z.ZodType<[PlayerLatencyReport]>,
      handle: (_ctx, report) => monitor.reportLatency(report),
    },
    'reports:list': { args: noArgs, handle: () => monitor.listReports() },
    'reports:get': { args: z.tuple([z.string().min(1).max(100)]) as unknown as z.ZodType<[string]>, handle: (_ctx, id) => monitor.getReport(id) },
  };
}

/** Registers the handlers and forwards the monitor's events to every transport. */
export function registerMonitor(router: ApiRouter, monitor: MonitorService): Disposable[] {
  router.register(monitorHandlers(monitor));
  return [
    monitor.onStateChange((state) => router.emit('monitor:state-changed', state)),
    monitor.onStats((stats) => router.emit('monitor:stats', stats)),
    monitor.onAudioLevels((levels) => router.emit('monitor:audio-levels', levels)),
    monitor.onProgramFrame((frame) => router.emit('monitor:program-frame', frame)),
    monitor.onReportAdded((summary) => router.emit('reports:added', summary)),
    // The cue board's fire log feeds the post-show report (cues fired, seen, throttled).
    router.onEvent((event, payload) => {
      if (event === 'cues:fire-updated') monitor.cueUpdated(payload as CueFireLike);
    }),
  ];
}
