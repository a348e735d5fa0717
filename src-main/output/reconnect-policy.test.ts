import { describe, expect, it } from 'vitest';
import { defaultReconnectSchedule, isRetryable, nextReconnectDelayMs, type ReconnectSchedule } from './reconnect-policy';

const noJitter = () => 0.5; // 2·0.5 − 1 = 0: no spread

/** Runs the schedule as the output would (each attempt failing instantly) and returns attempt times. */
function simulate(schedule: ReconnectSchedule, untilMs: number): number[] {
  const times: number[] = [];
  let now = 0;
  for (let attempt = 0; ; attempt++) {
    const delay = nextReconnectDelayMs({ attempt, sinceDropMs: now }, schedule, noJitter);
    if (delay === undefined) break;
    now += delay;
    if (now > untilMs) break;
    times.push(now);
  }
  return times;
}

describe('nextReconnectDelayMs', () => {
  it.each([
    // attempt, sinceDropMs, expected delay
    [0, 0, 0],
    [1, 10, 250],
    [2, 300, 500],
    [3, 800, 1000],
    [4, 1800, 1000],
    [10, 8000, 1000],
    [28, 28_900, 1000],
    [29, 29_100, 4000], // the next steady attempt would land past the 30 s window
    [30, 34_000, 4000],
    [31, 38_000, 8000],
    [32, 46_000, 16_000],
    [33, 62_000, 30_000],
    [40, 600_000, 30_000],
  ])('attempt %i at %i ms waits %i ms', (attempt, sinceDropMs, expected) => {
    expect(nextReconnectDelayMs({ attempt, sinceDropMs }, defaultReconnectSchedule, noJitter)).toBe(expected);
  });

  it('inside the grace window never leaves a returning ingest unnoticed for more than the steady interval', () => {
    const times = simulate(defaultReconnectSchedule, 30_000);
    expect(times[0]).toBe(0);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(defaultReconnectSchedule.steadyDelayMs);
    expect(times.at(-1)).toBeGreaterThan(28_000);
  });

  it('backs off after the window: fewer than 20 attempts in the first ten minutes past it', () => {
    const times = simulate(defaultReconnectSchedule, 630_000).filter((t) => t > 30_000);
    expect(times.length).toBeGreaterThan(5);
    expect(times.length).toBeLessThan(30);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThanOrEqual(gaps[i - 1]!);
    expect(Math.max(...gaps)).toBe(defaultReconnectSchedule.maxDelayMs);
  });

  it('spreads back-off delays by the jitter fraction, never beyond the cap', () => {
    const low = nextReconnectDelayMs({ attempt: 20, sinceDropMs: 40_000 }, defaultReconnectSchedule, () => 0);
    const high = nextReconnectDelayMs({ attempt: 20, sinceDropMs: 40_000 }, defaultReconnectSchedule, () => 0.999999);
    expect(low).toBe(9000);
    expect(high).toBe(11_000);
    expect(nextReconnectDelayMs({ attempt: 50, sinceDropMs: 900_000 }, defaultReconnectSchedule, () => 0.999999)).toBe(30_000);
  });

  it('gives up only when told to', () => {
    expect(nextReconnectDelayMs({ attempt: 500, sinceDropMs: 86_400_000 })).toBeDefined();
    const schedule = { ...defaultReconnectSchedule, giveUpAfterMs: 60_000 };
    expect(nextReconnectDelayMs({ attempt: 20, sinceDropMs: 59_999 }, schedule, noJitter)).toBeDefined();
    expect(nextReconnectDelayMs({ attempt: 20, sinceDropMs: 60_000 }, schedule, noJitter)).toBeUndefined();
  });
});

describe('isRetryable', () => {
  it.each([
    ['INGEST_UNREACHABLE', 1000, true],
    ['INGEST_DISCONNECTED', 1000, true],
    ['INTERNAL', 1000, true],
    ['STREAM_KEY_REJECTED', 0, false],
    ['INGEST_TLS', 0, false],
    ['CHANNEL_BUSY', 5000, true],
    ['CHANNEL_BUSY', 30_000, false],
  ] as const)('%s after %i ms: %s', (code, sinceDropMs, expected) => {
    expect(isRetryable(code, { attempt: 1, sinceDropMs })).toBe(expected);
  });
});
