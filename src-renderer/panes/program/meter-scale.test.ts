import { describe, expect, it } from 'vitest';
import { meterFill } from './meter-scale';

describe('meter scale', () => {
  it('maps −60…0 dBFS onto 0…1', () => {
    expect(meterFill(-120)).toBe(0);
    expect(meterFill(-60)).toBe(0);
    expect(meterFill(-30)).toBe(0.5);
    expect(meterFill(0)).toBe(1);
    expect(meterFill(3)).toBe(1);
    expect(meterFill(Number.NaN)).toBe(0);
  });
});
