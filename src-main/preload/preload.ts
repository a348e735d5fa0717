/**
 * The preload of the sandboxed studio window: exposes exactly one object, `window.studio`
 * (a StudioClient), through contextBridge. Only contract channels pass (the allow-lists in
 * contract/studio-api.ts); main checks them again. `on()` returns an unsubscribe and hands the
 * listener the payload only, never Electron's IpcRendererEvent (which would leak `sender`).
 *
 * A sandboxed preload can require only a few built-ins, so this file is bundled (with the contract's
 * allow-lists inlined) into dist/preload/preload.js by vite.preload.config.ts.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { errorCatalog } from '../contract/errors';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../contract/ipc-wire';
import { isEventChannel, isRequestChannel, type StudioClient } from '../contract/studio-api';

const listeners = new Map<string, Set<(payload: unknown) => void>>();

ipcRenderer.on(IPC_EVENT_CHANNEL, (_event, name: unknown, payload: unknown) => {
  if (!isEventChannel(name)) return;
  for (const listener of [...(listeners.get(name) ?? [])]) {
    try {
      listener(payload);
    } catch (error) {
      console.error(error);
    }
  }
});

const studioBridge: StudioClient = {
  invoke(channel, ...args) {
    if (!isRequestChannel(channel)) {
      const entry = errorCatalog.UNKNOWN_CHANNEL;
      return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: `No such API channel: ${String(channel).slice(0, 80)}`, fatal: entry.fatal } });
    }
    return ipcRenderer.invoke(IPC_INVOKE_CHANNEL, channel, args);
  },
  on(event, listener) {
    if (!isEventChannel(event)) throw new Error(`studio.on: "${String(event).slice(0, 80)}" is not an API event`);
    if (typeof listener !== 'function') throw new Error('studio.on: the listener must be a function');
    let set = listeners.get(event);
    if (!set) listeners.set(event, (set = new Set()));
    const wrapped = listener as (payload: unknown) => void;
    set.add(wrapped);
    return () => void set.delete(wrapped);
  },
};

contextBridge.exposeInMainWorld('studio', studioBridge);
