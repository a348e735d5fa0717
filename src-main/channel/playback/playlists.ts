/**
 * Pure playlist rendering for low-latency HLS (RFC 8216bis + Apple's LL-HLS tags):
 *   - the multivariant playlist at the channel's playback URL (one variant, as a transmuxed IVS channel),
 *   - the media playlist: EXT-X-SERVER-CONTROL (CAN-BLOCK-RELOAD, PART-HOLD-BACK = 3 × PART-TARGET),
 *     EXT-X-PART-INF, EXT-X-PROGRAM-DATE-TIME per segment, EXT-X-PART for the segments near the live
 *     edge, EXT-X-PRELOAD-HINT for the next part, EXT-X-MAP for fMP4, EXT-X-ENDLIST once the stream ends.
 * Plain HLS clients ignore the part tags and play the whole segments.
 */
import type { PublishedSegment } from './live-timeline';

export interface VariantDescription {
  uri: string;
  bandwidth: number;
  averageBandwidth?: number;
  codecs: string[];
  width: number;
  height: number;
  frameRate?: number;
}

export function renderMultivariantPlaylist(variant: VariantDescription): string {
  const attributes = [
    `BANDWIDTH=${Math.max(1, Math.round(variant.bandwidth))}`,
    variant.averageBandwidth ? `AVERAGE-BANDWIDTH=${Math.max(1, Math.round(variant.averageBandwidth))}` : undefined,
    `CODECS="${variant.codecs.join(',')}"`,
    `RESOLUTION=${variant.width}x${variant.height}`,
    variant.frameRate ? `FRAME-RATE=${variant.frameRate.toFixed(3)}` : undefined,
  ].filter(Boolean);
  return ['#EXTM3U', '#EXT-X-VERSION:6', '#EXT-X-INDEPENDENT-SEGMENTS', `#EXT-X-STREAM-INF:${attributes.join(',')}`, variant.uri, ''].join('\n');
}

export interface MediaPlaylistInput {
  segments: readonly PublishedSegment[];
  extension: 'ts' | 'm4s';
  partTargetSec: number;
  /** Lower bound for EXT-X-TARGETDURATION (the configured segment target). */
  minTargetDurationSec: number;
  ended: boolean;
  /** Discontinuities that slid out of the window. */
  discontinuitySequence?: number;
  /** Parts are listed for segments within this many seconds of the live edge (3 target durations). */
  partWindowSec?: number;
  /** Appended to every URI (e.g. nothing; kept for callers that carry a query). */
  uriSuffix?: string;
  /** Renders EVENT/VOD playlists for recordings: no parts, no server control. */
  recording?: { segmentUri: (msn: number) => string; initUri: (version: number) => string; playlistType: 'EVENT' | 'VOD' };
}

export function segmentUri(msn: number, extension: string): string {
  return `seg${msn}.${extension}`;
}

export function partUri(msn: number, index: number, extension: string): string {
  return `seg${msn}.${index}.${extension}`;
}

export function initUri(version: number): string {
  return `init${version}.mp4`;
}

/** EXT-X-TARGETDURATION: the longest segment rounded to the nearest second, never below the minimum. */
export function targetDurationFor(segments: readonly PublishedSegment[], minimum: number): number {
  let target = Math.ceil(minimum);
  for (const segment of segments) if (segment.complete) target = Math.max(target, Math.round(segment.duration));
  return target;
}

export function renderMediaPlaylist(input: MediaPlaylistInput): string {
  const { segments, extension, partTargetSec, ended, recording } = input;
  const suffix = input.uriSuffix ?? '';
  const targetDuration = targetDurationFor(segments, input.minTargetDurationSec);
  const lines = ['#EXTM3U', '#EXT-X-VERSION:6', `#EXT-X-TARGETDURATION:${targetDuration}`];
  if (recording) {
    lines.push(`#EXT-X-PLAYLIST-TYPE:${recording.playlistType}`);
  } else {
    lines.push(`#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=${(3 * partTargetSec).toFixed(3)}`);
    lines.push(`#EXT-X-PART-INF:PART-TARGET=${partTargetSec.toFixed(3)}`);
  }
  lines.push(`#EXT-X-MEDIA-SEQUENCE:${segments[0]?.msn ?? 0}`);
  if (input.discontinuitySequence) lines.push(`#EXT-X-DISCONTINUITY-SEQUENCE:${input.discontinuitySequence}`);

  // Parts are listed for the last few segments only (RFC 8216bis §6.2.2: at least 3 target durations).
  const partWindow = input.partWindowSec ?? 3 * targetDuration;
  let edgeDistance = 0;
  const partsFrom = new Set<number>();
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = segments[i]!;
    if (edgeDistance <= partWindow) partsFrom.add(segment.msn);
    edgeDistance += segment.duration;
  }

  let mapVersion: number | undefined;
  for (const segment of segments) {
    if (!segment.complete && (recording || segment.parts.length === 0)) continue;
    if (segment.discontinuity) lines.push('#EXT-X-DISCONTINUITY');
    if (extension === 'm4s' && segment.initVersion !== mapVersion) {
      mapVersion = segment.initVersion;
      lines.push(`#EXT-X-MAP:URI="${recording ? recording.initUri(mapVersion) : initUri(mapVersion) + suffix}"`);
    }
    lines.push(`#EXT-X-PROGRAM-DATE-TIME:${new Date(segment.programDateTime).toISOString()}`);
    if (!recording && partsFrom.has(segment.msn)) {
      for (const part of segment.parts) {
        lines.push(`#EXT-X-PART:DURATION=${part.duration.toFixed(5)},URI="${partUri(segment.msn, part.index, extension)}${suffix}"${part.independent ? ',INDEPENDENT=YES' : ''}`);
      }
    }
    if (segment.complete) {
      lines.push(`#EXTINF:${segment.duration.toFixed(5)},`);
      lines.push(recording ? recording.segmentUri(segment.msn) : `${segmentUri(segment.msn, extension)}${suffix}`);
    }
  }
  if (!recording && !ended) {
    const last = segments.at(-1);
    if (last) {
      // The next part: more of the open segment, or the first part of the next one. Segments close at
      // the encoder's keyframes, so when the open segment is as long as the previous one (a regular
      // GOP), the next part most likely starts the next segment: hint that, so a client prefetching
      // the hint gets the part it will actually need.
      const previous = segments.at(-2);
      const gopDone = !last.complete && previous?.complete === true && last.duration >= previous.duration - partTargetSec / 2;
      const hint = last.complete || gopDone ? partUri(last.msn + 1, 0, extension) : partUri(last.msn, last.parts.length, extension);
      lines.push(`#EXT-X-PRELOAD-HINT:TYPE=PART,URI="${hint}${suffix}"`);
    }
  }
  if (ended || recording?.playlistType === 'VOD') lines.push('#EXT-X-ENDLIST');
  lines.push('');
  return lines.join('\n');
}
