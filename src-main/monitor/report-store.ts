/**
 * Post-show reports on disk: `<data dir>/reports/<id>.json` (the numbers) and `<id>.html` (a standalone
 * page with the same plots, to open or send without the studio). Written atomically.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ShowReport, ShowReportSummary } from '../contract/domains/monitor';
import { writeFileAtomic } from '../core/documents';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import { clock, escapeXml } from './report-plots';

const log = createLogger('reports');

/** `show-2026-11-29T10-15-02Z`: sortable, safe in every file system. */
export function reportIdFor(startedAt: number): string {
  return `show-${new Date(startedAt).toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}`;
}

const ID_PATTERN = /^show-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z(?:-\d+)?$/;

export class ReportStore {
  readonly folder: string;

  constructor(dataDir: string) {
    this.folder = path.join(dataDir, 'reports');
  }

  filesFor(id: string): ShowReport['files'] {
    return { json: path.join(this.folder, `${id}.json`), html: path.join(this.folder, `${id}.html`) };
  }

  /** An id not used yet for a show starting at `startedAt`. */
  newId(startedAt: number): string {
    const base = reportIdFor(startedAt);
    let id = base;
    for (let n = 2; fs.existsSync(this.filesFor(id).json); n++) id = `${base}-${n}`;
    return id;
  }

  save(report: ShowReport): void {
    writeFileAtomic(report.files.json, `${JSON.stringify(report, null, 1)}\n`);
    writeFileAtomic(report.files.html, renderReportPage(report));
    log.info(`post-show report written: ${report.files.html}`);
  }

  list(): ShowReportSummary[] {
    let names: string[];
    try {
      names = fs.readdirSync(this.folder);
    } catch {
      return [];
    }
    const out: ShowReportSummary[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort().reverse()) {
      try {
        const report = JSON.parse(fs.readFileSync(path.join(this.folder, name), 'utf8')) as ShowReport;
        out.push(summaryOf(report));
      } catch (error) {
        log.warn(`unreadable report ${name}`, error);
      }
    }
    return out;
  }

  get(id: string): ShowReport {
    if (!ID_PATTERN.test(id)) throw new StudioError('BAD_REQUEST', { message: `"${id.slice(0, 60)}" is not a report id.` });
    try {
      return JSON.parse(fs.readFileSync(this.filesFor(id).json, 'utf8')) as ShowReport;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new StudioError('NOT_FOUND', { message: `There is no report ${id}.` });
      throw new StudioError('DOCUMENT_INVALID', { message: `The report ${id} could not be read: ${(error as Error).message}` });
    }
  }
}

export function summaryOf(report: ShowReport): ShowReportSummary {
  const summary: ShowReportSummary = {
    id: report.id,
    label: report.label,
    startedAt: report.startedAt,
    endedAt: report.endedAt,
    durationMs: report.durationMs,
    droppedFrames: report.droppedFrames,
    reconnects: report.reconnects,
  };
  if (report.latencyP50Ms !== undefined) summary.latencyP50Ms = report.latencyP50Ms;
  return summary;
}

/** The standalone page: summary figures, plots, reconnects, cues, throttles. No script. */
export function renderReportPage(report: ShowReport): string {
  const e = escapeXml;
  const fig = (label: string, value: string) => `<div class="fig"><div class="v">${e(value)}</div><div class="l">${e(label)}</div></div>`;
  const latency = report.latency.p50Ms !== undefined ? `${(report.latency.p50Ms / 1000).toFixed(2)} s / ${((report.latency.p95Ms ?? 0) / 1000).toFixed(2)} s` : 'not measured';
  const rows = (items: string[][]) => items.map((r) => `<tr>${r.map((c) => `<td>${e(c)}</td>`).join('')}</tr>`).join('');
  const start = Date.parse(report.startedAt);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Show report · ${e(report.label)} · ${e(report.startedAt)}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:720px;color:#151922;background:#fff}
h1{font-size:20px;margin:0 0 4px} .muted{color:#4f5867}
.figs{display:flex;flex-wrap:wrap;gap:10px;margin:16px 0}
.fig{border:1px solid #cfd4dd;border-radius:8px;padding:8px 12px;min-width:120px}
.fig .v{font-size:18px;font-weight:600} .fig .l{color:#4f5867;font-size:12px}
figure{margin:18px 0} table{border-collapse:collapse;width:100%} td,th{border-bottom:1px solid #e3e6ec;padding:4px 6px;text-align:left}
</style></head><body>
<h1>Show report: ${e(report.label)}</h1>
<div class="muted">${e(new Date(report.startedAt).toUTCString())} · ${e(clock(report.durationMs))} long</div>
<div class="figs">
${fig('duration', clock(report.durationMs))}
${fig('dropped frames (network)', String(report.dropped.output))}
${fig('skipped frames (program)', String(report.dropped.programDropped + report.dropped.programDuplicated))}
${fig('reconnects', String(report.reconnects))}
${fig('latency p50 / p95', latency)}
${fig('cues fired / confirmed', `${report.cues.fired} / ${report.cues.confirmed}`)}
${fig('throttles', String(report.throttles.length))}
</div>
${report.plots.map((p) => `<figure>${p.svg}</figure>`).join('\n')}
<h2>Reconnects</h2>
${report.reconnectList.length ? `<table><tr><th>at</th><th>duration</th></tr>${rows(report.reconnectList.map((r) => [clock(Date.parse(r.at) - start), `${(r.durationMs / 1000).toFixed(1)} s`]))}</table>` : '<p class="muted">None.</p>'}
<h2>Cues</h2>
${report.cues.items.length ? `<table><tr><th>at</th><th>cue</th><th>seen by the preview</th></tr>${rows(report.cues.items.map((c) => [clock(Date.parse(c.at) - start), c.label, c.failed ? `failed: ${c.failed}` : c.confirmedAfterMs !== undefined ? `after ${(c.confirmedAfterMs / 1000).toFixed(2)} s` : 'not confirmed']))}</table>` : '<p class="muted">None.</p>'}
<h2>Throttling</h2>
${report.throttles.length ? `<table><tr><th>at</th><th>what</th></tr>${rows(report.throttles.map((t) => [clock(Date.parse(t.at) - start), t.what]))}</table>` : '<p class="muted">None.</p>'}
</body></html>
`;
}
