import { describe, expect, it } from 'vitest';
import { formatSeconds, median, playerStateLabel } from './preview-format';

describe('preview readout formatting', () => {
  it('seconds with two decimals under 10 s', () => {
    expect(formatSeconds(820)).toBe('0.82 s');
    expect(formatSeconds(12_345)).toBe('12.3 s');
  });
  it('median and labels', () => {
    expect(median([])).toBeUndefined();
    expect(median([5, 1, 3])).toBe(3);
    expect(playerStateLabel('reconnecting')).toBe('Reconnecting…');
  });
});
