import type { HealthLevel, StudioStats } from '@contract/studio-api';

export function kbps(value: number): string {
  return value >= 1000 ? `${(value / 1000).toFixed(2)} Mb/s` : `${Math.round(value)} kb/s`;
}

export function seconds(ms: number): string {
  return ms >= 10_000 ? `${(ms / 1000).toFixed(0)} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function levelWord(level: HealthLevel): string {
  return { ok: 'Healthy', warning: 'Warning', danger: 'Trouble' }[level];
}

/** One line saying what is wrong, worst first; undefined when all is well. */
export function headline(stats: StudioStats): string | undefined {
  const problems: Array<{ level: HealthLevel; text: string }> = [];
  const o = stats.output;
  const p = stats.program;
  if (o && o.state === 'reconnecting') problems.push({ level: 'danger', text: `Reconnecting to the ingest (${seconds(o.reconnects.current?.sinceMs ?? 0)})` });
  if (o && o.droppedLevel !== 'ok') problems.push({ level: o.droppedLevel, text: `${o.droppedPercent}% frames dropped on the network` });
  if (p?.running && p.fpsLevel !== 'ok') problems.push({ level: p.fpsLevel, text: `Program at ${p.fps} of ${p.targetFps} fps` });
  if (p && p.skippedLevel !== 'ok') problems.push({ level: p.skippedLevel, text: `${p.skippedPercent}% frames skipped by the program` });
  if (stats.latency.level !== 'ok' && stats.latency.glassToGlassMs !== undefined) problems.push({ level: stats.latency.level, text: `Latency ${seconds(stats.latency.glassToGlassMs)}` });
  for (const d of stats.divergences) problems.push({ level: d.level, text: d.message });
  problems.sort((a, b) => (a.level === b.level ? 0 : a.level === 'danger' ? -1 : 1));
  return problems[0]?.text;
}
