import { describe, expect, it } from 'vitest';
import { cpuSecondsFromProcStat } from './proc-stat';

describe('/proc/<pid>/stat CPU time', () => {
  it('reads utime + stime, with a command name holding spaces and parentheses', () => {
    expect(cpuSecondsFromProcStat('4242 (ff mpeg (x)) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 3 0 100 0 0')).toBe(3);
    expect(cpuSecondsFromProcStat('4242 (ffmpeg (x) y) S 1 4242 4242 0 -1 4194304 5000 0 0 0 250 75 0 0 20 0 4 0 1000 0 0')).toBe(3.25);
  });
  it('gives undefined for a line it cannot read', () => {
    expect(cpuSecondsFromProcStat('garbage')).toBeUndefined();
    expect(cpuSecondsFromProcStat('4242 (ffmpeg) S 1')).toBeUndefined();
  });
});
