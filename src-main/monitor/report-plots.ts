/**
 * SVG plots for the post-show report, drawn from numbers only: no script, no inline CSS (the studio's
 * CSP forbids it; presentation attributes are fine), text escaped. The same markup goes into the
 * studio's report view and into the standalone HTML page beside the JSON. Pure.
 */

export interface Series {
  label: string;
  color: string;
  /** [x, y]; y undefined leaves a gap. */
  points: Array<[number, number | undefined]>;
}

export interface Band {
  from: number;
  to: number;
  color: string;
  label?: string;
}

export interface LineChart {
  title: string;
  unit: string;
  series: Series[];
  /** Horizontal reference lines (targets, thresholds). */
  rules?: Array<{ y: number; label: string; color: string }>;
  /** Shaded x ranges (reconnects). */
  bands?: Band[];
  /** Point markers on the x axis (cues). */
  marks?: Array<{ x: number; label: string; color: string }>;
  xMax: number;
  yMin?: number;
  yMax?: number;
}

const W = 640;
const H = 180;
const M = { left: 52, right: 12, top: 26, bottom: 26 };
const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif';

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** mm:ss (or h:mm:ss) for a time axis in ms. */
export function clock(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

/** Round tick steps (1, 2, 5 × 10^n) giving about `count` ticks over `span`. */
export function niceStep(span: number, count = 4): number {
  if (!(span > 0)) return 1;
  const raw = span / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const normalized = raw / magnitude;
  const step = normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10;
  return step * magnitude;
}

function fmt(value: number): string {
  if (Math.abs(value) >= 1000) return `${Math.round(value / 100) / 10}k`;
  return String(Math.round(value * 100) / 100);
}

function frame(title: string, body: string, legend: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeXml(title)}" font-family="${FONT}" font-size="11">` +
    `<title>${escapeXml(title)}</title>` +
    `<text x="${M.left}" y="15" font-size="12.5" font-weight="600" fill="currentColor">${escapeXml(title)}</text>` +
    legend +
    body +
    `</svg>`
  );
}

export function renderLineChart(chart: LineChart): string {
  const xMax = Math.max(1, chart.xMax);
  const ys = chart.series.flatMap((s) => s.points.map((p) => p[1]).filter((y): y is number => y !== undefined && Number.isFinite(y)));
  for (const rule of chart.rules ?? []) ys.push(rule.y);
  let yMin = chart.yMin ?? Math.min(0, ...ys);
  let yMax = chart.yMax ?? Math.max(1, ...ys);
  if (yMax <= yMin) yMax = yMin + 1;
  const step = niceStep(yMax - yMin);
  yMax = Math.ceil(yMax / step) * step;
  yMin = Math.floor(yMin / step) * step;
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (v: number) => M.left + (Math.min(Math.max(v, 0), xMax) / xMax) * plotW;
  const y = (v: number) => M.top + plotH - ((Math.min(Math.max(v, yMin), yMax) - yMin) / (yMax - yMin)) * plotH;
  const parts: string[] = [];
  for (const band of chart.bands ?? []) {
    const x0 = x(band.from);
    const width = Math.max(2, x(band.to) - x0);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${M.top}" width="${width.toFixed(1)}" height="${plotH}" fill="${band.color}" fill-opacity="0.18">${band.label ? `<title>${escapeXml(band.label)}</title>` : ''}</rect>`);
  }
  // Grid and y labels.
  for (let v = yMin; v <= yMax + step / 2; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="currentColor" stroke-opacity="0.12"/>`);
    parts.push(`<text x="${M.left - 6}" y="${yy}" dy="3.5" text-anchor="end" fill="currentColor" fill-opacity="0.7">${fmt(v)}</text>`);
  }
  parts.push(`<text x="${M.left - 6}" y="${M.top - 6}" text-anchor="end" fill="currentColor" fill-opacity="0.7">${escapeXml(chart.unit)}</text>`);
  // x ticks as clock times.
  const xStep = niceStep(xMax / 1000, 6) * 1000;
  for (let v = 0; v <= xMax + 1; v += xStep) {
    const xx = x(v).toFixed(1);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${M.top + plotH}" y2="${M.top + plotH + 4}" stroke="currentColor" stroke-opacity="0.4"/>`);
    parts.push(`<text x="${xx}" y="${H - 8}" text-anchor="middle" fill="currentColor" fill-opacity="0.7">${clock(v)}</text>`);
  }
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`);
  for (const rule of chart.rules ?? []) {
    const yy = y(rule.y).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="${rule.color}" stroke-dasharray="5 4" stroke-width="1.2"/>`);
    parts.push(`<text x="${W - M.right - 2}" y="${yy}" dy="-3" text-anchor="end" fill="${rule.color}">${escapeXml(rule.label)}</text>`);
  }
  for (const series of chart.series) {
    let d = '';
    let pen = false;
    for (const [px, py] of series.points) {
      if (py === undefined || !Number.isFinite(py)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${x(px).toFixed(1)} ${y(py).toFixed(1)}`;
      pen = true;
    }
    if (d) parts.push(`<path d="${d}" fill="none" stroke="${series.color}" stroke-width="1.6" stroke-linejoin="round"/>`);
  }
  for (const mark of chart.marks ?? []) {
    const xx = x(mark.x).toFixed(1);
    parts.push(`<path d="M${xx} ${M.top + plotH} l-4 7 h8 z" fill="${mark.color}"><title>${escapeXml(mark.label)}</title></path>`);
  }
  return frame(chart.title, parts.join(''), legend(chart.series.filter((s) => s.points.some((p) => p[1] !== undefined))));
}

function legend(series: Array<{ label: string; color: string }>): string {
  if (series.length < 2) return '';
  let at = W - M.right;
  const items: string[] = [];
  for (const s of [...series].reverse()) {
    const width = 16 + s.label.length * 6.2;
    at -= width;
    items.push(`<rect x="${at.toFixed(0)}" y="7" width="10" height="10" rx="2" fill="${s.color}"/><text x="${(at + 14).toFixed(0)}" y="16" fill="currentColor">${escapeXml(s.label)}</text>`);
    at -= 10;
  }
  return items.join('');
}

export interface BarChart {
  title: string;
  unit: string;
  bars: Array<{ fromMs: number; count: number }>;
  bucket: number;
  color: string;
  rules?: Array<{ x: number; label: string; color: string }>;
}

/** A histogram: x in the value's unit (buckets of `bucket`), y counts. */
export function renderHistogram(chart: BarChart): string {
  if (chart.bars.length === 0) return frame(chart.title, `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="currentColor" fill-opacity="0.7">No samples</text>`, '');
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const xMin = chart.bars[0]!.fromMs;
  const xMax = Math.max(chart.bars.at(-1)!.fromMs + chart.bucket, ...(chart.rules ?? []).map((r) => r.x));
  const yMax = Math.max(1, ...chart.bars.map((b) => b.count));
  const x = (v: number) => M.left + ((v - xMin) / (xMax - xMin)) * plotW;
  const y = (v: number) => M.top + plotH - (v / yMax) * plotH;
  const parts: string[] = [];
  const step = niceStep(yMax);
  for (let v = 0; v <= yMax; v += step) {
    const yy = y(v).toFixed(1);
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${yy}" y2="${yy}" stroke="currentColor" stroke-opacity="0.12"/>`);
    parts.push(`<text x="${M.left - 6}" y="${yy}" dy="3.5" text-anchor="end" fill="currentColor" fill-opacity="0.7">${fmt(v)}</text>`);
  }
  for (const bar of chart.bars) {
    const x0 = x(bar.fromMs);
    const width = Math.max(1, x(bar.fromMs + chart.bucket) - x0 - 1);
    parts.push(`<rect x="${x0.toFixed(1)}" y="${y(bar.count).toFixed(1)}" width="${width.toFixed(1)}" height="${(M.top + plotH - y(bar.count)).toFixed(1)}" fill="${chart.color}"><title>${fmt(bar.fromMs)}–${fmt(bar.fromMs + chart.bucket)} ${escapeXml(chart.unit)}: ${bar.count}</title></rect>`);
  }
  const xStep = niceStep(xMax - xMin, 6);
  for (let v = Math.ceil(xMin / xStep) * xStep; v <= xMax; v += xStep) {
    parts.push(`<text x="${x(v).toFixed(1)}" y="${H - 8}" text-anchor="middle" fill="currentColor" fill-opacity="0.7">${fmt(v)}</text>`);
  }
  parts.push(`<text x="${W - M.right}" y="${H - 8}" dx="0" dy="-12" text-anchor="end" fill="currentColor" fill-opacity="0.7">${escapeXml(chart.unit)}</text>`);
  parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${M.top + plotH}" y2="${M.top + plotH}" stroke="currentColor" stroke-opacity="0.4"/>`);
  for (const rule of chart.rules ?? []) {
    const xx = x(rule.x).toFixed(1);
    parts.push(`<line x1="${xx}" x2="${xx}" y1="${M.top}" y2="${M.top + plotH}" stroke="${rule.color}" stroke-dasharray="5 4" stroke-width="1.2"/>`);
    parts.push(`<text x="${xx}" y="${M.top + 10}" dx="-4" text-anchor="end" fill="${rule.color}">${escapeXml(rule.label)}</text>`);
  }
  return frame(chart.title, parts.join(''), '');
}
