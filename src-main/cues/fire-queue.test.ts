import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CueBurstPolicy } from '../contract/domains/cues';
import type { StudioErrorCode } from '../contract/errors';
import { SlidingWindowLimiter } from '../channel/api/rate-limiter';
import { StudioError } from '../core/studio-error';
import { ChannelFireQueue, backoffMs, type QueueItemEvents } from './fire-queue';
import { RateBudget } from './rate-budget';

interface Outcome {
  id: string;
  result?: 'accepted' | 'failed' | 'coalesced';
  at?: number;
  error?: StudioErrorCode;
  by?: string;
  throttled: number;
}

function recorder() {
  const outcomes = new Map<string, Outcome>();
  const events = (id: string): QueueItemEvents => {
    const o: Outcome = { id, throttled: 0 };
    outcomes.set(id, o);
    return {
      accepted: (at) => Object.assign(o, { result: 'accepted', at }),
      failed: (e) => Object.assign(o, { result: 'failed', error: e.code }),
      coalesced: (by) => Object.assign(o, { result: 'coalesced', by }),
      throttled: (n) => void (o.throttled = n),
    };
  };
  return { outcomes, events };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** IVS's front door as the local channel implements it: 5 calls per sliding second, then 429. */
function ivsLikeSend(log: { payload: string; at: number }[], limiter = new SlidingWindowLimiter(5, 1000, () => Date.now())) {
  return async (payload: string) => {
    await Promise.resolve();
    if (!limiter.tryAcquire('channel')) throw new StudioError('THROTTLED', { message: 'throttled' });
    log.push({ payload, at: Date.now() });
  };
}

describe('ChannelFireQueue', () => {
  it('sends a burst of 20 in order within 5 per second, never throttled by a sliding-window IVS', async () => {
    const sent: { payload: string; at: number }[] = [];
    const { outcomes, events } = recorder();
    const queue = new ChannelFireQueue({ channelArn: 'arn', send: ivsLikeSend(sent), budget: new RateBudget({ marginMs: 20 }) });
    for (let i = 0; i < 20; i++) queue.enqueue({ id: `f${i}`, cueId: 'c', payload: `p${i}`, burst: 'queue', events: events(`f${i}`) });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sent.map((s) => s.payload)).toEqual(Array.from({ length: 20 }, (_, i) => `p${i}`));
    for (const s of sent) expect(sent.filter((o) => o.at >= s.at && o.at < s.at + 1000).length).toBeLessThanOrEqual(5);
    expect([...outcomes.values()].every((o) => o.result === 'accepted' && o.throttled === 0)).toBe(true);
    expect(queue.idle).toBe(true);
    queue.dispose();
  });

  it('absorbs throttling from someone else spending the budget: retried with back-off, delivered, never failed', async () => {
    const sent: { payload: string; at: number }[] = [];
    const limiter = new SlidingWindowLimiter(5, 1000, () => Date.now());
    for (let i = 0; i < 5; i++) limiter.tryAcquire('channel'); // another tool just used the whole second
    const { outcomes, events } = recorder();
    const queue = new ChannelFireQueue({ channelArn: 'arn', send: ivsLikeSend(sent, limiter), retry: { random: () => 0.5 } });
    queue.enqueue({ id: 'a', payload: 'A', events: events('a') });
    queue.enqueue({ id: 'b', payload: 'B', events: events('b') });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(outcomes.get('a')).toMatchObject({ result: 'accepted', throttled: 1 });
    expect(outcomes.get('b')).toMatchObject({ result: 'accepted', throttled: 0 });
    expect(sent.map((s) => s.payload)).toEqual(['A', 'B']);
    queue.dispose();
  });

  it('gives up on a fire IVS keeps throttling, with a message that says why', async () => {
    const { outcomes, events } = recorder();
    const queue = new ChannelFireQueue({
      channelArn: 'arn',
      send: () => Promise.reject(new StudioError('THROTTLED', { message: 'throttled' })),
      retry: { giveUpAfterMs: 5_000, random: () => 1 },
    });
    queue.enqueue({ id: 'a', payload: 'A', events: events('a') });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcomes.get('a')).toMatchObject({ result: 'failed', error: 'THROTTLED' });
    expect(outcomes.get('a')!.throttled).toBeGreaterThan(2);
    queue.dispose();
  });

  it.each<[string, StudioErrorCode[], Outcome['result'], StudioErrorCode | undefined, number]>([
    ['a transient failure is retried', ['ENDPOINT_UNREACHABLE'], 'accepted', undefined, 2],
    ['IVS unavailable three times, then fine', ['IVS_UNAVAILABLE', 'IVS_UNAVAILABLE', 'IVS_UNAVAILABLE'], 'accepted', undefined, 4],
    ['unreachable four times fails', ['ENDPOINT_UNREACHABLE', 'ENDPOINT_UNREACHABLE', 'ENDPOINT_UNREACHABLE', 'ENDPOINT_UNREACHABLE'], 'failed', 'ENDPOINT_UNREACHABLE', 4],
    ['access denied fails at once', ['ACCESS_DENIED'], 'failed', 'ACCESS_DENIED', 1],
    ['validation fails at once', ['IVS_VALIDATION'], 'failed', 'IVS_VALIDATION', 1],
  ])('%s', async (_name, failures, result, error, calls) => {
    let call = 0;
    const { outcomes, events } = recorder();
    const queue = new ChannelFireQueue({
      channelArn: 'arn',
      send: async () => {
        const code = failures[call++];
        if (code) throw new StudioError(code);
      },
      retry: { random: () => 0 },
    });
    queue.enqueue({ id: 'a', payload: 'A', events: events('a') });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcomes.get('a')).toMatchObject({ result, ...(error ? { error } : {}) });
    expect(call).toBe(calls);
    queue.dispose();
  });

  it('"not live" fails every waiting fire at once', async () => {
    const { outcomes, events } = recorder();
    let calls = 0;
    const queue = new ChannelFireQueue({
      channelArn: 'arn',
      send: async () => {
        calls++;
        throw new StudioError('NOT_LIVE');
      },
    });
    for (const id of ['a', 'b', 'c']) queue.enqueue({ id, payload: id, events: events(id) });
    await vi.advanceTimersByTimeAsync(100);
    expect([...outcomes.values()].map((o) => [o.id, o.result, o.error])).toEqual([
      ['a', 'failed', 'NOT_LIVE'],
      ['b', 'failed', 'NOT_LIVE'],
      ['c', 'failed', 'NOT_LIVE'],
    ]);
    expect(calls).toBe(1);
    queue.dispose();
  });

  describe('burst policies (fires of one cue while an earlier one still waits)', () => {
    // 7 fires of cue "c" in one go: the first 5 leave at once (budget), so fires 6 and 7 wait together.
    it.each<[CueBurstPolicy, string[], Record<string, string>]>([
      ['queue', ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6'], {}],
      ['coalesce', ['p0', 'p6'], { f1: 'coalesced', f2: 'coalesced', f3: 'coalesced', f4: 'coalesced', f5: 'coalesced' }],
      ['reject', ['p0', 'p1'], { f2: 'rejected', f3: 'rejected', f4: 'rejected', f5: 'rejected', f6: 'rejected' }],
    ])('%s', async (burst, payloads, special) => {
      const sent: { payload: string; at: number }[] = [];
      const { outcomes, events } = recorder();
      // Slow IVS (200 ms per call) so later fires find earlier ones still waiting.
      const queue = new ChannelFireQueue({
        channelArn: 'arn',
        send: async (payload) => {
          await new Promise((resolve) => setTimeout(resolve, 200));
          sent.push({ payload, at: Date.now() });
        },
      });
      const results: Record<string, string> = {};
      for (let i = 0; i < 7; i++) {
        const r = queue.enqueue({ id: `f${i}`, cueId: 'c', payload: `p${i}`, burst, events: events(`f${i}`) });
        if (r.outcome === 'rejected') results[`f${i}`] = 'rejected';
        if (i === 0) await vi.advanceTimersByTimeAsync(1); // f0 is in flight, not waiting
      }
      await vi.advanceTimersByTimeAsync(5_000);
      for (const [id, o] of outcomes) if (o.result === 'coalesced') results[id] = 'coalesced';
      expect(sent.map((s) => s.payload)).toEqual(payloads);
      expect(results).toEqual(special);
      if (burst === 'coalesce') expect(outcomes.get('f1')!.by).toBe('f2');
      queue.dispose();
    });

    it('never coalesces different cues', async () => {
      const sent: { payload: string; at: number }[] = [];
      const { events } = recorder();
      const queue = new ChannelFireQueue({ channelArn: 'arn', send: ivsLikeSend(sent) });
      for (let i = 0; i < 8; i++) queue.enqueue({ id: `f${i}`, cueId: `c${i}`, payload: `p${i}`, burst: 'coalesce', events: events(`f${i}`) });
      await vi.advanceTimersByTimeAsync(3_000);
      expect(sent).toHaveLength(8);
      queue.dispose();
    });
  });

  it('low-priority re-sends wait for spare tokens and let producer fires go first', async () => {
    const sent: { payload: string; at: number }[] = [];
    const { events } = recorder();
    const queue = new ChannelFireQueue({ channelArn: 'arn', send: ivsLikeSend(sent) });
    for (let i = 0; i < 4; i++) queue.enqueue({ id: `f${i}`, payload: `p${i}`, events: events(`f${i}`) });
    queue.enqueue({ id: 'r', payload: 'resend', lowPriority: true, events: events('r') });
    queue.enqueue({ id: 'f4', payload: 'p4', events: events('f4') });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(sent.map((s) => s.payload)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'resend']);
    // The re-send waited until the producer had more than 2 tokens again.
    expect(sent[5]!.at - sent[4]!.at).toBeGreaterThanOrEqual(900);
    queue.dispose();
  });

  it('dispose fails what waits and leaves no timer', async () => {
    const { outcomes, events } = recorder();
    const queue = new ChannelFireQueue({ channelArn: 'arn', send: () => new Promise(() => undefined) });
    for (const id of ['a', 'b']) queue.enqueue({ id, payload: id, events: events(id) });
    await vi.advanceTimersByTimeAsync(10);
    queue.dispose();
    expect(outcomes.get('b')).toMatchObject({ result: 'failed', error: 'INTERNAL' });
    expect(outcomes.get('a')!.result).toBeUndefined(); // in flight: finishes silently
    expect(vi.getTimerCount()).toBe(0);
  });

  it('back-off doubles from the base, capped, with jitter between half and all of it', () => {
    const at = (n: number, random: number) => backoffMs(n, { baseMs: 250, maxMs: 2000, random: () => random });
    expect([1, 2, 3, 4, 5].map((n) => at(n, 1))).toEqual([250, 500, 1000, 2000, 2000]);
    expect([1, 2, 3].map((n) => at(n, 0))).toEqual([125, 250, 500]);
  });
});
