/**
 * Sliding-window call-rate limits, as IVS applies to PutMetadata (5 TPS per channel, 155 TPS per
 * account). Only admitted calls count, so a throttled client recovers as soon as it slows down.
 * The clock is injected so tests are exact.
 */
export class SlidingWindowLimiter {
  private readonly calls = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** True (and the call is counted) when `key` is under its limit. */
  tryAcquire(key: string): boolean {
    const t = this.now();
    const recent = (this.calls.get(key) ?? []).filter((at) => t - at < this.windowMs);
    if (recent.length >= this.limit) {
      this.calls.set(key, recent);
      return false;
    }
    recent.push(t);
    this.calls.set(key, recent);
    return true;
  }

  /** Undoes the last acquisition for `key` (when a later check refuses the call). */
  release(key: string): void {
    this.calls.get(key)?.pop();
  }

  forget(key: string): void {
    this.calls.delete(key);
  }
}
