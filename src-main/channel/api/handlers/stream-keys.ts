/** CreateStreamKey, GetStreamKey, BatchGetStreamKey, ListStreamKeys, DeleteStreamKey. One key per channel. */
import type {
  BatchGetStreamKeyRequest,
  CreateStreamKeyRequest,
  DeleteStreamKeyRequest,
  GetStreamKeyRequest,
  ListStreamKeysRequest,
} from '@aws-sdk/client-ivs';
import { buildArn, newResourceId, newStreamKeyValue } from '../identifiers';
import { IvsError, notFound } from '../ivs-error';
import { paginate } from '../pagination';
import type { StreamKeyState } from '../../store/state';
import { streamKeySummaryToWire, streamKeyToWire } from '../wire';
import { checkTags, iso, requireChannel, type HandlerContext, type HandlerResult } from './context';

export function createStreamKey(ctx: HandlerContext, input: CreateStreamKeyRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  const tags = checkTags(input.tags);
  const existing = ctx.store.resources.streamKeys.find((k) => k.channelArn === channel.arn);
  if (existing) {
    throw new IvsError(
      'ServiceQuotaExceededException',
      `Channel ${channel.arn} already has a stream key (${existing.arn}); the limit is 1 per channel. Delete it first to rotate.`,
    );
  }
  const id = newResourceId(ctx.random);
  const key: StreamKeyState = {
    id,
    arn: buildArn(ctx.wire.region, ctx.wire.accountId, 'stream-key', id),
    value: newStreamKeyValue(ctx.wire.region, ctx.random),
    channelArn: channel.arn,
    tags,
    createdAt: iso(ctx.now()),
  };
  ctx.store.commit((draft) => {
    draft.streamKeys.push(key);
  });
  return { streamKey: streamKeyToWire(key) };
}

function requireKey(ctx: HandlerContext, arn: string): StreamKeyState {
  const key = ctx.store.resources.streamKeys.find((k) => k.arn === arn);
  if (!key) throw notFound('Stream key', arn);
  return key;
}

export function getStreamKey(ctx: HandlerContext, input: GetStreamKeyRequest): HandlerResult {
  return { streamKey: streamKeyToWire(requireKey(ctx, input.arn!)) };
}

export function batchGetStreamKey(ctx: HandlerContext, input: BatchGetStreamKeyRequest): HandlerResult {
  const streamKeys: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const arn of new Set(input.arns)) {
    const key = ctx.store.resources.streamKeys.find((k) => k.arn === arn);
    if (key) streamKeys.push(streamKeyToWire(key));
    else errors.push({ arn, code: 'ResourceNotFoundException', message: `Stream key not found: ${arn}` });
  }
  return { streamKeys, errors };
}

export function listStreamKeys(ctx: HandlerContext, input: ListStreamKeysRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  const keys = ctx.store.resources.streamKeys.filter((k) => k.channelArn === channel.arn);
  // Default maxResults is 1 for this operation (the model says so; the paginator copes).
  const page = paginate(keys, (k) => k.arn, {
    operation: 'ListStreamKeys',
    filters: { channelArn: channel.arn },
    nextToken: input.nextToken,
    maxResults: input.maxResults ?? 1,
  });
  return { streamKeys: page.items.map(streamKeySummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function deleteStreamKey(ctx: HandlerContext, input: DeleteStreamKeyRequest): HandlerResult {
  const key = requireKey(ctx, input.arn!);
  ctx.store.commit((draft) => {
    draft.streamKeys = draft.streamKeys.filter((k) => k.arn !== key.arn);
  });
  return undefined;
}
