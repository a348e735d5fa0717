/**
 * State → IVS response shapes (reference §2.2; field sets from the SDK schemas, defaults as the AWS
 * CLI examples show them). Endpoints are computed here, from this run's ports, never stored.
 */
import type { LiveStreamStatus } from '../runtime';
import type { ChannelState, PlaybackKeyPairState, RecordingConfigurationState, SessionState, StreamKeyState } from '../store/state';
import { ingestEndpointFor, playbackUrlFor, type Endpoints } from './identifiers';

export interface WireContext {
  region: string;
  accountId: string;
  endpoints: Endpoints;
}

export function channelToWire(c: ChannelState, ctx: WireContext): Record<string, unknown> {
  const out: Record<string, unknown> = {
    arn: c.arn,
    name: c.name,
    latencyMode: c.latencyMode,
    type: c.type,
    recordingConfigurationArn: c.recordingConfigurationArn,
    ingestEndpoint: ingestEndpointFor(ctx.endpoints),
    playbackUrl: playbackUrlFor(ctx.endpoints, ctx.region, ctx.accountId, c.id),
    authorized: c.authorized,
    tags: { ...c.tags },
    insecureIngest: c.insecureIngest,
    preset: c.preset,
    playbackRestrictionPolicyArn: c.playbackRestrictionPolicyArn,
    multitrackInputConfiguration: { ...c.multitrackInputConfiguration },
    containerFormat: c.containerFormat,
  };
  // Newer member (ad insertion, not emulated): only present when set, as on channels that never used it.
  if (c.adConfigurationArn) out.adConfigurationArn = c.adConfigurationArn;
  return out;
}

export function channelSummaryToWire(c: ChannelState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    arn: c.arn,
    name: c.name,
    latencyMode: c.latencyMode,
    authorized: c.authorized,
    recordingConfigurationArn: c.recordingConfigurationArn,
    tags: { ...c.tags },
    insecureIngest: c.insecureIngest,
    type: c.type,
    preset: c.preset,
    playbackRestrictionPolicyArn: c.playbackRestrictionPolicyArn,
  };
  if (c.adConfigurationArn) out.adConfigurationArn = c.adConfigurationArn;
  return out;
}

export function streamKeyToWire(k: StreamKeyState): Record<string, unknown> {
  return { arn: k.arn, value: k.value, channelArn: k.channelArn, tags: { ...k.tags } };
}

export function streamKeySummaryToWire(k: StreamKeyState): Record<string, unknown> {
  return { arn: k.arn, channelArn: k.channelArn, tags: { ...k.tags } };
}

export function keyPairToWire(k: PlaybackKeyPairState): Record<string, unknown> {
  return { arn: k.arn, name: k.name, fingerprint: k.fingerprint, tags: { ...k.tags } };
}

export function keyPairSummaryToWire(k: PlaybackKeyPairState): Record<string, unknown> {
  return { arn: k.arn, name: k.name, tags: { ...k.tags } };
}

export function recordingConfigurationToWire(r: RecordingConfigurationState, state: RecordingConfigurationState['state'] = r.state): Record<string, unknown> {
  return {
    arn: r.arn,
    name: r.name,
    destinationConfiguration: { s3: { bucketName: r.bucketName } },
    state,
    tags: { ...r.tags },
    thumbnailConfiguration: { ...r.thumbnailConfiguration, storage: [...r.thumbnailConfiguration.storage] },
    recordingReconnectWindowSeconds: r.recordingReconnectWindowSeconds,
    renditionConfiguration: { ...r.renditionConfiguration, renditions: [...r.renditionConfiguration.renditions] },
  };
}

export function recordingConfigurationSummaryToWire(r: RecordingConfigurationState): Record<string, unknown> {
  return { arn: r.arn, name: r.name, destinationConfiguration: { s3: { bucketName: r.bucketName } }, state: r.state, tags: { ...r.tags } };
}

export function streamToWire(s: LiveStreamStatus, channelId: string, ctx: WireContext): Record<string, unknown> {
  return {
    channelArn: s.channelArn,
    streamId: s.streamId,
    playbackUrl: playbackUrlFor(ctx.endpoints, ctx.region, ctx.accountId, channelId),
    startTime: s.startTime,
    state: 'LIVE',
    health: s.health,
    viewerCount: s.viewerCount,
  };
}

export function streamSummaryToWire(s: LiveStreamStatus): Record<string, unknown> {
  return { channelArn: s.channelArn, streamId: s.streamId, state: 'LIVE', health: s.health, viewerCount: s.viewerCount, startTime: s.startTime };
}

/** Events that make IVS flag a session `hasErrorEvent`. */
const ERROR_EVENTS = new Set(['Stream Failure', 'Limit Breach', 'Stream Takeover Failure', 'Recording Start Failure', 'Recording End Failure']);

export function sessionSummaryToWire(s: SessionState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    streamId: s.streamId,
    startTime: s.startTime,
    hasErrorEvent: s.events.some((e) => ERROR_EVENTS.has(e.name) || e.type === 'IVS Limit Breach'),
  };
  if (s.endTime) out.endTime = s.endTime;
  return out;
}

export function sessionToWire(s: SessionState, ctx: WireContext): Record<string, unknown> {
  const video = s.ingest?.video;
  const audio = s.ingest?.audio;
  const out: Record<string, unknown> = {
    streamId: s.streamId,
    startTime: s.startTime,
    channel: channelToWire(s.channel, ctx),
    ingestConfigurations: {
      // The multitrack-era shape drops the deprecated avcProfile/avcLevel members.
      videoConfigurations: video ? [withoutKeys(video, ['avcProfile', 'avcLevel'])] : [],
      audioConfigurations: audio ? [{ ...audio }] : [],
    },
    truncatedEvents: [...s.events].reverse().slice(0, 500).map((e) => ({ ...e })),
  };
  if (s.endTime) out.endTime = s.endTime;
  if (video || audio) out.ingestConfiguration = { ...(video ? { video: { ...video } } : {}), ...(audio ? { audio: { ...audio } } : {}) };
  if (s.recordingConfiguration) out.recordingConfiguration = recordingConfigurationToWire(s.recordingConfiguration);
  return out;
}

function withoutKeys<T extends object>(value: T, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.includes(k)));
}
