/**
 * Glass-to-glass latency from the wall-clock stamps our output writes into the video (H.264 SEI
 * user_data_unregistered under the studio's UUID, the time as ASCII milliseconds: see
 * src-main/output/sei-stamp.ts). The player hands over the stamps it demuxes (with their media time);
 * each displayed frame (requestVideoFrameCallback) is matched to its stamp by media time, and
 *   latency = the wall clock when the frame is shown − the wall clock when it was captured.
 * Frames without a stamp count too: a stream whose frames carry none is reported as "no SEI", never
 * guessed. Both clocks are this machine's in browser mode and in the desktop app.
 */

/** The studio's SEI UUID (src-main/output/sei-stamp.ts STUDIO_SEI_UUID): players in the field match on it. */
export const STUDIO_SEI_UUID = '7308d79e-43ce-4e16-997e-0438fe841425';

export interface SeiStampSample {
  /** Media time of the frame the SEI belongs to, seconds. */
  pts: number;
  uuid?: string;
  userData?: string;
}

/** A displayed frame is matched to a stamp within this much media time (under half a 60 fps frame). */
const MATCH_TOLERANCE_S = 0.008;
const KEEP_STAMPS = 900;

export class SeiLatencyMeter {
  /** Sorted by pts. */
  private stamps: Array<{ pts: number; wallMs: number }> = [];
  private pending: number[] = [];
  private shown = 0;
  private matched = 0;
  private lastMatchedMediaTime = Number.NaN;

  /** Stamps as the player demuxed them (ahead of playback by the buffer). Others' SEI is ignored. */
  addSamples(samples: readonly SeiStampSample[]): void {
    for (const sample of samples) {
      if (sample.uuid !== STUDIO_SEI_UUID || sample.userData === undefined) continue;
      const wallMs = Number(sample.userData.replace(/\0+$/, ''));
      if (!Number.isSafeInteger(wallMs) || !Number.isFinite(sample.pts)) continue;
      this.insert(sample.pts, wallMs);
    }
    if (this.stamps.length > KEEP_STAMPS) this.stamps.splice(0, this.stamps.length - KEEP_STAMPS);
  }

  private insert(pts: number, wallMs: number): void {
    let i = this.stamps.length;
    while (i > 0 && this.stamps[i - 1]!.pts > pts) i--;
    if (i > 0 && Math.abs(this.stamps[i - 1]!.pts - pts) < 1e-6) {
      this.stamps[i - 1]!.wallMs = wallMs;
      return;
    }
    this.stamps.splice(i, 0, { pts, wallMs });
  }

  /** The stamp of the frame at `mediaTime`, if one is known. */
  stampAt(mediaTime: number): number | undefined {
    let lo = 0;
    let hi = this.stamps.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.stamps[mid]!.pts < mediaTime) lo = mid + 1;
      else hi = mid - 1;
    }
    let best: { pts: number; wallMs: number } | undefined;
    for (const candidate of [this.stamps[lo - 1], this.stamps[lo]]) {
      if (candidate && Math.abs(candidate.pts - mediaTime) <= MATCH_TOLERANCE_S && (!best || Math.abs(candidate.pts - mediaTime) < Math.abs(best.pts - mediaTime))) best = candidate;
    }
    return best?.wallMs;
  }

  /** A frame was shown (media time, wall clock ms): returns its glass-to-glass latency when it carried a stamp. */
  frameShown(mediaTime: number, shownAtMs: number): number | undefined {
    if (mediaTime === this.lastMatchedMediaTime) return undefined;
    this.shown++;
    const stamp = this.stampAt(mediaTime);
    if (stamp === undefined) return undefined;
    this.lastMatchedMediaTime = mediaTime;
    this.matched++;
    const latency = shownAtMs - stamp;
    this.pending.push(latency);
    // Stamps behind the playhead are done with.
    while (this.stamps.length > 0 && this.stamps[0]!.pts < mediaTime - 2) this.stamps.shift();
    return latency;
  }

  /** Latencies measured since the last call, and whether the frames shown carried stamps. */
  take(): { samplesMs: number[]; seiPresent: boolean; framesShown: number } {
    const out = { samplesMs: this.pending, seiPresent: this.matched > 0 || (this.shown === 0 && this.stamps.length > 0), framesShown: this.shown };
    this.pending = [];
    this.shown = 0;
    this.matched = 0;
    return out;
  }

  /** A new media timeline (reload, another stream): old stamps no longer apply. */
  reset(): void {
    this.stamps = [];
    this.pending = [];
    this.shown = 0;
    this.matched = 0;
    this.lastMatchedMediaTime = Number.NaN;
  }
}

/** Calls back for every frame the video element presents, with its media time and display wall clock. */
export function onEveryFrame(video: HTMLVideoElement, callback: (mediaTime: number, shownAtMs: number) => void): () => void {
  let stopped = false;
  let handle = 0;
  type FrameCallback = (now: number, metadata: { mediaTime: number; expectedDisplayTime: number }) => void;
  const withFrames = video as HTMLVideoElement & { requestVideoFrameCallback?: (cb: FrameCallback) => number; cancelVideoFrameCallback?: (h: number) => void };
  if (!withFrames.requestVideoFrameCallback) return () => undefined;
  const onFrame: FrameCallback = (_now, metadata) => {
    if (stopped) return;
    callback(metadata.mediaTime, performance.timeOrigin + metadata.expectedDisplayTime);
    handle = withFrames.requestVideoFrameCallback!(onFrame);
  };
  handle = withFrames.requestVideoFrameCallback(onFrame);
  return () => {
    stopped = true;
    withFrames.cancelVideoFrameCallback?.(handle);
  };
}
