/**
 * The preview player, whatever plays underneath (hls.js for the local channel, the IVS Player SDK for
 * real IVS channels): muted by default, clear states, recovery on its own, latency measured from our
 * SEI stamps, IVS metadata cues handed on when playback reaches them.
 */
import type { PlayerLatencyReport, PlayerState, PreviewPlayerKind } from '@contract/studio-api';

export interface PreviewPlayerEvents {
  onState(state: PlayerState, detail?: string): void;
  /** About once a second while loaded. */
  onReport(report: PlayerLatencyReport): void;
  /** An IVS timed-metadata cue (ID3 PRIV owned by metadata.live-video.net) reached the playhead. */
  onCue(text: string, shownAt: number): void;
}

export interface PreviewPlayer {
  readonly kind: PreviewPlayerKind;
  load(url: string): void;
  /** Drops what is buffered and starts again at the live edge (the "reconnect" button, a new stream). */
  reload(): void;
  dispose(): void;
}

/** IVS timed metadata arrives as ID3 PRIV frames with this owner. */
export const IVS_METADATA_OWNER = 'metadata.live-video.net';

/** Watches a video element's hidden `id3` metadata tracks (hls.js) for IVS cues, once each. */
export function watchId3Cues(video: HTMLVideoElement, onCue: (text: string, shownAt: number) => void): () => void {
  const seen = new Set<string>();
  const watched: Array<{ track: TextTrack; listener: () => void }> = [];
  const watch = (track: TextTrack) => {
    if (track.kind !== 'metadata' || watched.some((w) => w.track === track)) return;
    track.mode = 'hidden';
    const listener = () => {
      for (const cue of Array.from(track.activeCues ?? [])) {
        const value = (cue as TextTrackCue & { value?: { key?: string; info?: string; data?: ArrayBuffer | Uint8Array | string } }).value;
        if (!value || value.key !== 'PRIV' || value.info !== IVS_METADATA_OWNER || value.data === undefined) continue;
        const text = typeof value.data === 'string' ? value.data : new TextDecoder().decode(value.data);
        const key = `${cue.startTime}|${text}`;
        if (seen.has(key)) continue;
        seen.add(key);
        if (seen.size > 500) seen.delete(seen.values().next().value!);
        onCue(text, Date.now());
      }
    };
    track.addEventListener('cuechange', listener);
    watched.push({ track, listener });
  };
  for (const track of Array.from(video.textTracks)) watch(track);
  const onAdd = (event: TrackEvent) => event.track && watch(event.track as TextTrack);
  video.textTracks.addEventListener('addtrack', onAdd);
  return () => {
    video.textTracks.removeEventListener('addtrack', onAdd);
    for (const w of watched) w.track.removeEventListener('cuechange', w.listener);
  };
}
