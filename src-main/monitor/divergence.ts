/**
 * Where the studio's view of the stream and IVS's own view disagree. IVS's status is polled every few
 * seconds and its stream-state events are best-effort, so a disagreement counts only after a grace
 * period; past it, it is worth the producer's eye (the studio thinks it is live, IVS says offline). Pure.
 */
import type { Divergence, IvsView } from '../contract/domains/monitor';
import type { StreamState } from '../contract/domains/stream';

export interface LocalView {
  state: StreamState;
  /** How long the stream has been in `state`. */
  stateForMs: number;
  /** What the encoder sends, when known. */
  width?: number;
  height?: number;
  fps?: number;
}

/** IVS needs a few polls to notice a start or a stop. */
export const DIVERGENCE_GRACE_MS = 15_000;

export function findDivergences(local: LocalView, ivs: IvsView | undefined, graceMs = DIVERGENCE_GRACE_MS): Divergence[] {
  if (!ivs || ivs.state === 'UNKNOWN') return [];
  const out: Divergence[] = [];
  const settled = local.stateForMs >= graceMs;
  if (local.state === 'live' && ivs.state === 'OFFLINE' && settled) {
    out.push({ id: 'state', level: 'danger', message: `The studio has been live for ${Math.round(local.stateForMs / 1000)} s but IVS reports the channel offline.` });
  }
  if (local.state === 'offline' && ivs.state === 'LIVE' && settled) {
    out.push({ id: 'state', level: 'warning', message: 'IVS reports the channel LIVE while the studio is not streaming: another encoder may be using the stream key.' });
  }
  if (local.state === 'live' && ivs.state === 'LIVE' && ivs.health === 'STARVING') {
    out.push({ id: 'health', level: 'warning', message: 'IVS reports the stream STARVING (too little data arriving) while the studio is sending.' });
  }
  const video = ivs.video;
  if (local.state === 'live' && ivs.state === 'LIVE' && video) {
    if (local.width && local.height && (video.videoWidth !== local.width || video.videoHeight !== local.height)) {
      out.push({ id: 'resolution', level: 'warning', message: `IVS receives ${video.videoWidth}×${video.videoHeight}; the studio encodes ${local.width}×${local.height}.` });
    }
    if (local.fps && video.targetFramerate && Math.abs(video.targetFramerate - local.fps) > 1) {
      out.push({ id: 'framerate', level: 'warning', message: `IVS sees ${video.targetFramerate} fps; the studio encodes ${local.fps} fps.` });
    }
  }
  return out;
}
