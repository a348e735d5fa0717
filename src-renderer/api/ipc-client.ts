/**
 * The Electron transport: `window.studio`, which the preload exposes with allow-listed channels.
 * IPC cannot drop while the window lives, so the status is always open with full rights.
 */
import { eventChannels, type EventChannel, type StudioClient, type StudioEvents } from '@contract/studio-api';
import { ListenerSet, type ConnectionStatus, type StudioConnection } from './studio-connection';

export function createIpcConnection(bridge: StudioClient): StudioConnection {
  const anyListeners = new ListenerSet<[EventChannel, StudioEvents[EventChannel]]>();
  const status: ConnectionStatus = { state: 'open', rights: 'full' };
  // One bridge subscription per contract event feeds onAnyEvent (the test hook's recorder).
  const unsubscribers = (Object.keys(eventChannels) as EventChannel[]).map((event) =>
    bridge.on(event, (payload) => anyListeners.fire(event, payload as StudioEvents[EventChannel])),
  );
  return {
    kind: 'ipc',
    status: () => status,
    onStatus: () => () => undefined,
    onAnyEvent: (listener) => anyListeners.add(listener),
    invoke: (channel, ...args) => bridge.invoke(channel, ...args),
    on: (event, listener) => bridge.on(event, listener),
    dispose() {
      for (const unsubscribe of unsubscribers) unsubscribe();
      anyListeners.clear();
    },
  };
}
