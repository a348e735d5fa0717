/**
 * The post-show report: while a stream runs, one point per second (state, frame rate, bitrate,
 * dropped frames, CPU, latency, viewers), every reconnect with its duration, every latency sample the
 * preview measured, cues fired and confirmed, and throttling; at the end, one ShowReport with its
 * plots. Pure bookkeeping: the monitor service feeds it; report-store.ts writes it.
 */
import type { ShowReport, ShowTimelinePoint, StudioStats } from '../contract/domains/monitor';
import type { StreamState } from '../contract/domains/stream';
import { histogram, percentile } from './percentiles';
import { IVS_LATENCY_TARGET_MS } from './health-levels';
import { renderHistogram, renderLineChart, type Band } from './report-plots';

/** What the report needs of a cue fire (contract/domains/cues.ts CueFire). */
export interface CueFireLike {
  fid: string;
  cueName: string;
  firedAt: string;
  status: string;
  deliveryMs?: number;
  throttled?: number;
  error?: { message: string };
}

export interface ShowTarget {
  kind: string;
  label: string;
  channelArn?: string;
}

/** Latency samples kept per show: a long show keeps a uniform subsample (every other one, then every fourth…). */
const MAX_LATENCY_SAMPLES = 20_000;
const MAX_TIMELINE_POINTS = 6 * 3600;

const COLORS = { bitrate: '#60a5fa', fps: '#4ade80', program: '#f59e0b', output: '#f87171', latency: '#a78bfa', buffer: '#94a3b8', cpu: '#38bdf8', target: '#fbbf24', danger: '#ef4444', cue: '#22d3ee' };

export class ShowRecorder {
  private readonly timeline: ShowTimelinePoint[] = [];
  private readonly latency: number[] = [];
  private latencyStride = 1;
  private latencyCounter = 0;
  private readonly reconnects: Array<{ at: number; durationMs: number }> = [];
  private reconnectStartedAt: number | undefined;
  /** By fire id: a fire is updated as it goes queued → accepted → seen (or failed). */
  private readonly cues = new Map<string, ShowReport['cues']['items'][number] & { throttled: number }>();
  private readonly throttles: ShowReport['throttles'] = [];
  private lastStats: StudioStats | undefined;
  private state: StreamState = 'starting';
  /** The program's target frame rate (the canvas's), for the plots' thresholds. */
  private targetFps = 0;

  constructor(
    readonly id: string,
    readonly startedAt: number,
    public target: ShowTarget,
  ) {}

  /** The stream's state changed: reconnects are timed from drop to live again. */
  onState(state: StreamState, at: number): void {
    if (state === 'reconnecting' && this.reconnectStartedAt === undefined) this.reconnectStartedAt = at;
    if (state === 'live' && this.reconnectStartedAt !== undefined) {
      this.reconnects.push({ at: this.reconnectStartedAt, durationMs: at - this.reconnectStartedAt });
      this.reconnectStartedAt = undefined;
    }
    this.state = state;
  }

  addStats(stats: StudioStats, at: number): void {
    this.lastStats = stats;
    if (stats.program?.targetFps) this.targetFps = stats.program.targetFps;
    const point: ShowTimelinePoint = {
      t: at - this.startedAt,
      state: stats.output?.state ?? this.state,
      droppedOutput: stats.output?.droppedFrames ?? 0,
      skippedProgram: (stats.program?.droppedFrames ?? 0) + (stats.program?.duplicatedFrames ?? 0),
      cpuPercent: stats.cpuTotalPercent,
    };
    if (stats.program?.running) point.fps = stats.program.fps;
    if (stats.output) point.bitrateKbps = stats.output.bitrateKbps;
    if (stats.latency.glassToGlassMs !== undefined) point.latencyMs = stats.latency.glassToGlassMs;
    if (stats.ivs?.viewerCount !== undefined) point.viewers = stats.ivs.viewerCount;
    this.timeline.push(point);
    if (this.timeline.length > MAX_TIMELINE_POINTS) this.timeline.splice(0, this.timeline.length - MAX_TIMELINE_POINTS);
  }

  addLatencySamples(samples: readonly number[]): void {
    for (const sample of samples) {
      if (!Number.isFinite(sample)) continue;
      if (this.latencyCounter++ % this.latencyStride !== 0) continue;
      this.latency.push(Math.round(sample));
      if (this.latency.length >= MAX_LATENCY_SAMPLES) {
        // Keep every other sample and halve the rate from now on: uniform over the whole show.
        for (let i = 0, j = 0; i < this.latency.length; i += 2, j++) this.latency[j] = this.latency[i]!;
        this.latency.length = Math.ceil(this.latency.length / 2);
        this.latencyStride *= 2;
      }
    }
  }

  /** A cue fire, new or updated (the cue board's `cues:fire-updated`). Throttled PutMetadata calls count as throttles. */
  cueUpdated(fire: CueFireLike, now: number): void {
    const before = this.cues.get(fire.fid);
    const item: ShowReport['cues']['items'][number] & { throttled: number } = { at: fire.firedAt, label: fire.cueName, throttled: fire.throttled ?? 0 };
    if (fire.deliveryMs !== undefined) item.confirmedAfterMs = fire.deliveryMs;
    if (fire.status === 'failed') item.failed = fire.error?.message ?? 'failed';
    this.cues.set(fire.fid, item);
    const newlyThrottled = item.throttled - (before?.throttled ?? 0);
    if (newlyThrottled > 0) this.addThrottle(now, `IVS throttled PutMetadata for the cue "${fire.cueName}" (${item.throttled}×, retried)`);
  }

  addThrottle(at: number, what: string): void {
    const last = this.throttles.at(-1);
    // One line per cause per 10 s: a throttled poller would otherwise fill the report.
    if (last && last.what === what && at - Date.parse(last.at) < 10_000) return;
    this.throttles.push({ at: new Date(at).toISOString(), what });
  }

  get hasData(): boolean {
    return this.timeline.length > 0;
  }

  finish(endedAt: number, files: ShowReport['files']): ShowReport {
    if (this.reconnectStartedAt !== undefined) {
      this.reconnects.push({ at: this.reconnectStartedAt, durationMs: endedAt - this.reconnectStartedAt });
      this.reconnectStartedAt = undefined;
    }
    const last = this.lastStats;
    const p50 = percentile(this.latency, 50);
    const report: ShowReport = {
      id: this.id,
      label: this.target.label,
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: new Date(endedAt).toISOString(),
      durationMs: endedAt - this.startedAt,
      droppedFrames: last?.output?.droppedFrames ?? 0,
      reconnects: this.reconnects.length,
      target: { ...this.target },
      timeline: this.timeline,
      dropped: {
        output: last?.output?.droppedFrames ?? 0,
        outputByCause: {},
        programDropped: last?.program?.droppedFrames ?? 0,
        programDuplicated: last?.program?.duplicatedFrames ?? 0,
        framesSent: last?.output?.framesSent ?? 0,
      },
      reconnectList: this.reconnects.map((r) => ({ at: new Date(r.at).toISOString(), durationMs: r.durationMs })),
      latency: {
        samples: this.latency.length,
        source: this.latency.length > 0 ? 'sei' : 'none',
        histogram: histogram(this.latency, 100),
      },
      cues: {
        fired: this.cues.size,
        confirmed: [...this.cues.values()].filter((c) => c.confirmedAfterMs !== undefined).length,
        failed: [...this.cues.values()].filter((c) => c.failed).length,
        items: [...this.cues.values()].map(({ throttled: _t, ...item }) => item),
      },
      throttles: this.throttles,
      plots: [],
      files,
    };
    if (p50 !== undefined) {
      report.latencyP50Ms = p50;
      report.latency.p50Ms = p50;
      report.latency.p95Ms = percentile(this.latency, 95);
      report.latency.minMs = Math.min(...this.latency);
      report.latency.maxMs = Math.max(...this.latency);
    }
    report.plots = plotsFor(report, this.targetFps);
    return report;
  }
}

/** Reconnect periods as shaded bands (x in ms since the start). */
function reconnectBands(report: ShowReport): Band[] {
  const start = Date.parse(report.startedAt);
  return report.reconnectList.map((r) => ({
    from: Date.parse(r.at) - start,
    to: Date.parse(r.at) - start + r.durationMs,
    color: COLORS.danger,
    label: `Reconnecting for ${(r.durationMs / 1000).toFixed(1)} s`,
  }));
}

export function plotsFor(report: ShowReport, targetFps = 0): ShowReport['plots'] {
  const t = report.timeline;
  const xMax = Math.max(report.durationMs, t.at(-1)?.t ?? 0);
  const bands = reconnectBands(report);
  const start = Date.parse(report.startedAt);
  const marks = report.cues.items.map((c) => ({ x: Date.parse(c.at) - start, label: c.label, color: COLORS.cue }));
  const plots: ShowReport['plots'] = [];
  plots.push({
    id: 'bitrate',
    title: 'Output bitrate',
    svg: renderLineChart({ title: 'Output bitrate (shaded: reconnecting; ▲ cues)', unit: 'kbit/s', xMax, bands, marks, series: [{ label: 'bitrate', color: COLORS.bitrate, points: t.map((p) => [p.t, p.bitrateKbps]) }] }),
  });
  plots.push({
    id: 'fps',
    title: 'Program frame rate',
    svg: renderLineChart({ title: 'Program frame rate', unit: 'fps', xMax, bands, yMin: 0, series: [{ label: 'fps', color: COLORS.fps, points: t.map((p) => [p.t, p.fps]) }], rules: targetFps > 0 ? [{ y: Math.round(targetFps * 0.8 * 10) / 10, label: `80% of ${targetFps} fps (danger)`, color: COLORS.danger }] : [] }),
  });
  plots.push({
    id: 'dropped',
    title: 'Dropped frames',
    svg: renderLineChart({
      title: 'Dropped frames (cumulative)',
      unit: 'frames',
      xMax,
      bands,
      yMin: 0,
      series: [
        { label: 'network (output)', color: COLORS.output, points: t.map((p) => [p.t, p.droppedOutput]) },
        { label: 'skipped (program)', color: COLORS.program, points: t.map((p) => [p.t, p.skippedProgram]) },
      ],
    }),
  });
  plots.push({
    id: 'latency',
    title: 'Glass-to-glass latency',
    svg: renderLineChart({
      title: report.latency.source === 'sei' ? 'Glass-to-glass latency (preview, from SEI stamps)' : 'Glass-to-glass latency: no SEI-stamped frames were measured',
      unit: 'ms',
      xMax,
      bands,
      marks,
      yMin: 0,
      series: [{ label: 'latency', color: COLORS.latency, points: t.map((p) => [p.t, p.latencyMs]) }],
      rules: [{ y: IVS_LATENCY_TARGET_MS, label: 'IVS: under 5 s', color: COLORS.target }],
    }),
  });
  plots.push({
    id: 'latency-distribution',
    title: 'Latency distribution',
    svg: renderHistogram({
      title: `Latency distribution (${report.latency.samples} frames${report.latency.p50Ms !== undefined ? `, p50 ${report.latency.p50Ms} ms, p95 ${report.latency.p95Ms} ms` : ''})`,
      unit: 'ms',
      bars: report.latency.histogram,
      bucket: 100,
      color: COLORS.latency,
      rules: report.latency.p50Ms !== undefined ? [{ x: report.latency.p50Ms, label: 'p50', color: COLORS.target }] : [],
    }),
  });
  plots.push({
    id: 'cpu',
    title: 'CPU',
    svg: renderLineChart({ title: 'CPU (studio + ffmpeg, % of one core)', unit: '%', xMax, bands, yMin: 0, series: [{ label: 'cpu', color: COLORS.cpu, points: t.map((p) => [p.t, p.cpuPercent]) }] }),
  });
  return plots;
}
