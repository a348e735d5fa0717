/**
 * ffmpeg's `-progress` output: blocks of `key=value` lines, each closed by `progress=continue|end`.
 * Pure parsing; the program reads them from a dedicated pipe (fd 3) once per `-stats_period`.
 */
export interface ProgressSnapshot {
  frame: number;
  fps: number;
  /** kbit/s, as ffmpeg reports the output so far (0 when N/A). */
  bitrateKbps: number;
  totalSize: number;
  outTimeMs: number;
  dupFrames: number;
  dropFrames: number;
  /** Relative to real time; 0 when N/A. */
  speed: number;
  end: boolean;
}

/** One line → key and value; undefined for a blank or malformed line. */
export function parseProgressLine(line: string): { key: string; value: string } | undefined {
  const trimmed = line.trim();
  const eq = trimmed.indexOf('=');
  if (eq <= 0) return undefined;
  return { key: trimmed.slice(0, eq).trim(), value: trimmed.slice(eq + 1).trim() };
}

function number(value: string | undefined): number {
  if (value === undefined) return 0;
  const parsed = parseFloat(value);
  return Number.isFinite(parsed) ? parsed : 0;
}

/** Collects lines; `push` returns a snapshot when a block closes. Handles chunks split mid-line. */
export class ProgressParser {
  private partial = '';
  private block = new Map<string, string>();

  pushChunk(chunk: string): ProgressSnapshot[] {
    const text = this.partial + chunk;
    const lines = text.split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    const out: ProgressSnapshot[] = [];
    for (const line of lines) {
      const snapshot = this.pushLine(line);
      if (snapshot) out.push(snapshot);
    }
    return out;
  }

  pushLine(line: string): ProgressSnapshot | undefined {
    const entry = parseProgressLine(line);
    if (!entry) return undefined;
    if (entry.key !== 'progress') {
      this.block.set(entry.key, entry.value);
      return undefined;
    }
    const b = this.block;
    this.block = new Map();
    // out_time_us is microseconds; ffmpeg's out_time_ms is ALSO microseconds (a long-standing quirk).
    const outTimeUs = number(b.get('out_time_us') ?? b.get('out_time_ms'));
    return {
      frame: number(b.get('frame')),
      fps: number(b.get('fps')),
      bitrateKbps: number(b.get('bitrate')),
      totalSize: number(b.get('total_size')),
      outTimeMs: Math.max(0, Math.round(outTimeUs / 1000)),
      dupFrames: number(b.get('dup_frames')),
      dropFrames: number(b.get('drop_frames')),
      speed: number(b.get('speed')),
      end: entry.value === 'end',
    };
  }
}
