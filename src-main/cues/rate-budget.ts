/**
 * The PutMetadata budget of one channel: IVS allows 5 calls per second per channel.
 *
 * A token bucket of 5 whose tokens each come back one window (+ a safety margin) after they were
 * spent. WHY not the classic bucket that refills continuously at 5/s: that one lets a burst of 5
 * through and then one more every 200 ms, i.e. up to 9 calls inside one second, which a
 * per-second quota (and the local channel's sliding window) throttles. Returning each token a full
 * window later keeps every 1-second window at 5 calls or fewer, while still letting a burst of 5
 * go out at once.
 *
 * A token's window starts again when its call completes (`finish`): IVS counted the call at some
 * moment between our send and its answer, and only the answer bounds it; counting from the send
 * would let a slow first call and a fast sixth fall into one IVS second. The margin absorbs the
 * remaining difference between our clock and IVS's front door.
 *
 * The clock is injected so tests are exact.
 */
export interface RateBudgetOptions {
  /** Calls per window (IVS: 5). */
  capacity?: number;
  windowMs?: number;
  /** Added to the window before a token returns. */
  marginMs?: number;
  now?: () => number;
}

export class RateBudget {
  readonly capacity: number;
  readonly windowMs: number;
  readonly marginMs: number;
  private readonly now: () => number;
  /** When each spent token returns, soonest first. */
  private returns: { id: number; at: number }[] = [];
  private nextId = 1;

  constructor(options: RateBudgetOptions = {}) {
    this.capacity = options.capacity ?? 5;
    this.windowMs = options.windowMs ?? 1000;
    this.marginMs = options.marginMs ?? 60;
    this.now = options.now ?? (() => Date.now());
  }

  private settle(): number {
    const t = this.now();
    while (this.returns.length > 0 && this.returns[0]!.at <= t) this.returns.shift();
    return t;
  }

  /** Tokens available now. */
  available(): number {
    this.settle();
    return this.capacity - this.returns.length;
  }

  /** Spends a token if there is one; returns its id (for `finish`), or undefined when none is left. */
  tryTake(): number | undefined {
    const t = this.settle();
    if (this.returns.length >= this.capacity) return undefined;
    const id = this.nextId++;
    this.returns.push({ id, at: t + this.windowMs + this.marginMs });
    return id;
  }

  /** The call that spent `token` completed now: its window runs from here. */
  finish(token: number): void {
    const t = this.now();
    const entry = this.returns.find((r) => r.id === token);
    if (!entry) return;
    entry.at = Math.max(entry.at, t + this.windowMs + this.marginMs);
    this.returns.sort((a, b) => a.at - b.at);
  }

  /** Milliseconds until a token is available (0 when one is). */
  msUntilAvailable(): number {
    const t = this.settle();
    if (this.returns.length < this.capacity) return 0;
    return Math.max(0, this.returns[0]!.at - t);
  }

  /**
   * IVS said "throttled": someone else (another tool, another studio) is spending this channel's
   * budget too. Assume the window is full from now on, so the retry waits for a whole window.
   */
  exhaust(): void {
    const t = this.settle();
    const until = t + this.windowMs + this.marginMs;
    this.returns = Array.from({ length: this.capacity }, (_, i) => ({ id: this.returns[i]?.id ?? this.nextId++, at: Math.max(this.returns[i]?.at ?? 0, until) }));
  }
}
