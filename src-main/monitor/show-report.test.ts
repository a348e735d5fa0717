import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StudioStats } from '../contract/domains/monitor';
import { clock, escapeXml, niceStep, renderLineChart } from './report-plots';
import { ReportStore, reportIdFor } from './report-store';
import { ShowRecorder } from './show-report';

const T0 = Date.parse('2026-11-29T10:00:00Z');

function stats(i: number, patch: Partial<StudioStats> = {}): StudioStats {
  return {
    at: new Date(T0 + i * 1000).toISOString(),
    processes: [],
    cpuTotalPercent: 40 + i,
    memoryTotalMb: 300,
    latency: { source: 'sei', playerState: 'playing', ivsTargetMs: 5000, level: 'ok', glassToGlassMs: 800 + i },
    divergences: [],
    level: 'ok',
    output: {
      state: 'live',
      uptimeMs: i * 1000,
      bitrateKbps: 3500,
      framesSent: i * 30,
      droppedFrames: i > 5 ? 12 : 0,
      droppedPercent: 0,
      droppedLevel: 'ok',
      congestion: 0,
      reconnects: { count: 0, durationsMs: [] },
    },
    ...patch,
  };
}

let dir: string | undefined;
afterEach(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

describe('post-show report', () => {
  it('records a show with a reconnect, latency, cues and throttles, and plots it', () => {
    const show = new ShowRecorder('show-x', T0, { kind: 'local-channel', label: 'Local channel · default <&>' });
    show.onState('live', T0 + 500);
    for (let i = 1; i <= 10; i++) show.addStats(stats(i), T0 + i * 1000);
    show.onState('reconnecting', T0 + 4000);
    show.onState('live', T0 + 6500);
    show.addLatencySamples([700, 750, 800, 820, 1900, Number.NaN]);
    const fire = (fid: string, at: number, patch: Partial<Parameters<ShowRecorder['cueUpdated']>[0]> = {}) => ({ fid, cueName: fid, firedAt: new Date(at).toISOString(), status: 'queued', ...patch });
    show.cueUpdated(fire('poll-1', T0 + 3000), T0 + 3000);
    show.cueUpdated(fire('poll-1', T0 + 3000, { status: 'seen', deliveryMs: 1200 }), T0 + 4200);
    show.cueUpdated(fire('poll-2', T0 + 5000, { throttled: 1 }), T0 + 5100);
    show.cueUpdated(fire('poll-2', T0 + 5000, { status: 'failed', throttled: 3, error: { message: 'IVS kept throttling' } }), T0 + 9000);
    show.addThrottle(T0 + 5000, 'network congestion');
    show.addThrottle(T0 + 6000, 'network congestion');
    const report = show.finish(T0 + 11_000, { json: '/x.json', html: '/x.html' });

    expect(report.durationMs).toBe(11_000);
    expect(report.reconnectList).toEqual([{ at: new Date(T0 + 4000).toISOString(), durationMs: 2500 }]);
    expect(report.reconnects).toBe(1);
    expect(report.droppedFrames).toBe(12);
    expect(report.latency).toMatchObject({ samples: 5, source: 'sei', p50Ms: 800, p95Ms: 1900, minMs: 700, maxMs: 1900 });
    expect(report.latency.histogram[0]).toEqual({ fromMs: 700, count: 2 });
    expect(report.cues).toMatchObject({ fired: 2, confirmed: 1, failed: 1 });
    expect(report.cues.items[0]!.confirmedAfterMs).toBe(1200);
    // Two cue throttle lines, one congestion line (the second within 10 s is folded), in the order recorded.
    expect(report.throttles.map((t) => t.what)).toEqual(['IVS throttled PutMetadata for the cue "poll-2" (1×, retried)', 'IVS throttled PutMetadata for the cue "poll-2" (3×, retried)', 'network congestion']);
    expect(report.cues.items[1]).toMatchObject({ label: 'poll-2', failed: 'IVS kept throttling' });
    expect(report.timeline).toHaveLength(10);
    expect(report.plots.map((p) => p.id)).toEqual(['bitrate', 'fps', 'dropped', 'latency', 'latency-distribution', 'cpu']);
    for (const plot of report.plots) {
      expect(plot.svg).toMatch(/^<svg [^>]*role="img"/);
      expect(plot.svg).not.toMatch(/<script|style=|on\w+=/i);
    }
    // The reconnect is a shaded band; the IVS target a rule.
    expect(report.plots.find((p) => p.id === 'bitrate')!.svg).toContain('Reconnecting for 2.5 s');
    expect(report.plots.find((p) => p.id === 'latency')!.svg).toContain('IVS: under 5 s');
  });

  it('a show without SEI says so instead of plotting a guess', () => {
    const show = new ShowRecorder('show-y', T0, { kind: 'custom', label: 'x' });
    show.addStats(stats(1, { latency: { source: 'none', playerState: 'playing', ivsTargetMs: 5000, level: 'ok' } }), T0 + 1000);
    const report = show.finish(T0 + 2000, { json: '', html: '' });
    expect(report.latency).toMatchObject({ samples: 0, source: 'none' });
    expect(report.latencyP50Ms).toBeUndefined();
    expect(report.plots.find((p) => p.id === 'latency')!.svg).toContain('no SEI-stamped frames');
    expect(report.plots.find((p) => p.id === 'latency-distribution')!.svg).toContain('No samples');
  });

  it('a very long show keeps a bounded, uniform latency sample', () => {
    const show = new ShowRecorder('show-z', T0, { kind: 'custom', label: 'x' });
    for (let i = 0; i < 50; i++) show.addLatencySamples(Array.from({ length: 1000 }, (_, j) => (i * 1000 + j) % 2000));
    show.addStats(stats(1), T0 + 1000);
    const report = show.finish(T0 + 2000, { json: '', html: '' });
    expect(report.latency.samples).toBeLessThanOrEqual(20_000);
    expect(report.latency.samples).toBeGreaterThan(5_000);
    expect(report.latency.p50Ms).toBeGreaterThan(800);
    expect(report.latency.p50Ms).toBeLessThan(1200);
  });

  it('store: writes JSON + HTML atomically, lists newest first, refuses ids that are not ids', () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reports-'));
    const store = new ReportStore(dir);
    for (const offset of [0, 60_000]) {
      const id = store.newId(T0 + offset);
      const show = new ShowRecorder(id, T0 + offset, { kind: 'local-channel', label: `show at ${offset}` });
      show.addStats(stats(1), T0 + offset + 1000);
      store.save(show.finish(T0 + offset + 5000, store.filesFor(id)));
    }
    expect(store.newId(T0)).toBe(`${reportIdFor(T0)}-2`);
    const list = store.list();
    expect(list.map((r) => r.label)).toEqual(['show at 60000', 'show at 0']);
    const report = store.get(list[1]!.id);
    expect(report.durationMs).toBe(5000);
    const html = fs.readFileSync(report.files.html, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toContain('<script');
    expect(() => store.get('../../etc/passwd')).toThrow(/not a report id/);
    expect(() => store.get('show-2000-01-01T00-00-00Z')).toThrow(/no report/);
  });

  it('plot helpers', () => {
    expect(escapeXml('<a href="x">&\'')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&#39;');
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
    expect(niceStep(7)).toBe(2);
    expect(niceStep(3600)).toBe(1000);
    const svg = renderLineChart({ title: 'T', unit: 'u', xMax: 10_000, series: [{ label: 'a', color: '#fff', points: [[0, 1], [5000, undefined], [10_000, 3]] }] });
    // A gap in the data is a gap in the line (two moves).
    expect(svg.match(/<path d="M/g)).toHaveLength(1);
    expect((svg.match(/d="([^"]+)"/)![1]!.match(/M/g) ?? []).length).toBe(2);
  });
});
