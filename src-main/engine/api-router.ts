import { z } from 'zod';
import {
  isRequestChannel,
  type ClientRights,
  type EventChannel,
  type Reply,
  type RequestChannel,
  type StudioEvents,
  type StudioRequests,
} from '../contract/studio-api';
import { StudioError, toErrorPayload } from '../core/studio-error';
import { createLogger } from '../core/logger';
import type { Disposable } from '../core/disposable';

const log = createLogger('api');

/** Who is calling: the Electron window, a local browser tab, or a remote producer's tablet. */
export interface CallContext {
  rights: ClientRights;
  transport: 'ipc' | 'ws';
}

type Args<C extends RequestChannel> = Parameters<StudioRequests[C]>;
type Result<C extends RequestChannel> = ReturnType<StudioRequests[C]>;

/**
 * A handler declares the zod schema of its argument tuple: main re-validates every argument that
 * crosses a transport, whatever the renderer claims to have checked.
 */
export interface Handler<C extends RequestChannel> {
  args: z.ZodType<Args<C>>;
  /** Rights needed; 'cues' handlers are open to a remote producer, everything else needs 'full'. */
  rights?: ClientRights;
  handle(ctx: CallContext, ...args: Args<C>): Result<C> | Promise<Result<C>>;
}

export type HandlerMap<C extends RequestChannel> = { [K in C]: Handler<K> };

/** Shorthand for a handler with no arguments. */
export const noArgs = z.tuple([]) as unknown as z.ZodType<[]>;

/** Routes requests to domain handlers and fans events out to every transport. */
export class ApiRouter {
  private readonly handlers = new Map<RequestChannel, Handler<RequestChannel>>();
  private readonly eventListeners = new Set<(event: EventChannel, payload: unknown) => void>();

  register<C extends RequestChannel>(map: HandlerMap<C>): void {
    for (const [channel, handler] of Object.entries(map) as [C, Handler<C>][]) {
      if (this.handlers.has(channel)) throw new Error(`handler for ${channel} registered twice`);
      this.handlers.set(channel, handler as unknown as Handler<RequestChannel>);
    }
  }

  /** Channels in the contract that no domain serves yet (tests assert this list is empty). */
  unhandledChannels(all: readonly RequestChannel[]): RequestChannel[] {
    return all.filter((c) => !this.handlers.has(c));
  }

  async dispatch(ctx: CallContext, channel: unknown, args: unknown): Promise<Reply<unknown>> {
    try {
      if (!isRequestChannel(channel)) {
        throw new StudioError('UNKNOWN_CHANNEL', { message: `No such API channel: ${String(channel).slice(0, 80)}` });
      }
      const handler = this.handlers.get(channel);
      if (!handler) throw new StudioError('NOT_IMPLEMENTED', { message: `${channel} is not available yet.` });
      if ((handler.rights ?? 'full') === 'full' && ctx.rights !== 'full') {
        throw new StudioError('FORBIDDEN', { message: `This connection may not call ${channel}.` });
      }
      const parsed = handler.args.safeParse(args ?? []);
      if (!parsed.success) {
        const problem = parsed.error.issues.map((i) => `${i.path.join('.') || 'args'}: ${i.message}`).join('; ');
        throw new StudioError('BAD_REQUEST', { message: `Invalid arguments for ${channel}: ${problem}` });
      }
      const value = await handler.handle(ctx, ...(parsed.data as unknown as Args<RequestChannel>));
      return { ok: true, value };
    } catch (error) {
      if (!(error instanceof StudioError)) log.error(`request ${String(channel)} failed`, error);
      return { ok: false, error: toErrorPayload(error) };
    }
  }

  emit<E extends EventChannel>(event: E, payload: StudioEvents[E]): void {
    for (const listener of [...this.eventListeners]) listener(event, payload);
  }

  onEvent(listener: (event: EventChannel, payload: unknown) => void): Disposable {
    this.eventListeners.add(listener);
    return { dispose: () => void this.eventListeners.delete(listener) };
  }
}
