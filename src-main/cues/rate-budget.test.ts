import { describe, expect, it } from 'vitest';
import { RateBudget } from './rate-budget';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('RateBudget (5 per second, each token back one window after use)', () => {
  it('lets a burst of 5 through at once, then waits for the first token to return', () => {
    const c = clock();
    const budget = new RateBudget({ capacity: 5, windowMs: 1000, marginMs: 50, now: c.now });
    expect(Array.from({ length: 6 }, () => budget.tryTake() !== undefined)).toEqual([true, true, true, true, true, false]);
    expect(budget.msUntilAvailable()).toBe(1050);
    c.advance(1049);
    expect(budget.tryTake()).toBeUndefined();
    c.advance(1);
    expect(budget.tryTake()).toBeDefined();
  });

  it.each([
    // Try a call every `gapMs` for 3 s: count the calls admitted in every sliding 1 s window.
    [10],
    [100],
    [199],
    [200],
    [333],
  ])('never admits more than 5 calls in any 1 s window (attempts every %i ms)', (gapMs) => {
    const c = clock();
    const budget = new RateBudget({ capacity: 5, windowMs: 1000, marginMs: 0, now: c.now });
    const admitted: number[] = [];
    for (let elapsed = 0; elapsed < 3000; elapsed += gapMs, c.advance(gapMs)) if (budget.tryTake() !== undefined) admitted.push(c.now());
    for (const start of admitted) expect(admitted.filter((t) => t >= start && t < start + 1000).length).toBeLessThanOrEqual(5);
    // …and uses the budget: close to 5 per second over 3 s (attempt spacing loses a little).
    expect(admitted.length).toBeGreaterThanOrEqual(gapMs <= 200 ? 13 : Math.floor(3000 / gapMs));
  });

  it("a token's window restarts when its call completes (a slow call cannot share an IVS second with a fast one)", () => {
    const c = clock();
    const budget = new RateBudget({ capacity: 1, windowMs: 1000, marginMs: 50, now: c.now });
    const token = budget.tryTake()!;
    c.advance(300); // the call took 300 ms: IVS may have counted it as late as now
    budget.finish(token);
    expect(budget.msUntilAvailable()).toBe(1050);
    c.advance(1049);
    expect(budget.tryTake()).toBeUndefined();
    c.advance(1);
    expect(budget.tryTake()).toBeDefined();
  });

  it('a throttle from IVS exhausts the window from now', () => {
    const c = clock();
    const budget = new RateBudget({ capacity: 5, windowMs: 1000, marginMs: 50, now: c.now });
    expect(budget.tryTake()).toBeDefined();
    c.advance(500);
    budget.exhaust();
    expect(budget.available()).toBe(0);
    expect(budget.msUntilAvailable()).toBe(1050);
    c.advance(1050);
    expect(budget.available()).toBe(5);
  });
});
