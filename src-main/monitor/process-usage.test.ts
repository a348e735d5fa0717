import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ProcessUsageSampler, residentMbFromStatm } from './process-usage';

describe('process usage', () => {
  it('parses /proc statm lines (stat lines: core/proc-stat.test.ts)', () => {
    expect(residentMbFromStatm('12345 2560 300 1 0 500 0')).toBe(10);
  });

  it.runIf(process.platform === 'linux')('measures a busy child against the studio process', async () => {
    // The cores are shared: a busy child gets what the machine gives it, an idle one next to nothing.
    const child = spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end) {}'], { stdio: 'ignore' });
    const idle = spawn('sleep', ['5'], { stdio: 'ignore' });
    try {
      await new Promise((r) => setTimeout(r, 300));
      const sampler = new ProcessUsageSampler();
      const watched = [{ label: 'busy child', pid: child.pid! }, { label: 'idle child', pid: idle.pid! }];
      sampler.sample(watched);
      await new Promise((r) => setTimeout(r, 1000));
      const [studio, busy, asleep] = sampler.sample(watched);
      expect(studio!.label).toBe('studio');
      expect(studio!.memoryMb).toBeGreaterThan(10);
      expect(busy!.cpuPercent).toBeGreaterThan(2);
      expect(asleep!.cpuPercent).toBeLessThan(busy!.cpuPercent / 4);
      expect(busy!.memoryMb).toBeGreaterThan(5);
    } finally {
      child.kill();
      idle.kill();
    }
  });
});
