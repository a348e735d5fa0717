import type { PlayerState } from '@contract/studio-api';

/** 820 → "0.82 s", 12345 → "12.3 s". */
export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${s < 10 ? s.toFixed(2) : s.toFixed(1)} s`;
}

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function playerStateLabel(state: PlayerState): string {
  return { offline: 'Offline', starting: 'Starting…', playing: 'Live', reconnecting: 'Reconnecting…', error: 'Error' }[state];
}
