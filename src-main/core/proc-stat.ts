/**
 * CPU time from Linux's /proc/<pid>/stat, shared by the stats dock (monitor) and the program's own
 * stats and benchmarks (program), so both count a child's CPU the same way.
 */

/** Clock ticks per second of /proc's utime/stime; 100 on every Linux the studio targets. */
const CLOCK_TICKS = 100;

/** user+system CPU seconds from a /proc/<pid>/stat line (the command may contain spaces and parens). Pure. */
export function cpuSecondsFromProcStat(stat: string): number | undefined {
  // The command name is the only field that can hold spaces or ')', so fields are counted after the last ')'.
  const close = stat.lastIndexOf(')');
  if (close < 0) return undefined;
  const fields = stat.slice(close + 2).split(' ');
  // After "pid (comm) ": state is field 3, so utime (14) and stime (15) are at indexes 11 and 12.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return undefined;
  return (utime + stime) / CLOCK_TICKS;
}
