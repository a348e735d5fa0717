/**
 * OBS's stats colours, as data: a stream is in warning from 1% dropped frames or under 95% of its
 * target frame rate, in danger from 5% or under 80%. Latency is judged against IVS's "under 5 s":
 * warning past 3 s (half the margin gone), danger at 5 s. Pure.
 */
import type { HealthLevel } from '../contract/domains/monitor';

export const DROPPED_WARNING_PERCENT = 1;
export const DROPPED_DANGER_PERCENT = 5;
export const FPS_WARNING_RATIO = 0.95;
export const FPS_DANGER_RATIO = 0.8;
export const IVS_LATENCY_TARGET_MS = 5000;
export const LATENCY_WARNING_MS = 3000;

export function droppedLevel(percent: number): HealthLevel {
  if (percent >= DROPPED_DANGER_PERCENT) return 'danger';
  if (percent >= DROPPED_WARNING_PERCENT) return 'warning';
  return 'ok';
}

/** A frame rate of 0 with a target means nothing is coming out: danger. No target: nothing to judge. */
export function fpsLevel(fps: number, targetFps: number): HealthLevel {
  if (!(targetFps > 0)) return 'ok';
  const ratio = fps / targetFps;
  if (ratio < FPS_DANGER_RATIO) return 'danger';
  if (ratio < FPS_WARNING_RATIO) return 'warning';
  return 'ok';
}

export function latencyLevel(ms: number | undefined): HealthLevel {
  if (ms === undefined) return 'ok';
  if (ms >= IVS_LATENCY_TARGET_MS) return 'danger';
  if (ms >= LATENCY_WARNING_MS) return 'warning';
  return 'ok';
}

const rank: Record<HealthLevel, number> = { ok: 0, warning: 1, danger: 2 };

export function worstLevel(levels: Iterable<HealthLevel>): HealthLevel {
  let worst: HealthLevel = 'ok';
  for (const level of levels) if (rank[level] > rank[worst]) worst = level;
  return worst;
}

/** part / whole as a percent with one decimal; 0 when there is no whole yet. */
export function percentOf(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.round((part / whole) * 1000) / 10;
}
