/**
 * The local channel's persisted state, validated on load with zod. Two documents in
 * `<dataDir>/local-channel/`: `state.json` (channels, stream keys, playback key pairs, recording
 * configurations, their tags) and `sessions.json` (stream sessions, written by the live runtime
 * through SessionLog). Endpoints and playback URLs are NOT stored: they depend on this run's ports.
 */
import { z } from 'zod';

const tags = z.record(z.string(), z.string());
const timestamp = z.string().min(1);

export const channelStateSchema = z.object({
  id: z.string(),
  arn: z.string(),
  name: z.string(),
  latencyMode: z.enum(['LOW', 'NORMAL']),
  type: z.enum(['BASIC', 'STANDARD', 'ADVANCED_SD', 'ADVANCED_HD']),
  authorized: z.boolean(),
  insecureIngest: z.boolean(),
  preset: z.enum(['', 'HIGHER_BANDWIDTH_DELIVERY', 'CONSTRAINED_BANDWIDTH_DELIVERY']),
  recordingConfigurationArn: z.string(),
  playbackRestrictionPolicyArn: z.string(),
  adConfigurationArn: z.string(),
  multitrackInputConfiguration: z.object({
    enabled: z.boolean(),
    policy: z.enum(['ALLOW', 'REQUIRE']),
    maximumResolution: z.enum(['SD', 'HD', 'FULL_HD']),
  }),
  containerFormat: z.enum(['TS', 'FRAGMENTED_MP4']),
  tags,
  createdAt: timestamp,
});
export type ChannelState = z.infer<typeof channelStateSchema>;

export const streamKeyStateSchema = z.object({
  id: z.string(),
  arn: z.string(),
  value: z.string(),
  channelArn: z.string(),
  tags,
  createdAt: timestamp,
});
export type StreamKeyState = z.infer<typeof streamKeyStateSchema>;

export const playbackKeyPairStateSchema = z.object({
  id: z.string(),
  arn: z.string(),
  name: z.string(),
  fingerprint: z.string(),
  publicKeyPem: z.string(),
  tags,
  createdAt: timestamp,
});
export type PlaybackKeyPairState = z.infer<typeof playbackKeyPairStateSchema>;

export const recordingConfigurationStateSchema = z.object({
  id: z.string(),
  arn: z.string(),
  name: z.string(),
  bucketName: z.string(),
  state: z.enum(['CREATING', 'CREATE_FAILED', 'ACTIVE']),
  thumbnailConfiguration: z.object({
    recordingMode: z.enum(['DISABLED', 'INTERVAL']),
    targetIntervalSeconds: z.number().int(),
    resolution: z.enum(['SD', 'HD', 'FULL_HD', 'LOWEST_RESOLUTION']).optional(),
    storage: z.array(z.enum(['SEQUENTIAL', 'LATEST'])),
  }),
  recordingReconnectWindowSeconds: z.number().int(),
  renditionConfiguration: z.object({
    renditionSelection: z.enum(['ALL', 'NONE', 'CUSTOM']),
    renditions: z.array(z.enum(['SD', 'HD', 'FULL_HD', 'LOWEST_RESOLUTION'])),
  }),
  tags,
  createdAt: timestamp,
});
export type RecordingConfigurationState = z.infer<typeof recordingConfigurationStateSchema>;

export const resourcesSchema = z.object({
  version: z.literal(1),
  channels: z.array(channelStateSchema),
  streamKeys: z.array(streamKeyStateSchema),
  playbackKeyPairs: z.array(playbackKeyPairStateSchema),
  recordingConfigurations: z.array(recordingConfigurationStateSchema),
});
export type Resources = z.infer<typeof resourcesSchema>;

export const emptyResources = (): Resources => ({ version: 1, channels: [], streamKeys: [], playbackKeyPairs: [], recordingConfigurations: [] });

const streamEventSchema = z.object({
  name: z.string(),
  type: z.string(),
  eventTime: timestamp,
  code: z.string().optional(),
});

const videoConfigurationSchema = z.object({
  avcProfile: z.string(),
  avcLevel: z.string(),
  codec: z.string(),
  encoder: z.string(),
  targetBitrate: z.number(),
  targetFramerate: z.number(),
  videoHeight: z.number(),
  videoWidth: z.number(),
  level: z.string().optional(),
  profile: z.string().optional(),
  track: z.string().optional(),
});
const audioConfigurationSchema = z.object({
  channels: z.number(),
  codec: z.string(),
  sampleRate: z.number(),
  targetBitrate: z.number(),
  track: z.string().optional(),
});

export const sessionStateSchema = z.object({
  streamId: z.string(),
  channelArn: z.string(),
  startTime: timestamp,
  endTime: timestamp.optional(),
  /** The channel as it was at go-live (endpoints are added at response time). */
  channel: channelStateSchema,
  recordingConfiguration: recordingConfigurationStateSchema.optional(),
  ingest: z.object({ video: videoConfigurationSchema.optional(), audio: audioConfigurationSchema.optional() }).optional(),
  /** Oldest first; GetStreamSession returns the most recent 500, newest first. */
  events: z.array(streamEventSchema),
});
export type SessionState = z.infer<typeof sessionStateSchema>;

export const sessionsSchema = z.object({ version: z.literal(1), sessions: z.array(sessionStateSchema) });
export type Sessions = z.infer<typeof sessionsSchema>;
export const emptySessions = (): Sessions => ({ version: 1, sessions: [] });

export const credentialsSchema = z.object({
  accessKeyId: z.string().min(16),
  secretAccessKey: z.string().min(30),
});
export type LocalCredentials = z.infer<typeof credentialsSchema>;
