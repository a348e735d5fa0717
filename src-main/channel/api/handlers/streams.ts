/** GetStream, ListStreams, StopStream, PutMetadata, GetStreamSession, ListStreamSessions. */
import type {
  GetStreamRequest,
  GetStreamSessionRequest,
  ListStreamSessionsRequest,
  ListStreamsRequest,
  PutMetadataRequest,
  StopStreamRequest,
} from '@aws-sdk/client-ivs';
import { IvsError, notBroadcasting } from '../ivs-error';
import { paginate } from '../pagination';
import type { SessionState } from '../../store/state';
import { sessionSummaryToWire, sessionToWire, streamSummaryToWire, streamToWire } from '../wire';
import { requireChannel, type HandlerContext, type HandlerResult } from './context';

export function getStream(ctx: HandlerContext, input: GetStreamRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  const stream = ctx.live?.liveStream(channel.arn);
  if (!stream) throw notBroadcasting(channel.arn);
  return { stream: streamToWire(stream, channel.id, ctx.wire) };
}

export function listStreams(ctx: HandlerContext, input: ListStreamsRequest): HandlerResult {
  const health = input.filterBy?.health;
  const known = new Set(ctx.store.resources.channels.map((c) => c.arn));
  const streams = (ctx.live?.liveStreams() ?? []).filter((s) => known.has(s.channelArn) && (health === undefined || s.health === health));
  const page = paginate(streams, (s) => s.channelArn, {
    operation: 'ListStreams',
    filters: { health },
    nextToken: input.nextToken,
    maxResults: input.maxResults ?? 100,
  });
  return { streams: page.items.map(streamSummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}

export async function stopStream(ctx: HandlerContext, input: StopStreamRequest): Promise<HandlerResult> {
  const channel = requireChannel(ctx, input.channelArn!);
  const live = ctx.live;
  if (!live?.liveStream(channel.arn)) throw notBroadcasting(channel.arn);
  try {
    await live.stopStream(channel.arn);
  } catch {
    throw new IvsError('StreamUnavailable', `The stream on ${channel.arn} could not be stopped right now; try again.`);
  }
  return {};
}

/**
 * Size (≤1 KB) is checked by the input shape. Then the rate: 5 calls/s per channel and 155/s per
 * account, counted like IVS's front door (before the live check, so a client flooding an offline
 * channel is throttled too). Then the channel must be live.
 */
export function putMetadata(ctx: HandlerContext, input: PutMetadataRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  if (!ctx.limits.metadataPerChannel.tryAcquire(channel.arn)) {
    throw new IvsError('ThrottlingException', `PutMetadata is limited to 5 calls per second per channel (${channel.arn}).`);
  }
  if (!ctx.limits.metadataPerAccount.tryAcquire('account')) {
    ctx.limits.metadataPerChannel.release(channel.arn);
    throw new IvsError('ThrottlingException', 'PutMetadata is limited to 155 calls per second per account.');
  }
  const live = ctx.live;
  if (!live?.liveStream(channel.arn)) throw notBroadcasting(channel.arn);
  live.putMetadata(channel.arn, input.metadata!);
  return undefined;
}

function sessionsOf(ctx: HandlerContext, channelArn: string): SessionState[] {
  return ctx.store.sessions.filter((s) => s.channelArn === channelArn);
}

/** Newest first: the key sorts descending by start time, then by stream id. */
function newestFirstKey(s: SessionState): string {
  const inverted = Number.MAX_SAFE_INTEGER - Date.parse(s.startTime);
  return `${String(inverted).padStart(16, '0')}|${s.streamId}`;
}

export function getStreamSession(ctx: HandlerContext, input: GetStreamSessionRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  const sessions = sessionsOf(ctx, channel.arn);
  const session = input.streamId
    ? sessions.find((s) => s.streamId === input.streamId)
    : [...sessions].sort((a, b) => (newestFirstKey(a) < newestFirstKey(b) ? -1 : 1))[0];
  if (!session) {
    throw new IvsError(
      'ResourceNotFoundException',
      input.streamId ? `Stream session ${input.streamId} not found on channel ${channel.arn}` : `Channel ${channel.arn} has no stream sessions yet`,
    );
  }
  return { streamSession: sessionToWire(session, ctx.wire) };
}

export function listStreamSessions(ctx: HandlerContext, input: ListStreamSessionsRequest): HandlerResult {
  const channel = requireChannel(ctx, input.channelArn!);
  const page = paginate(sessionsOf(ctx, channel.arn), newestFirstKey, {
    operation: 'ListStreamSessions',
    filters: { channelArn: channel.arn },
    nextToken: input.nextToken,
    maxResults: input.maxResults ?? 100,
  });
  return { streamSessions: page.items.map(sessionSummaryToWire), ...(page.nextToken ? { nextToken: page.nextToken } : {}) };
}
