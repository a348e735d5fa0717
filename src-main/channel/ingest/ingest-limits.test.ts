import { describe, expect, it } from 'vitest';
import { bitrateLimitBps, checkBitrate, checkResolution } from './ingest-limits';

describe('ingest limits', () => {
  it.each([
    ['STANDARD', 1920, 1080, undefined],
    ['STANDARD', 1080, 1920, undefined],
    ['ADVANCED_HD', 1920, 1200, 'more than 2073600'],
    ['STANDARD', 2560, 810, 'edge of 2560 pixels'],
    ['BASIC', 1920, 1080, undefined],
    ['BASIC', 3840, 2160, 'exceeds the BASIC channel limit of 1080p'],
  ] as const)('%s %ix%i', (type, w, h, problem) => {
    const breach = checkResolution(type, w, h);
    if (problem === undefined) expect(breach).toBeUndefined();
    else expect(breach).toMatchObject({ limit: 'Ingest Resolution', code: 'IngestResolutionExceeded', description: expect.stringContaining(problem) });
  });

  it('caps BASIC at 1.5 Mbps up to 480p and 3.5 Mbps above; the others at 8.5 Mbps', () => {
    expect(bitrateLimitBps('BASIC', 854, 480)).toBe(1_500_000);
    expect(bitrateLimitBps('BASIC', 640, 480)).toBe(1_500_000);
    expect(bitrateLimitBps('BASIC', 1280, 720)).toBe(3_500_000);
    expect(bitrateLimitBps('STANDARD', 1920, 1080)).toBe(8_500_000);
    expect(bitrateLimitBps('ADVANCED_SD', 640, 360)).toBe(8_500_000);
  });

  it('breaches only above the limit plus the tolerance, and says why', () => {
    expect(checkBitrate('BASIC', 854, 480, 1_600_000)).toBeUndefined();
    expect(checkBitrate('BASIC', 854, 480, 1_700_000)?.description).toBe('Input bitrate 1.7 Mbps exceeds the BASIC channel limit of 1.5 Mbps at 480p and below.');
    expect(checkBitrate('BASIC', 1280, 720, 4_000_000)?.description).toBe('Input bitrate 4 Mbps exceeds the BASIC channel limit of 3.5 Mbps above 480p.');
    expect(checkBitrate('STANDARD', 1920, 1080, 9_000_000)).toBeUndefined();
    expect(checkBitrate('STANDARD', 1920, 1080, 9_500_000)).toMatchObject({ limit: 'Ingest Bitrate', code: 'IngestBitrateExceeded' });
    expect(checkBitrate('STANDARD', 1920, 1080, 9_000_000, 1)).toBeDefined();
  });
});
