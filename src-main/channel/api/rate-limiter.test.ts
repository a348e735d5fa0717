import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  it.each([
    // [call times in ms, expected admissions] with 5 per 1000 ms
    [[0, 0, 0, 0, 0, 0], [true, true, true, true, true, false]],
    [[0, 100, 200, 300, 400, 999, 1000], [true, true, true, true, true, false, true]],
    [[0, 250, 500, 750, 1000, 1250, 1500], [true, true, true, true, true, true, true]],
  ])('times %j → %j', (times, expected) => {
    let now = 0;
    const limiter = new SlidingWindowLimiter(5, 1000, () => now);
    const got = times.map((t) => {
      now = t;
      return limiter.tryAcquire('channel');
    });
    expect(got).toEqual(expected);
  });

  it('counts keys separately, release undoes one admission, forget clears a key', () => {
    const limiter = new SlidingWindowLimiter(1, 1000, () => 0);
    expect([limiter.tryAcquire('a'), limiter.tryAcquire('b'), limiter.tryAcquire('a')]).toEqual([true, true, false]);
    limiter.release('a');
    expect(limiter.tryAcquire('a')).toBe(true);
    limiter.forget('b');
    expect(limiter.tryAcquire('b')).toBe(true);
  });
});
