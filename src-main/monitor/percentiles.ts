/** Order statistics for latency figures. Pure. */

/** The p-th percentile (0–100) by nearest rank; undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** Counts per bucket of `bucketMs`, from the lowest to the highest bucket that has a value (gaps kept as 0). */
export function histogram(values: readonly number[], bucketMs: number): Array<{ fromMs: number; count: number }> {
  if (values.length === 0) return [];
  const first = Math.floor(Math.min(...values) / bucketMs);
  const last = Math.floor(Math.max(...values) / bucketMs);
  // A wild outlier must not make thousands of empty buckets: cap the range, fold the rest into the ends.
  const maxBuckets = 200;
  const span = Math.min(last - first + 1, maxBuckets);
  const counts = new Array<number>(span).fill(0);
  for (const value of values) {
    const index = Math.min(span - 1, Math.max(0, Math.floor(value / bucketMs) - first));
    counts[index]!++;
  }
  return counts.map((count, i) => ({ fromMs: (first + i) * bucketMs, count }));
}

/** Keeps the samples of the last `windowMs`. */
export class SlidingWindow {
  private readonly entries: Array<{ at: number; value: number }> = [];

  constructor(private readonly windowMs: number) {}

  add(at: number, values: readonly number[]): void {
    for (const value of values) if (Number.isFinite(value)) this.entries.push({ at, value });
    this.trim(at);
  }

  values(now: number): number[] {
    this.trim(now);
    return this.entries.map((e) => e.value);
  }

  clear(): void {
    this.entries.length = 0;
  }

  private trim(now: number): void {
    while (this.entries.length > 0 && this.entries[0]!.at < now - this.windowMs) this.entries.shift();
  }
}
