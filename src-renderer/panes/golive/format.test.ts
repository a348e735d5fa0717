import { describe, expect, it } from 'vitest';
import { formatBitrate, formatBytes, formatDuration, stateLabel } from './format';

describe('Go Live formatting', () => {
  it.each([
    [0, '0 kbps'],
    [950_000, '950 kbps'],
    [3_500_000, '3.50 Mbps'],
  ])('bitrate %i → %s', (bps, text) => expect(formatBitrate(bps)).toBe(text));

  it.each([
    [512, '512 B'],
    [2048, '2 KB'],
    [5 * 1024 * 1024, '5.0 MB'],
    [3 * 1024 ** 3, '3.00 GB'],
  ])('bytes %i → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));

  it.each([
    [-5, '0.0 s'],
    [1234, '1.2 s'],
    [65_000, '1:05'],
    [3_723_000, '1:02:03'],
  ])('duration %i → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('names every state', () => {
    expect((['offline', 'starting', 'live', 'reconnecting', 'stopping'] as const).map(stateLabel)).toEqual(['Offline', 'Starting…', 'LIVE', 'Reconnecting…', 'Stopping…']);
  });
});
