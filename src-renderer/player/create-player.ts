/** The right player for a preview source: hls.js for the local channel and plain HLS, the IVS SDK for IVS. */
import type { PreviewPlayerKind } from '@contract/studio-api';
import { HlsPreviewPlayer } from './hls-preview-player';
import { IvsPreviewPlayer } from './ivs-preview-player';
import type { PreviewPlayer, PreviewPlayerEvents } from './preview-player';

export function createPreviewPlayer(kind: PreviewPlayerKind, video: HTMLVideoElement, events: PreviewPlayerEvents): PreviewPlayer {
  return kind === 'ivs-player' ? new IvsPreviewPlayer(video, events) : new HlsPreviewPlayer(video, events);
}
