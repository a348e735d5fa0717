/**
 * The renderer's view of the engine: the contract's StudioClient (invoke + on) plus the state of the
 * link itself. Two implementations: Electron IPC (`window.studio`) and the WebSocket (browser mode,
 * remote producer). The store and the panes only ever see this interface.
 */
import type { ClientRights, EventChannel, StudioClient, StudioErrorPayload, StudioEvents } from '@contract/studio-api';

export type ConnectionStatus =
  | { state: 'connecting'; attempt: number }
  | { state: 'open'; rights: ClientRights }
  /** Lost; a retry is scheduled. */
  | { state: 'closed'; retryInMs: number; error?: StudioErrorPayload }
  /** The engine refused this page (no or wrong token, foreign origin): retrying cannot help. */
  | { state: 'refused'; error: StudioErrorPayload };

export interface StudioConnection extends StudioClient {
  readonly kind: 'ipc' | 'ws';
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): () => void;
  /** Every event, whatever its channel (the test hook records them). */
  onAnyEvent(listener: (event: EventChannel, payload: StudioEvents[EventChannel]) => void): () => void;
  dispose(): void;
}

/** A small listener set whose `add` returns its own unsubscribe. */
export class ListenerSet<T extends unknown[]> {
  private readonly listeners = new Set<(...args: T) => void>();

  add(listener: (...args: T) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  fire(...args: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch (error) {
        // One faulty pane must not starve the others of events.
        console.error(error);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }

  clear(): void {
    this.listeners.clear();
  }
}
