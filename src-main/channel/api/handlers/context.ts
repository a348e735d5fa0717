/** What every operation handler gets: the store, the live runtime (if any), this run's endpoints. */
import type { LiveControl } from '../../runtime';
import type { ChannelStore } from '../../store/channel-store';
import type { ChannelState } from '../../store/state';
import { notFound, validation } from '../ivs-error';
import type { RandomSource } from '../identifiers';
import type { SlidingWindowLimiter } from '../rate-limiter';
import type { WireContext } from '../wire';

export interface HandlerContext {
  store: ChannelStore;
  /** Undefined until the live runtime registers: every channel is then offline. */
  live: LiveControl | undefined;
  wire: WireContext;
  now: () => Date;
  random?: RandomSource;
  limits: { metadataPerChannel: SlidingWindowLimiter; metadataPerAccount: SlidingWindowLimiter };
}

/** A handler's answer: a JSON body, or undefined for 204 operations. */
export type HandlerResult = Record<string, unknown> | undefined;

export function requireChannel(ctx: HandlerContext, arn: string): ChannelState {
  const channel = ctx.store.resources.channels.find((c) => c.arn === arn);
  if (!channel) throw notFound('Channel', arn);
  return channel;
}

export function isLive(ctx: HandlerContext, channelArn: string): boolean {
  return ctx.live?.liveStream(channelArn) !== undefined;
}

/** Tag rules beyond the model's patterns: the `aws:` prefix is reserved (AWS tagging convention). */
export function checkTags(tags: Record<string, string> | undefined): Record<string, string> {
  if (!tags) return {};
  for (const key of Object.keys(tags)) {
    if (key.toLowerCase().startsWith('aws:')) throw validation(`Tag key '${key}' uses the reserved prefix 'aws:'.`);
  }
  return { ...tags };
}

export const MAX_TAGS = 50;

export function iso(date: Date): string {
  // RFC 3339 with second precision, as IVS returns (`2023-06-26T19:09:28Z`); the SDK parses it to a Date.
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
