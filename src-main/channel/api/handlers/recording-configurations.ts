/**
 * Create/Get/List/DeleteRecordingConfiguration. The S3 destination is a folder,
 * `<dataDir>/local-channel/s3/<bucketName>`, created with the configuration (state CREATING in the
 * Create answer as IVS does, ACTIVE once the folder exists; CREATE_FAILED if it cannot be made).
 * Deleting a configuration keeps the folder: recordings are the user's files.
 */
import * as fs from 'node:fs';
import type {
  CreateRecordingConfigurationRequest,
  DeleteRecordingConfigurationRequest,
  GetRecordingConfigurationRequest,
  ListRecordingConfigurationsRequest,
} from '@aws-sdk/client-ivs';
import { createLogger } from '../../../core/logger';
import { buildArn, newResourceId } from '../identifiers';
import { conflict, notFound, validation } from '../ivs-error';
import { paginate } from '../pagination';
import type { RecordingConfigurationState } from '../../store/state';
import { recordingConfigurationSummaryToWire, recordingConfigurationToWire } from '../wire';
import { checkTags, iso, type HandlerContext, type HandlerResult } from './context';

const log = createLogger('local-channel-recording');

export function createRecordingConfiguration(ctx: HandlerContext, input: CreateRecordingConfigurationRequest): HandlerResult {
  const bucketName = input.destinationConfiguration?.s3?.bucketName;
  if (!bucketName) throw validation('destinationConfiguration.s3.bucketName is required: the local channel records only to S3-style destinations.');
  if (bucketName.includes('..') || bucketName.startsWith('.')) throw validation(`bucketName '${bucketName}' is not a valid bucket name.`);
  const tags = checkTags(input.tags);
  const thumbnails = input.thumbnailConfiguration ?? {};
  const renditions = input.renditionConfiguration ?? {};
  const selection = renditions.renditionSelection ?? 'ALL';
  if (selection === 'CUSTOM' && !renditions.renditions?.length) {
    throw validation("renditionConfiguration.renditions must name at least one rendition when renditionSelection is 'CUSTOM'.");
  }
  const id = newResourceId(ctx.random);
  const config: RecordingConfigurationState = {
    id,
    arn: buildArn(ctx.wire.region, ctx.wire.accountId, 'recording-configuration', id),
    name: input.name ?? '',
    bucketName,
    state: 'ACTIVE',
    thumbnailConfiguration: {
      recordingMode: thumbnails.recordingMode ?? 'INTERVAL',
      targetIntervalSeconds: thumbnails.targetIntervalSeconds ?? 60,
      ...(thumbnails.resolution ? { resolution: thumbnails.resolution } : {}),
      storage: thumbnails.storage?.length ? [...new Set(thumbnails.storage)] : ['SEQUENTIAL'],
    },
    recordingReconnectWindowSeconds: input.recordingReconnectWindowSeconds ?? 0,
    renditionConfiguration: { renditionSelection: selection, renditions: selection === 'CUSTOM' ? [...new Set(renditions.renditions)] : [] },
    tags,
    createdAt: iso(ctx.now()),
  };
  try {
    fs.mkdirSync(ctx.store.bucketFolder(bucketName), { recursive: true });
  } catch (error) {
    log.error(`could not create the folder for bucket ${bucketName}`, error);
    config.state = 'CREATE_FAILED';
  }
  ctx.store.commit((draft) => {
    draft.recordingConfigurations.push(config);
  });
  return { recordingConfiguration: recordingConfigurationToWire(config, 'CREATING') };
}

function requireConfig(ctx: HandlerContext, arn: string): RecordingConfigurationState {
  const config = ctx.store.resources.recordingConfigurations.find((r) => r.arn === arn);
  if (!config) throw notFound('Recording configuration', arn);
  return config;
}

export function getRecordingConfiguration(ctx: HandlerContext, input: GetRecordingConfigurationRequest): HandlerResult {
  return { recordingConfiguration: recordingConfigurationToWire(requireConfig(ctx, input.arn!)) };
}

export function listRecordingConfigurations(ctx: HandlerContext, input: ListRecordingConfigurationsRequest): HandlerResult {
  const page = paginate(ctx.store.resources.recordingConfigurations, (r) => r.arn, {
    operation: 'ListRecordingConfigurations',
    filters: {},
    nextToken: input.nextToken,
    maxResults: input.maxResults ?? 100,
  });
  return { recordingConfigurations: page.items.map(recordingConfigurationSummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function deleteRecordingConfiguration(ctx: HandlerContext, input: DeleteRecordingConfigurationRequest): HandlerResult {
  const config = requireConfig(ctx, input.arn!);
  const users = ctx.store.resources.channels.filter((c) => c.recordingConfigurationArn === config.arn);
  if (users.length > 0) {
    throw conflict(
      `Recording configuration ${config.arn} is used by ${users.length} channel(s) (${users.map((c) => c.arn).join(', ')}); set their recordingConfigurationArn to "" first.`,
    );
  }
  ctx.store.commit((draft) => {
    draft.recordingConfigurations = draft.recordingConfigurations.filter((r) => r.arn !== config.arn);
  });
  return undefined;
}
