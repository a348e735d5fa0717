/**
 * One channel's PutMetadata queue. Fires leave in the order they came, one call at a time, each
 * spending a token of the channel's RateBudget (5/s). IVS throttling is absorbed here: the budget is
 * marked exhausted and the same fire is retried after a jittered back-off, so the producer never
 * sees a ThrottlingException, only a fire that took a little longer. Transient failures (endpoint
 * unreachable, IVS unavailable) get a few retries; anything else fails the fire with its reason.
 * "Not live" fails every waiting fire at once: they would all get the same answer.
 *
 * Burst policies apply to fires of the same cue that are still waiting (not the one in flight):
 * queue (append), coalesce (the newer one takes the waiting one's place), reject (refused).
 * Low-priority items (late-joiner re-sends) go only when nothing else waits and the budget has
 * tokens to spare, so they never delay a producer's fire.
 */
import type { CueBurstPolicy } from '../contract/domains/cues';
import type { StudioErrorCode } from '../contract/errors';
import type { Disposable } from '../core/disposable';
import { StudioError } from '../core/studio-error';
import { RateBudget } from './rate-budget';

export interface QueueItemEvents {
  /** A PutMetadata call is about to be made (attempt number from 1). */
  attempt?(attempt: number): void;
  /** IVS throttled this attempt; it will be retried. */
  throttled?(count: number): void;
  accepted(atMs: number): void;
  failed(error: StudioError): void;
  /** A newer fire of the same cue replaced this one while it waited. */
  coalesced?(byId: string): void;
}

export interface QueueItemInput {
  id: string;
  /** For burst policies; items without a cue id never coalesce or reject. */
  cueId?: string;
  payload: string;
  burst?: CueBurstPolicy;
  lowPriority?: boolean;
  events: QueueItemEvents;
}

interface QueueItem extends QueueItemInput {
  enqueuedAt: number;
  attempts: number;
  throttled: number;
  transientFailures: number;
  /** Not before this time (back-off after a throttle or a transient failure). */
  notBefore: number;
}

export type EnqueueResult = { outcome: 'queued' } | { outcome: 'coalesced'; replacedId: string } | { outcome: 'rejected'; waitingId: string };

export interface RetryOptions {
  /** First back-off; doubles per retry up to maxMs. */
  baseMs: number;
  maxMs: number;
  /** A throttled fire is given up (failed) this long after it was queued. */
  giveUpAfterMs: number;
  /** Retries for transient failures (unreachable, unavailable). */
  transientRetries: number;
  /** 0–1; Math.random unless a test fixes it. */
  random: () => number;
}

export const DEFAULT_RETRY: RetryOptions = { baseMs: 250, maxMs: 2_000, giveUpAfterMs: 30_000, transientRetries: 3, random: Math.random };

/** Tokens a low-priority item leaves in the bucket for the producer's next fires. */
const LOW_PRIORITY_RESERVE = 2;

const TRANSIENT: ReadonlySet<StudioErrorCode> = new Set(['ENDPOINT_UNREACHABLE', 'IVS_UNAVAILABLE']);

export interface FireQueueOptions {
  channelArn: string;
  /** PutMetadata for this channel; throws StudioError (mapped at the IVS edge). */
  send(payload: string): Promise<void>;
  budget?: RateBudget;
  retry?: Partial<RetryOptions>;
  now?: () => number;
}

/** The jittered back-off before retry `n` (from 1): half to all of base·2^(n−1), capped. */
export function backoffMs(n: number, retry: Pick<RetryOptions, 'baseMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(retry.maxMs, retry.baseMs * 2 ** Math.max(0, n - 1));
  return Math.round(ceiling * (0.5 + 0.5 * retry.random()));
}

export class ChannelFireQueue implements Disposable {
  readonly channelArn: string;
  readonly budget: RateBudget;
  private readonly retry: RetryOptions;
  private readonly now: () => number;
  private readonly items: QueueItem[] = [];
  private inFlight: QueueItem | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumping = false;
  private disposed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: FireQueueOptions) {
    this.channelArn = options.channelArn;
    this.now = options.now ?? (() => Date.now());
    this.budget = options.budget ?? new RateBudget({ now: this.now });
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
  }

  /** Items waiting (not counting the one in flight). */
  get waiting(): number {
    return this.items.length;
  }

  get idle(): boolean {
    return this.items.length === 0 && !this.inFlight;
  }

  /** Resolves when nothing waits and nothing is in flight. */
  whenIdle(): Promise<void> {
    if (this.idle) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** True when a low-priority item would go out now without touching the producer's reserve. */
  hasSpareBudget(): boolean {
    return this.idle && this.budget.available() > LOW_PRIORITY_RESERVE;
  }

  enqueue(input: QueueItemInput): EnqueueResult {
    if (this.disposed) throw new StudioError('INTERNAL', { message: 'The cue queue is closed (the studio is stopping).' });
    const item: QueueItem = { ...input, enqueuedAt: this.now(), attempts: 0, throttled: 0, transientFailures: 0, notBefore: 0 };
    let result: EnqueueResult = { outcome: 'queued' };
    const waitingSameCue = input.cueId !== undefined && !input.lowPriority ? this.items.findIndex((i) => i.cueId === input.cueId && !i.lowPriority) : -1;
    if (waitingSameCue >= 0 && input.burst === 'reject') {
      return { outcome: 'rejected', waitingId: this.items[waitingSameCue]!.id };
    }
    if (waitingSameCue >= 0 && input.burst === 'coalesce') {
      const replaced = this.items[waitingSameCue]!;
      // The newer payload goes out in the older one's place in the line (it was already waiting its turn).
      this.items[waitingSameCue] = { ...item, attempts: replaced.attempts, throttled: replaced.throttled, notBefore: replaced.notBefore };
      replaced.events.coalesced?.(item.id);
      result = { outcome: 'coalesced', replacedId: replaced.id };
    } else if (input.lowPriority) {
      this.items.push(item);
    } else {
      // Producer fires go ahead of any waiting re-send.
      const firstLow = this.items.findIndex((i) => i.lowPriority);
      if (firstLow < 0) this.items.push(item);
      else this.items.splice(firstLow, 0, item);
    }
    this.schedule(0);
    return result;
  }

  private schedule(delayMs: number): void {
    if (this.disposed || this.pumping) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.pump();
    }, Math.max(0, delayMs));
  }

  private async pump(): Promise<void> {
    if (this.pumping || this.disposed) return;
    this.pumping = true;
    try {
      while (!this.disposed && this.items.length > 0) {
        const item = this.items[0]!;
        if (item.lowPriority && this.budget.available() <= LOW_PRIORITY_RESERVE) {
          // A re-send waits for spare tokens; producer fires arriving meanwhile jump ahead of it.
          this.pumping = false;
          this.schedule(Math.max(50, this.budget.msUntilAvailable() || this.budget.windowMs / this.budget.capacity));
          return;
        }
        const wait = Math.max(this.budget.msUntilAvailable(), item.notBefore - this.now());
        if (wait > 0) {
          this.pumping = false;
          this.schedule(wait);
          return;
        }
        const token = this.budget.tryTake();
        this.items.shift();
        this.inFlight = item;
        item.attempts++;
        item.events.attempt?.(item.attempts);
        try {
          await this.options.send(item.payload);
          if (token !== undefined) this.budget.finish(token);
          this.inFlight = undefined;
          if (!this.disposed) item.events.accepted(this.now());
        } catch (error) {
          if (token !== undefined) this.budget.finish(token);
          this.inFlight = undefined;
          if (this.disposed) break;
          this.handleFailure(item, error instanceof StudioError ? error : new StudioError('INTERNAL', { details: String(error), cause: error }));
        }
      }
    } finally {
      this.pumping = false;
    }
    if (this.idle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private handleFailure(item: QueueItem, error: StudioError): void {
    const now = this.now();
    if (error.code === 'THROTTLED') {
      item.throttled++;
      item.events.throttled?.(item.throttled);
      this.budget.exhaust();
      if (now - item.enqueuedAt > this.retry.giveUpAfterMs) {
        item.events.failed(
          new StudioError('THROTTLED', {
            message: `IVS kept throttling PutMetadata on this channel for ${Math.round((now - item.enqueuedAt) / 1000)} s (${item.throttled} tries); the cue was not sent.`,
            action: 'Another tool may be sending metadata to the same channel: IVS allows 5 calls per second per channel.',
            details: error.details,
          }),
        );
        return;
      }
      item.notBefore = now + backoffMs(item.throttled, this.retry);
      this.items.unshift(item);
      return;
    }
    if (TRANSIENT.has(error.code) && item.transientFailures < this.retry.transientRetries) {
      item.transientFailures++;
      item.notBefore = now + backoffMs(item.transientFailures, this.retry);
      this.items.unshift(item);
      return;
    }
    item.events.failed(error);
    if (error.code === 'NOT_LIVE') {
      // Every waiting fire would get the same answer; say so now instead of one by one.
      for (const waiting of this.items.splice(0)) waiting.events.failed(error);
    }
  }

  /** Fails what still waits (the studio is stopping); a call in flight finishes but reports nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const stopping = new StudioError('INTERNAL', { message: 'The studio stopped before this cue was sent.' });
    for (const item of this.items.splice(0)) item.events.failed(stopping);
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
