/**
 * CPU and memory of the studio's own process and its ffmpeg children, for the stats dock. Linux reads
 * /proc/<pid>/stat and /proc/<pid>/statm; elsewhere children report 0 (the studio's own figures come
 * from Node on every OS).
 */
import * as fs from 'node:fs';
import type { ProcessUsage } from '../contract/domains/monitor';
import { cpuSecondsFromProcStat } from '../core/proc-stat';

const PAGE_BYTES = 4096;

/** Resident set size in MB from /proc/<pid>/statm (second field, pages). Pure. */
export function residentMbFromStatm(statm: string, pageBytes = PAGE_BYTES): number | undefined {
  const pages = Number(statm.trim().split(/\s+/)[1]);
  return Number.isFinite(pages) ? Math.round(((pages * pageBytes) / (1024 * 1024)) * 10) / 10 : undefined;
}

function readProc(pid: number): { cpu?: number; memoryMb?: number } {
  if (process.platform !== 'linux') return {};
  try {
    return {
      cpu: cpuSecondsFromProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')),
      memoryMb: residentMbFromStatm(fs.readFileSync(`/proc/${pid}/statm`, 'utf8')),
    };
  } catch {
    return {};
  }
}

export interface WatchedProcess {
  label: string;
  pid: number;
}

/** Turns cumulative CPU time into percent of one core between calls. */
export class ProcessUsageSampler {
  private last = new Map<string, { cpu: number; at: number }>();

  sample(children: readonly WatchedProcess[], now = Date.now()): ProcessUsage[] {
    const next = new Map<string, { cpu: number; at: number }>();
    const rate = (key: string, cpu: number): number => {
      const before = this.last.get(key);
      next.set(key, { cpu, at: now });
      if (!before || now <= before.at) return 0;
      return Math.max(0, Math.round(((cpu - before.cpu) / ((now - before.at) / 1000)) * 1000) / 10);
    };
    const own = process.cpuUsage();
    const out: ProcessUsage[] = [
      {
        label: 'studio',
        pid: process.pid,
        cpuPercent: rate(`self:${process.pid}`, (own.user + own.system) / 1e6),
        memoryMb: Math.round((process.memoryUsage().rss / (1024 * 1024)) * 10) / 10,
      },
    ];
    for (const child of children) {
      const read = readProc(child.pid);
      const usage: ProcessUsage = { label: child.label, pid: child.pid, cpuPercent: 0, memoryMb: read.memoryMb ?? 0 };
      if (read.cpu !== undefined) usage.cpuPercent = rate(`${child.label}:${child.pid}`, read.cpu);
      out.push(usage);
    }
    this.last = next;
    return out;
  }
}
