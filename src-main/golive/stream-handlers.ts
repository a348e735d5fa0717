/**
 * The `stream:*` API: start/stop/get-state/reconnect-now, and the state and per-second stats events.
 * Arguments are re-validated here whatever the renderer checked; a stream key that arrives for a custom
 * target is registered for redaction before anything else can log it.
 */
import { z } from 'zod';
import type { StreamRequests, StreamStartRequest } from '../contract/domains/stream';
import type { Disposable } from '../core/disposable';
import { registerSecret } from '../core/redact';
import type { ApiRouter, HandlerMap } from '../engine/api-router';
import { noArgs } from '../engine/api-router';
import type { GoLiveService } from './go-live';

const channelArn = z.string().min(1).max(256).regex(/^arn:[a-z-]+:ivs:[a-z0-9-]+:[0-9]+:channel\/[A-Za-z0-9-]+$/, 'not an IVS channel ARN');

const target = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('selected') }).strict(),
  z.object({ kind: z.literal('local-channel') }).strict(),
  z.object({ kind: z.literal('ivs-channel'), channelArn }).strict(),
  z
    .object({
      kind: z.literal('custom'),
      ingestUrl: z.string().min(1).max(2048).regex(/^rtmps?:\/\//i, 'must start with rtmp:// or rtmps://'),
      streamKey: z.string().min(1).max(1024),
      caPem: z.string().max(65_536).regex(/-----BEGIN CERTIFICATE-----/, 'must be a PEM certificate').optional(),
    })
    .strict(),
]);

const startRequest = z
  .object({
    target,
    recordPath: z.string().min(1).max(4096).optional(),
  })
  .strict();

/** Registers the key before zod (whose error messages could echo the value) sees the request. */
const startArgs = z.preprocess((args) => {
  const first = Array.isArray(args) ? (args[0] as { target?: { streamKey?: unknown } } | undefined) : undefined;
  if (typeof first?.target?.streamKey === 'string') registerSecret(first.target.streamKey);
  return args;
}, z.tuple([startRequest])) as unknown as z.ZodType<[StreamStartRequest]>;

export function streamHandlers(goLive: GoLiveService): HandlerMap<keyof StreamRequests> {
  return {
    'stream:start': { args: startArgs, handle: (_ctx, request) => goLive.start(request) },
    'stream:stop': { args: noArgs, handle: () => goLive.stop() },
    'stream:get-state': { args: noArgs, rights: 'cues', handle: () => goLive.snapshot() },
    'stream:reconnect-now': { args: noArgs, handle: () => goLive.reconnectNow() },
  };
}

/** Registers the handlers and forwards state and stats to every transport. */
export function registerStream(router: ApiRouter, goLive: GoLiveService): Disposable[] {
  router.register(streamHandlers(goLive));
  return [goLive.onStateChange((snapshot) => router.emit('stream:state-changed', snapshot)), goLive.onStats((stats) => router.emit('output:stats', stats))];
}
