/**
 * A StudioConnection for store-slice tests: open, full rights, events fired by the test through `emit`,
 * requests recorded and answered by the subclass's `answer` (unanswered → NOT_IMPLEMENTED).
 */
import type { EventChannel, RequestChannel, StudioEvents } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { ListenerSet, type ConnectionStatus, type StudioConnection } from '../../src-renderer/api/studio-connection';

export abstract class FakeStudioConnection implements StudioConnection {
  readonly kind = 'ws' as const;
  readonly requests: Array<[string, unknown[]]> = [];
  private readonly listeners = new Map<string, ListenerSet<[unknown]>>();
  private readonly statusListeners = new ListenerSet<[ConnectionStatus]>();
  status = (): ConnectionStatus => ({ state: 'open', rights: 'full' });
  onStatus = (l: (s: ConnectionStatus) => void) => this.statusListeners.add(l);
  onAnyEvent = () => () => undefined;
  dispose = () => undefined;

  protected abstract answer(channel: RequestChannel, args: unknown[]): Reply<unknown> | undefined | Promise<Reply<unknown> | undefined>;

  async invoke(channel: RequestChannel, ...args: unknown[]): Promise<Reply<never>> {
    this.requests.push([channel, args]);
    const reply = await this.answer(channel, args);
    return (reply ?? { ok: false, error: { code: 'NOT_IMPLEMENTED', message: channel, fatal: false } }) as Reply<never>;
  }

  on<E extends EventChannel>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new ListenerSet()));
    return set.add(listener as (p: unknown) => void);
  }

  emit<E extends EventChannel>(event: E, payload: StudioEvents[E]): void {
    this.listeners.get(event)?.fire(payload);
  }
}
