import { describe, expect, it } from 'vitest';
import { droppedLevel, fpsLevel, latencyLevel, percentOf, worstLevel } from './health-levels';
import { histogram, percentile, SlidingWindow } from './percentiles';

describe('OBS levels', () => {
  it.each([
    [0, 'ok'],
    [0.99, 'ok'],
    [1, 'warning'],
    [4.9, 'warning'],
    [5, 'danger'],
    [40, 'danger'],
  ] as const)('%s%% dropped frames is %s', (percent, level) => expect(droppedLevel(percent)).toBe(level));

  it.each([
    [30, 30, 'ok'],
    [28.5, 30, 'ok'],
    [28.4, 30, 'warning'],
    [24, 30, 'warning'],
    [23.9, 30, 'danger'],
    [0, 30, 'danger'],
    [0, 0, 'ok'],
  ] as const)('%s fps of %s is %s', (fps, target, level) => expect(fpsLevel(fps, target)).toBe(level));

  it('judges latency against IVS’s 5 s', () => {
    expect(latencyLevel(undefined)).toBe('ok');
    expect(latencyLevel(900)).toBe('ok');
    expect(latencyLevel(3200)).toBe('warning');
    expect(latencyLevel(5000)).toBe('danger');
  });

  it('takes the worst level and rounds percentages', () => {
    expect(worstLevel([])).toBe('ok');
    expect(worstLevel(['ok', 'warning', 'ok'])).toBe('warning');
    expect(worstLevel(['warning', 'danger', 'ok'])).toBe('danger');
    expect(percentOf(1, 3)).toBe(33.3);
    expect(percentOf(5, 0)).toBe(0);
  });
});

describe('percentiles', () => {
  it('nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([], 50)).toBeUndefined();
    expect(percentile([7], 95)).toBe(7);
  });

  it('histogram keeps empty buckets between and caps outliers', () => {
    expect(histogram([120, 150, 380], 100)).toEqual([
      { fromMs: 100, count: 2 },
      { fromMs: 200, count: 0 },
      { fromMs: 300, count: 1 },
    ]);
    const wild = histogram([100, 10_000_000], 100);
    expect(wild).toHaveLength(200);
    expect(wild.reduce((n, b) => n + b.count, 0)).toBe(2);
  });

  it('a sliding window forgets old samples', () => {
    const window = new SlidingWindow(1000);
    window.add(0, [1, 2]);
    window.add(600, [3, Number.NaN]);
    expect(window.values(900)).toEqual([1, 2, 3]);
    expect(window.values(1500)).toEqual([3]);
    window.clear();
    expect(window.values(1500)).toEqual([]);
  });
});
