import type { Channel, ChannelSummary as SdkChannelSummary, RecordingConfiguration, RecordingConfigurationSummary as SdkRecordingSummary, StreamSession } from '@aws-sdk/client-ivs';
import type {
  ChannelDetails,
  ChannelSummary,
  ChannelType,
  IngestAudioConfiguration,
  IngestVideoConfiguration,
  LatencyMode,
  RecordingConfigurationSummary,
  StreamSessionEvent,
} from '../contract/domains/accounts';

/** SDK shapes → contract shapes, with IVS's documented defaults filled in. */
export function toChannelSummary(c: SdkChannelSummary | Channel): ChannelSummary {
  return {
    arn: c.arn ?? '',
    name: c.name ?? '',
    type: (c.type ?? 'STANDARD') as ChannelType,
    latencyMode: (c.latencyMode ?? 'LOW') as LatencyMode,
    authorized: c.authorized ?? false,
    insecureIngest: c.insecureIngest ?? false,
    recordingConfigurationArn: c.recordingConfigurationArn ?? '',
    tags: { ...(c.tags ?? {}) },
  };
}

export function toChannelDetails(c: Channel): ChannelDetails {
  return { ...toChannelSummary(c), ingestEndpoint: c.ingestEndpoint ?? '', playbackUrl: c.playbackUrl ?? '' };
}

export function toRecordingConfiguration(rc: RecordingConfiguration | SdkRecordingSummary): RecordingConfigurationSummary {
  return {
    arn: rc.arn ?? '',
    name: rc.name ?? '',
    bucketName: rc.destinationConfiguration?.s3?.bucketName ?? '',
    state: rc.state ?? 'CREATING',
  };
}

/** What the encoder actually sent (Track0 / first audio track), from a stream session. */
export function ingestFromSession(session: StreamSession): { video?: IngestVideoConfiguration; audio?: IngestAudioConfiguration } {
  const v = session.ingestConfigurations?.videoConfigurations?.[0] ?? session.ingestConfiguration?.video;
  const a = session.ingestConfigurations?.audioConfigurations?.[0] ?? session.ingestConfiguration?.audio;
  const out: { video?: IngestVideoConfiguration; audio?: IngestAudioConfiguration } = {};
  if (v && (v.codec || v.videoWidth)) {
    const legacy = v as { avcProfile?: string; avcLevel?: string };
    out.video = {
      codec: v.codec ?? '',
      profile: v.profile ?? legacy.avcProfile,
      level: v.level ?? legacy.avcLevel,
      encoder: v.encoder,
      videoWidth: Number(v.videoWidth ?? 0),
      videoHeight: Number(v.videoHeight ?? 0),
      targetFramerate: Number(v.targetFramerate ?? 0),
      targetBitrate: Number(v.targetBitrate ?? 0),
    };
  }
  if (a && (a.codec || a.sampleRate)) {
    out.audio = {
      codec: a.codec ?? '',
      sampleRate: Number(a.sampleRate ?? 0),
      channels: Number(a.channels ?? 0),
      targetBitrate: Number(a.targetBitrate ?? 0),
    };
  }
  return out;
}

export function eventsFromSession(session: StreamSession): StreamSessionEvent[] {
  return (session.truncatedEvents ?? []).map((e) => ({
    name: e.name ?? '',
    type: e.type ?? '',
    eventTime: e.eventTime ? new Date(e.eventTime).toISOString() : '',
    ...(e.code ? { code: e.code } : {}),
  }));
}
