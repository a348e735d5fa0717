/**
 * Reading IVS timed metadata in a browser player: hls.js turns every ID3 frame of the stream into a
 * cue on a hidden `metadata` TextTrack (label `id3`), whose `value` is `{ key: 'PRIV', info: owner,
 * data: ArrayBuffer }` for PRIV frames. IVS's PutMetadata payloads are the PRIV frames owned by
 * `metadata.live-video.net`; their data is the UTF-8 payload. `cuechange` fires when the playhead
 * reaches a cue, i.e. when a viewer sees it — the moment the cue board measures.
 *
 * A viewer who joins with cues of the last few seconds still in the buffer behind the playhead gets
 * those at once; older state reaches late joiners through the cue board's periodic re-sends.
 */
export const IVS_METADATA_OWNER = 'metadata.live-video.net';

/** The IVS payload of a metadata cue, or undefined for any other ID3 frame. */
export function ivsPayloadOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const frame = value as { key?: unknown; info?: unknown; data?: unknown };
  if (frame.key !== 'PRIV' || frame.info !== IVS_METADATA_OWNER) return undefined;
  if (frame.data instanceof ArrayBuffer) return new TextDecoder().decode(frame.data);
  if (ArrayBuffer.isView(frame.data)) return new TextDecoder().decode(frame.data);
  return undefined;
}

export interface ShownCue {
  text: string;
  /** Media time of the cue (seconds). */
  startTime: number;
  /** Wall clock when it became active (ms since the epoch). */
  shownAt: number;
}

/**
 * Calls `onCue` once per IVS cue as it becomes active on any metadata track of `video`. Returns the
 * function that stops listening.
 */
/** How far behind the playhead a cue still counts as just reached (missed cues are recent by definition). */
const REACH_BACK_SECONDS = 10;

export function watchIvsMetadataCues(video: HTMLVideoElement, onCue: (cue: ShownCue) => void): () => void {
  /** Cues handled, by `startTime|text`, with their start time (pruned as the playhead moves on). */
  const seen = new Map<string, number>();
  const watched = new Map<TextTrack, () => void>();
  const watch = (track: TextTrack) => {
    if (track.kind !== 'metadata' || watched.has(track)) return;
    track.mode = 'hidden';
    const listener = () => {
      // Not only activeCues: two PutMetadata calls that land on the same video frame get the same
      // start time, and hls.js ends each cue where the next begins — a zero-length cue is a "missed
      // cue" (entered and left between two time updates) and never shows up in activeCues.
      const now = video.currentTime;
      const reached = Array.from(track.cues ?? []).filter((cue) => cue.startTime <= now + 0.05 && cue.startTime >= now - REACH_BACK_SECONDS);
      for (const cue of [...reached, ...Array.from(track.activeCues ?? [])]) {
        const text = ivsPayloadOf((cue as TextTrackCue & { value?: unknown }).value);
        if (text === undefined) continue;
        const key = `${cue.startTime}|${text}`;
        if (seen.has(key)) continue;
        seen.set(key, cue.startTime);
        onCue({ text, startTime: cue.startTime, shownAt: Date.now() });
      }
      if (seen.size > 200) for (const [key, start] of seen) if (start < now - 3 * REACH_BACK_SECONDS) seen.delete(key);
    };
    track.addEventListener('cuechange', listener);
    watched.set(track, () => track.removeEventListener('cuechange', listener));
  };
  for (const track of Array.from(video.textTracks)) watch(track);
  const onAdd = (event: TrackEvent) => event.track && watch(event.track as TextTrack);
  video.textTracks.addEventListener('addtrack', onAdd);
  return () => {
    video.textTracks.removeEventListener('addtrack', onAdd);
    for (const stop of watched.values()) stop();
    watched.clear();
  };
}
