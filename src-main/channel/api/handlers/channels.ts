/** CreateChannel, GetChannel, BatchGetChannel, ListChannels, UpdateChannel, DeleteChannel. */
import type {
  BatchGetChannelRequest,
  CreateChannelRequest,
  DeleteChannelRequest,
  GetChannelRequest,
  ListChannelsRequest,
  UpdateChannelRequest,
} from '@aws-sdk/client-ivs';
import { buildArn, newResourceId, newStreamKeyValue } from '../identifiers';
import { conflict, IvsError, notFound, validation } from '../ivs-error';
import { paginate } from '../pagination';
import { defaultChannelSettings, type ChannelSettings } from '../../store/channel-defaults';
import type { ChannelState, StreamKeyState } from '../../store/state';
import { channelSummaryToWire, channelToWire, streamKeyToWire } from '../wire';
import { checkTags, isLive, iso, requireChannel, type HandlerContext, type HandlerResult } from './context';

/**
 * Applies a Create/UpdateChannel request to `base` with IVS's rules: preset only for ADVANCED types
 * (default HIGHER_BANDWIDTH_DELIVERY there, "" elsewhere); multitrack only on STANDARD with
 * FRAGMENTED_MP4 and an explicit policy and maximum resolution; referenced resources must exist.
 */
export function resolveChannelSettings(ctx: HandlerContext, base: ChannelSettings, input: CreateChannelRequest | UpdateChannelRequest): ChannelSettings {
  const next: ChannelSettings = { ...base, multitrackInputConfiguration: { ...base.multitrackInputConfiguration } };
  if (input.name !== undefined) next.name = input.name;
  if (input.latencyMode !== undefined) next.latencyMode = input.latencyMode;
  if (input.type !== undefined) next.type = input.type;
  if (input.authorized !== undefined) next.authorized = input.authorized;
  if (input.insecureIngest !== undefined) next.insecureIngest = input.insecureIngest;
  if (input.containerFormat !== undefined) next.containerFormat = input.containerFormat;

  const advanced = next.type === 'ADVANCED_SD' || next.type === 'ADVANCED_HD';
  if (input.preset !== undefined) {
    if (!advanced) throw validation(`preset can be set only for ADVANCED_SD and ADVANCED_HD channels, not ${next.type}.`);
    next.preset = input.preset;
  } else {
    next.preset = advanced ? next.preset || 'HIGHER_BANDWIDTH_DELIVERY' : '';
  }

  const mt = input.multitrackInputConfiguration;
  if (mt) {
    if (mt.enabled === true && (mt.policy === undefined || mt.maximumResolution === undefined)) {
      throw validation('multitrackInputConfiguration.policy and maximumResolution are required when multitrack input is enabled.');
    }
    if (mt.enabled !== undefined) next.multitrackInputConfiguration.enabled = mt.enabled;
    if (mt.policy !== undefined) next.multitrackInputConfiguration.policy = mt.policy;
    if (mt.maximumResolution !== undefined) next.multitrackInputConfiguration.maximumResolution = mt.maximumResolution;
  }
  if (next.multitrackInputConfiguration.enabled) {
    if (next.type !== 'STANDARD') throw validation(`Multitrack input can be enabled only for STANDARD channels, not ${next.type}.`);
    if (next.containerFormat !== 'FRAGMENTED_MP4') throw validation('Multitrack input requires containerFormat FRAGMENTED_MP4.');
  }

  if (input.recordingConfigurationArn !== undefined) {
    if (input.recordingConfigurationArn && !ctx.store.resources.recordingConfigurations.some((r) => r.arn === input.recordingConfigurationArn)) {
      throw notFound('Recording configuration', input.recordingConfigurationArn);
    }
    next.recordingConfigurationArn = input.recordingConfigurationArn;
  }
  if (input.playbackRestrictionPolicyArn !== undefined) {
    if (input.playbackRestrictionPolicyArn) {
      throw new IvsError('ResourceNotFoundException', `Playback restriction policy not found: ${input.playbackRestrictionPolicyArn} (the local channel does not emulate playback restriction policies).`);
    }
    next.playbackRestrictionPolicyArn = '';
  }
  if (input.adConfigurationArn !== undefined) {
    if (input.adConfigurationArn) {
      throw new IvsError('ResourceNotFoundException', `Ad configuration not found: ${input.adConfigurationArn} (the local channel does not emulate ad configurations).`);
    }
    next.adConfigurationArn = '';
  }
  return next;
}

/** Builds a channel and its stream key (not yet stored). Also used to seed the default channel. */
export function newChannelWithKey(ctx: HandlerContext, settings: ChannelSettings, tags: Record<string, string>): { channel: ChannelState; key: StreamKeyState } {
  const { region, accountId } = ctx.wire;
  const createdAt = iso(ctx.now());
  const id = newResourceId(ctx.random);
  const channel: ChannelState = { ...settings, id, arn: buildArn(region, accountId, 'channel', id), tags, createdAt };
  const keyId = newResourceId(ctx.random);
  const key: StreamKeyState = {
    id: keyId,
    arn: buildArn(region, accountId, 'stream-key', keyId),
    value: newStreamKeyValue(region, ctx.random),
    channelArn: channel.arn,
    tags: {},
    createdAt,
  };
  return { channel, key };
}

export function createChannel(ctx: HandlerContext, input: CreateChannelRequest): HandlerResult {
  const settings = resolveChannelSettings(ctx, defaultChannelSettings(), input);
  const tags = checkTags(input.tags);
  const { channel, key } = newChannelWithKey(ctx, settings, tags);
  ctx.store.commit((draft) => {
    draft.channels.push(channel);
    draft.streamKeys.push(key);
  });
  return { channel: channelToWire(channel, ctx.wire), streamKey: streamKeyToWire(key) };
}

export function getChannel(ctx: HandlerContext, input: GetChannelRequest): HandlerResult {
  return { channel: channelToWire(requireChannel(ctx, input.arn!), ctx.wire) };
}

export function batchGetChannel(ctx: HandlerContext, input: BatchGetChannelRequest): HandlerResult {
  const channels: Record<string, unknown>[] = [];
  const errors: Record<string, unknown>[] = [];
  for (const arn of new Set(input.arns)) {
    const channel = ctx.store.resources.channels.find((c) => c.arn === arn);
    if (channel) channels.push(channelToWire(channel, ctx.wire));
    else errors.push({ arn, code: 'ResourceNotFoundException', message: `Channel not found: ${arn}` });
  }
  return { channels, errors };
}

export function listChannels(ctx: HandlerContext, input: ListChannelsRequest): HandlerResult {
  const filters = {
    filterByName: input.filterByName,
    filterByRecordingConfigurationArn: input.filterByRecordingConfigurationArn,
    filterByPlaybackRestrictionPolicyArn: input.filterByPlaybackRestrictionPolicyArn,
    filterByAdConfigurationArn: input.filterByAdConfigurationArn,
  };
  const used = Object.entries(filters).filter(([, v]) => v !== undefined);
  if (used.length > 1) {
    throw conflict(`ListChannels takes at most one filter; got ${used.map(([k]) => k).join(' and ')}.`);
  }
  const matches = ctx.store.resources.channels.filter(
    (c) =>
      (filters.filterByName === undefined || c.name === filters.filterByName) &&
      (filters.filterByRecordingConfigurationArn === undefined || c.recordingConfigurationArn === filters.filterByRecordingConfigurationArn) &&
      (filters.filterByPlaybackRestrictionPolicyArn === undefined || c.playbackRestrictionPolicyArn === filters.filterByPlaybackRestrictionPolicyArn) &&
      (filters.filterByAdConfigurationArn === undefined || c.adConfigurationArn === filters.filterByAdConfigurationArn),
  );
  const page = paginate(matches, (c) => c.arn, { operation: 'ListChannels', filters, nextToken: input.nextToken, maxResults: input.maxResults ?? 100 });
  return { channels: page.items.map(channelSummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export function updateChannel(ctx: HandlerContext, input: UpdateChannelRequest): HandlerResult {
  const existing = requireChannel(ctx, input.arn!);
  if (isLive(ctx, existing.arn)) {
    throw conflict(`Channel ${existing.arn} is live and cannot be updated; stop the stream, update the channel, then restart it.`);
  }
  const { id, arn, tags, createdAt, ...base } = existing;
  const settings = resolveChannelSettings(ctx, base, input);
  const updated: ChannelState = { ...settings, id, arn, tags, createdAt };
  ctx.store.commit((draft) => {
    draft.channels = draft.channels.map((c) => (c.arn === arn ? updated : c));
  });
  return { channel: channelToWire(updated, ctx.wire) };
}

export function deleteChannel(ctx: HandlerContext, input: DeleteChannelRequest): HandlerResult {
  const channel = requireChannel(ctx, input.arn!);
  if (isLive(ctx, channel.arn)) {
    throw conflict(`Channel ${channel.arn} is live and cannot be deleted; call StopStream and wait for the stream to end first.`);
  }
  ctx.store.commit((draft) => {
    draft.channels = draft.channels.filter((c) => c.arn !== channel.arn);
    draft.streamKeys = draft.streamKeys.filter((k) => k.channelArn !== channel.arn);
  });
  if (ctx.store.sessions.some((s) => s.channelArn === channel.arn)) {
    ctx.store.commitSessions((draft) => {
      draft.sessions = draft.sessions.filter((s) => s.channelArn !== channel.arn);
    });
  }
  ctx.limits.metadataPerChannel.forget(channel.arn);
  return undefined;
}
