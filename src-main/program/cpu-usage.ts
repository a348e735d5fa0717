/**
 * CPU time of child processes, for the program's stats and the benchmarks: Linux reads /proc/<pid>/stat,
 * macOS asks `ps`; elsewhere (Windows) it is unknown and reported as 0.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import { cpuSecondsFromProcStat } from '../core/proc-stat';

/** `ps -o time=` output (`[[dd-]hh:]mm:ss[.cc]`) → seconds. Pure. */
export function parsePsCpuTime(text: string): number | undefined {
  const match = /^(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, hours, minutes, seconds] = match;
  return Number(days ?? 0) * 86400 + Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
}

/** CPU seconds used so far by a process, or undefined when it is gone or the OS cannot say. */
export async function processCpuSeconds(pid: number): Promise<number | undefined> {
  if (process.platform === 'linux') {
    try {
      return cpuSecondsFromProcStat(await fs.promises.readFile(`/proc/${pid}/stat`, 'utf8'));
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'darwin') {
    return new Promise((resolve) => {
      execFile('ps', ['-o', 'time=', '-p', String(pid)], (error, stdout) => resolve(error ? undefined : parsePsCpuTime(stdout)));
    });
  }
  return undefined;
}

/** Turns cumulative CPU seconds per pid into a percent of one core over the sampling interval. */
export class CpuSampler {
  private last = new Map<number, { cpu: number; at: number }>();

  async sample(pids: readonly number[], now = Date.now()): Promise<number> {
    let percent = 0;
    const next = new Map<number, { cpu: number; at: number }>();
    for (const pid of pids) {
      const cpu = await processCpuSeconds(pid);
      if (cpu === undefined) continue;
      const before = this.last.get(pid);
      if (before && now > before.at) percent += ((cpu - before.cpu) / ((now - before.at) / 1000)) * 100;
      next.set(pid, { cpu, at: now });
    }
    this.last = next;
    return Math.max(0, Math.round(percent * 10) / 10);
  }
}
