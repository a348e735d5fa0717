/**
 * The e2e test's own latency measurement in the studio page, independent of the preview's readout:
 * it listens to the preview's hls.js for SEI user data itself, parses our stamps itself, and notes,
 * for every frame the video element presents (requestVideoFrameCallback), display wall clock − stamp.
 * Installed with `page.evaluate(installPreviewProbe)`; read with `readPreviewProbe`.
 */
export interface ProbeResult {
  samples: Array<{ at: number; latency: number }>;
  stamps: number;
  /** Frames presented while the probe watched (with or without a stamp). */
  frames: number;
}

declare global {
  interface Window {
    __previewProbe?: ProbeResult;
  }
}

/** Runs in the page. */
export function installPreviewProbe(uuid: string): boolean {
  const player = (window as unknown as { __studioPreview?: { engine?: { on(event: string, cb: (e: string, data: { samples: Array<{ pts: number; uuid?: string; userData?: string }> }) => void): void } } }).__studioPreview;
  const video = document.querySelector<HTMLVideoElement>('[data-testid="preview-video"]');
  if (!player?.engine || !video) return false;
  const probe: ProbeResult = { samples: [], stamps: 0, frames: 0 };
  window.__previewProbe = probe;
  let stamps = new Map<number, number>();
  // The preview makes a new hls.js instance when it recovers: follow it (a new media timeline, new stamps).
  let attached: unknown;
  const attach = () => {
    const hls = player.engine;
    if (!hls || hls === attached) return;
    attached = hls;
    stamps = new Map();
    hls.on('hlsFragParsingUserdata', (_e, data) => {
      if (player.engine !== hls) return;
      for (const s of data.samples) {
        if (s.uuid !== uuid || !s.userData) continue;
        stamps.set(Math.round(s.pts * 1000), Number(s.userData));
        probe.stamps++;
      }
    });
  };
  attach();
  setInterval(attach, 100);
  const onFrame = (_now: number, meta: { mediaTime: number; expectedDisplayTime: number }) => {
    probe.frames++;
    const key = Math.round(meta.mediaTime * 1000);
    // Nearest stamp within 8 ms (frames are 33 ms apart; remuxing may move a frame's time by a few ms).
    let stamp: number | undefined;
    for (let d = 0; d <= 8 && stamp === undefined; d++) stamp = stamps.get(key - d) ?? stamps.get(key + d);
    if (stamp !== undefined) probe.samples.push({ at: Date.now(), latency: performance.timeOrigin + meta.expectedDisplayTime - stamp });
    (video as HTMLVideoElement & { requestVideoFrameCallback(cb: typeof onFrame): number }).requestVideoFrameCallback(onFrame);
  };
  (video as HTMLVideoElement & { requestVideoFrameCallback(cb: typeof onFrame): number }).requestVideoFrameCallback(onFrame);
  return true;
}
