import { describe, expect, it } from 'vitest';
import type { StudioStats } from '@contract/studio-api';
import { headline, kbps, seconds } from './stats-format';

const base: StudioStats = {
  at: 'x',
  processes: [],
  cpuTotalPercent: 0,
  memoryTotalMb: 0,
  latency: { source: 'none', playerState: 'offline', ivsTargetMs: 5000, level: 'ok' },
  divergences: [],
  level: 'ok',
};

describe('stats formatting', () => {
  it('units', () => {
    expect(kbps(3500)).toBe('3.50 Mb/s');
    expect(kbps(640)).toBe('640 kb/s');
    expect(seconds(2100)).toBe('2.1 s');
    expect(seconds(42_000)).toBe('42 s');
  });
  it('the headline names the worst problem first', () => {
    expect(headline(base)).toBeUndefined();
    const stats: StudioStats = {
      ...base,
      program: { running: true, fps: 27, targetFps: 30, fpsLevel: 'warning', frames: 100, droppedFrames: 0, duplicatedFrames: 0, skippedPercent: 0, skippedLevel: 'ok', speed: 1 },
      divergences: [{ id: 'state', level: 'danger', message: 'IVS says offline' }],
    };
    expect(headline(stats)).toBe('IVS says offline');
  });
});
