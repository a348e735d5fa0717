/**
 * The seams inside the local channel (the embedded IVS-compatible endpoint):
 *
 *   control plane (api/, store)  ──ChannelDirectory / SessionLog──►  live runtime (ingest + packager)
 *   control plane                ◄──────────LiveControl────────────  live runtime
 *
 * The control plane owns persisted state (channels, keys, key pairs, recording configurations,
 * tags, stream sessions). The live runtime owns sockets and media: RTMP(S) ingest, the LL-HLS
 * packager, playback HTTP, recording. Each side depends only on these interfaces.
 */
import type { FlvTag } from '../media/flv';

export type ChannelType = 'STANDARD' | 'BASIC' | 'ADVANCED_SD' | 'ADVANCED_HD';
export type ContainerFormat = 'TS' | 'FRAGMENTED_MP4';

/** The control plane's view of a channel, as the live side needs it. */
export interface ChannelRecord {
  arn: string;
  id: string;
  name: string;
  type: ChannelType;
  latencyMode: 'LOW' | 'NORMAL';
  authorized: boolean;
  insecureIngest: boolean;
  containerFormat: ContainerFormat;
  recordingConfigurationArn: string;
  playbackUrl: string;
}

export interface PlaybackPublicKey {
  arn: string;
  publicKeyPem: string;
}

/** What the live side asks the control plane. */
export interface ChannelDirectory {
  /** The channel a stream key belongs to, or undefined (unknown key: refuse, create nothing). */
  channelForStreamKey(streamKey: string): ChannelRecord | undefined;
  channelById(channelId: string): ChannelRecord | undefined;
  /** Public keys imported with ImportPlaybackKeyPair, for private-channel tokens. */
  playbackPublicKeys(): PlaybackPublicKey[];
  /** Folder for a recording configuration's S3 destination (a folder under the data dir), if any. */
  recordingFolder(recordingConfigurationArn: string): string | undefined;
  /** The AWS account id used in ARNs and recording paths. */
  readonly accountId: string;
  readonly region: string;
}

/** IVS event names, as in EventBridge and GetStreamSession.truncatedEvents. */
export type StreamEventName =
  | 'Session Created'
  | 'Stream Start'
  | 'Stream End'
  | 'Session Ended'
  | 'Stream Failure'
  | 'Starvation Start'
  | 'Starvation End'
  | 'Recording Start'
  | 'Recording End'
  | 'Limit Breach';

export interface StreamEvent {
  name: StreamEventName;
  type: 'IVS Stream State Change' | 'IVS Stream Health Change' | 'IVS Recording State Change' | 'IVS Limit Breach';
  eventTime: string;
  code?: string;
}

/** What the encoder actually sent, IVS's `ingestConfigurations` shape. */
export interface IngestConfiguration {
  video?: {
    avcProfile: string;
    avcLevel: string;
    codec: string;
    encoder: string;
    targetBitrate: number;
    targetFramerate: number;
    videoHeight: number;
    videoWidth: number;
    level?: string;
    profile?: string;
    track?: string;
  };
  audio?: {
    channels: number;
    codec: string;
    sampleRate: number;
    targetBitrate: number;
    track?: string;
  };
}

/** What the live side reports to the control plane, which persists it (GetStreamSession). */
export interface SessionLog {
  sessionStarted(channelArn: string, streamId: string, startTime: string): void;
  sessionEvent(streamId: string, event: StreamEvent): void;
  sessionIngestConfiguration(streamId: string, configuration: IngestConfiguration): void;
  sessionEnded(streamId: string, endTime: string): void;
}

export type StreamHealth = 'HEALTHY' | 'STARVING' | 'UNKNOWN';

export interface LiveStreamStatus {
  channelArn: string;
  streamId: string;
  startTime: string;
  health: StreamHealth;
  viewerCount: number;
}

/** What the control plane asks the live side. */
export interface LiveControl {
  liveStream(channelArn: string): LiveStreamStatus | undefined;
  liveStreams(): LiveStreamStatus[];
  /** Disconnects the publisher (StopStream). */
  stopStream(channelArn: string): Promise<void>;
  /** Inserts an ID3 PRIV (owner metadata.live-video.net) at the live edge. */
  putMetadata(channelArn: string, metadata: string): void;
}

/** The packager's input, fed by the ingest: FLV tag bodies = RTMP message payloads. */
export interface MediaSink {
  pushTag(tag: FlvTag): void;
  insertMetadata(text: string): void;
  end(): void;
}
