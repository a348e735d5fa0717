/**
 * Pure pieces of IVS's record-to-S3 layout, reproduced under a local folder (the recording
 * configuration's "bucket"):
 *
 *   ivs/v1/<account>/<channelId>/<Y>/<M>/<D>/<h>/<m>/<recordingId>/
 *     events/recording-started.json · events/recording-ended.json
 *     media/hls/master.m3u8 · media/hls/<rendition>/playlist.m3u8 + segments
 *
 * Date parts are UTC and not zero-padded (`2020/6/23/20/12`), as in IVS's documentation. Rendition
 * folders are named `<height>p<fps>` (e.g. `720p30`) like IVS's.
 */
import * as crypto from 'node:crypto';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A 12-character recording id (IVS's look: `j8Z9O91ndcVs`). */
export function newRecordingId(): string {
  const bytes = crypto.randomBytes(12);
  return Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

export function recordingPrefix(accountId: string, channelId: string, startedAt: Date, recordingId: string): string {
  const d = startedAt;
  return ['ivs', 'v1', accountId, channelId, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), recordingId].join('/');
}

export function renditionName(height: number, frameRate: number | undefined): string {
  return frameRate ? `${height}p${Math.round(frameRate)}` : `${height}p`;
}

export interface RenditionInfo {
  path: string;
  playlist: string;
  resolutionWidth: number;
  resolutionHeight: number;
}

export function recordingStartedJson(input: { channelArn: string; startedAt: Date; renditions: RenditionInfo[] }): object {
  return {
    version: 'v1',
    recording_started_at: input.startedAt.toISOString(),
    channel_arn: input.channelArn,
    recording_status: 'RECORDING_STARTED',
    media: {
      hls: {
        path: 'media/hls',
        playlist: 'master.m3u8',
        renditions: input.renditions.map((r) => ({ path: r.path, playlist: r.playlist, resolution_width: r.resolutionWidth, resolution_height: r.resolutionHeight })),
      },
    },
  };
}

export function recordingEndedJson(input: { channelArn: string; startedAt: Date; endedAt: Date; durationMs: number; renditions: RenditionInfo[] }): object {
  return {
    version: 'v1',
    recording_started_at: input.startedAt.toISOString(),
    recording_ended_at: input.endedAt.toISOString(),
    channel_arn: input.channelArn,
    recording_status: 'RECORDING_ENDED',
    media: {
      hls: {
        duration_ms: Math.round(input.durationMs),
        path: 'media/hls',
        playlist: 'master.m3u8',
        renditions: input.renditions.map((r) => ({ path: r.path, playlist: r.playlist, resolution_width: r.resolutionWidth, resolution_height: r.resolutionHeight })),
      },
    },
  };
}
