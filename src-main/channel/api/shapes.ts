/**
 * Request shapes of the IVS operations the local channel serves, with the service model's
 * constraints (botocore `ivs/2020-07-14/service-2.json`; reference §2.4). Data, not code.
 */
import type { Shape, StructureShape } from './validate';

const arnOf = (kind: string) => `arn:aws:ivs:[a-z0-9-]+:[0-9]+:${kind}/[a-zA-Z0-9-]+`;
const optionalArnOf = (kind: string) => `^$|^${arnOf(kind)}$`;

export const patterns = {
  channelArn: arnOf('channel'),
  streamKeyArn: arnOf('stream-key'),
  playbackKeyPairArn: arnOf('playback-key'),
  recordingConfigurationArn: arnOf('recording-configuration'),
  // The model's ResourceArn pattern reads `[a-z-]/`, which matches no real ARN; IVS accepts `[a-z-]+`.
  resourceArn: 'arn:aws:ivs:[a-z0-9-]+:[0-9]+:[a-z-]+/[a-zA-Z0-9-]+',
  name: '[a-zA-Z0-9-_]*',
  nextToken: '[a-zA-Z0-9+/=_-]*',
  streamId: 'st-[a-zA-Z0-9]+',
  tagKey: '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+)',
  tagValue: '([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)',
  bucketName: '[a-z0-9-.]+',
} as const;

const str = (constraints: Omit<Extract<Shape, { kind: 'string' }>, 'kind'> = {}): Shape => ({ kind: 'string', ...constraints });
const bool: Shape = { kind: 'boolean' };
const int = (min?: number, max?: number): Shape => ({ kind: 'integer', min, max });
const struct = (members: Record<string, Shape>, required: readonly string[] = []): StructureShape => ({ kind: 'structure', members, required });

export const channelArn = str({ min: 1, max: 128, pattern: patterns.channelArn });
const streamKeyArn = str({ min: 1, max: 128, pattern: patterns.streamKeyArn });
const playbackKeyPairArn = str({ min: 1, max: 128, pattern: patterns.playbackKeyPairArn });
const recordingConfigurationArn = str({ min: 0, max: 128, pattern: patterns.recordingConfigurationArn });
const resourceName = str({ min: 0, max: 128, pattern: patterns.name });
const nextToken = str({ min: 0, max: 1024, pattern: patterns.nextToken });
const tags: Shape = {
  kind: 'map',
  key: str({ min: 1, max: 128, pattern: patterns.tagKey }),
  value: str({ min: 0, max: 256, pattern: patterns.tagValue }),
  min: 0,
  max: 50,
};

export const enums = {
  channelType: ['BASIC', 'STANDARD', 'ADVANCED_SD', 'ADVANCED_HD'],
  latencyMode: ['NORMAL', 'LOW'],
  preset: ['HIGHER_BANDWIDTH_DELIVERY', 'CONSTRAINED_BANDWIDTH_DELIVERY'],
  containerFormat: ['TS', 'FRAGMENTED_MP4'],
  multitrackPolicy: ['ALLOW', 'REQUIRE'],
  multitrackMaximumResolution: ['SD', 'HD', 'FULL_HD'],
  streamHealth: ['HEALTHY', 'STARVING', 'UNKNOWN'],
  recordingMode: ['DISABLED', 'INTERVAL'],
  resolution: ['SD', 'HD', 'FULL_HD', 'LOWEST_RESOLUTION'],
  thumbnailStorage: ['SEQUENTIAL', 'LATEST'],
  renditionSelection: ['ALL', 'NONE', 'CUSTOM'],
} as const;

const multitrackInputConfiguration = struct({
  enabled: bool,
  policy: str({ enum: enums.multitrackPolicy }),
  maximumResolution: str({ enum: enums.multitrackMaximumResolution }),
});

/** Members CreateChannel and UpdateChannel share. */
const channelSettings: Record<string, Shape> = {
  name: resourceName,
  latencyMode: str({ enum: enums.latencyMode }),
  type: str({ enum: enums.channelType }),
  authorized: bool,
  recordingConfigurationArn: str({ min: 0, max: 128, pattern: optionalArnOf('recording-configuration') }),
  insecureIngest: bool,
  preset: str({ enum: enums.preset }),
  playbackRestrictionPolicyArn: str({ min: 0, max: 128, pattern: optionalArnOf('playback-restriction-policy') }),
  multitrackInputConfiguration,
  containerFormat: str({ enum: enums.containerFormat }),
  adConfigurationArn: str({ min: 0, max: 128, pattern: optionalArnOf('ad-configuration') }),
};

/** Input shapes by operation name. Tag operations also carry `resourceArn` (path) and `tagKeys` (query). */
export const inputShapes = {
  CreateChannel: struct({ ...channelSettings, tags }),
  GetChannel: struct({ arn: channelArn }, ['arn']),
  BatchGetChannel: struct({ arns: { kind: 'list', member: channelArn, min: 1, max: 50 } }, ['arns']),
  ListChannels: struct({
    filterByName: resourceName,
    filterByRecordingConfigurationArn: channelSettings.recordingConfigurationArn!,
    filterByPlaybackRestrictionPolicyArn: channelSettings.playbackRestrictionPolicyArn!,
    filterByAdConfigurationArn: channelSettings.adConfigurationArn!,
    nextToken,
    maxResults: int(1, 100),
  }),
  UpdateChannel: struct({ arn: channelArn, ...channelSettings }, ['arn']),
  DeleteChannel: struct({ arn: channelArn }, ['arn']),
  CreateStreamKey: struct({ channelArn, tags }, ['channelArn']),
  GetStreamKey: struct({ arn: streamKeyArn }, ['arn']),
  BatchGetStreamKey: struct({ arns: { kind: 'list', member: streamKeyArn, min: 1, max: 50 } }, ['arns']),
  ListStreamKeys: struct({ channelArn, nextToken, maxResults: int(1, 50) }, ['channelArn']),
  DeleteStreamKey: struct({ arn: streamKeyArn }, ['arn']),
  GetStream: struct({ channelArn }, ['channelArn']),
  ListStreams: struct({ filterBy: struct({ health: str({ enum: enums.streamHealth }) }), nextToken, maxResults: int(1, 100) }),
  StopStream: struct({ channelArn }, ['channelArn']),
  // 1 KB payload limit (reference §4): measured in UTF-8 bytes.
  PutMetadata: struct({ channelArn, metadata: str({ min: 1, maxBytes: 1024, sensitive: true }) }, ['channelArn', 'metadata']),
  GetStreamSession: struct({ channelArn, streamId: str({ min: 26, max: 26, pattern: patterns.streamId }) }, ['channelArn']),
  ListStreamSessions: struct({ channelArn, nextToken, maxResults: int(1, 100) }, ['channelArn']),
  ImportPlaybackKeyPair: struct({ publicKeyMaterial: str(), name: resourceName, tags }, ['publicKeyMaterial']),
  GetPlaybackKeyPair: struct({ arn: playbackKeyPairArn }, ['arn']),
  ListPlaybackKeyPairs: struct({ nextToken, maxResults: int(1, 100) }),
  DeletePlaybackKeyPair: struct({ arn: playbackKeyPairArn }, ['arn']),
  CreateRecordingConfiguration: struct(
    {
      name: resourceName,
      destinationConfiguration: struct({ s3: struct({ bucketName: str({ min: 3, max: 63, pattern: patterns.bucketName }) }, ['bucketName']) }),
      tags,
      thumbnailConfiguration: struct({
        recordingMode: str({ enum: enums.recordingMode }),
        targetIntervalSeconds: int(1, 60),
        resolution: str({ enum: enums.resolution }),
        storage: { kind: 'list', member: str({ enum: enums.thumbnailStorage }) },
      }),
      recordingReconnectWindowSeconds: int(0, 300),
      renditionConfiguration: struct({
        renditionSelection: str({ enum: enums.renditionSelection }),
        renditions: { kind: 'list', member: str({ enum: enums.resolution }) },
      }),
    },
    ['destinationConfiguration'],
  ),
  GetRecordingConfiguration: struct({ arn: { ...recordingConfigurationArn, min: 1 } as Shape }, ['arn']),
  ListRecordingConfigurations: struct({ nextToken, maxResults: int(1, 100) }),
  DeleteRecordingConfiguration: struct({ arn: { ...recordingConfigurationArn, min: 1 } as Shape }, ['arn']),
  TagResource: struct({ resourceArn: str({ min: 1, max: 128, pattern: patterns.resourceArn }), tags }, ['resourceArn', 'tags']),
  UntagResource: struct(
    {
      resourceArn: str({ min: 1, max: 128, pattern: patterns.resourceArn }),
      tagKeys: { kind: 'list', member: str({ min: 1, max: 128, pattern: patterns.tagKey }), min: 0, max: 50 },
    },
    ['resourceArn', 'tagKeys'],
  ),
  ListTagsForResource: struct({ resourceArn: str({ min: 1, max: 128, pattern: patterns.resourceArn }) }, ['resourceArn']),
} satisfies Record<string, StructureShape>;

export type ImplementedOperation = keyof typeof inputShapes;
