/**
 * The renderer's one zustand store, made of slices (zustand's slices pattern) and created per app
 * with its connection (`createStudioStore(connection)`), never a module singleton: tests build a
 * fresh store around a fake connection, and two windows never share state by accident.
 *
 * Each slice module brings its state creator, its event subscriptions and its snapshot loader; the
 * store runs every loader on each (re)connect, so a late window or a reconnecting tablet never
 * misses state. Adding a domain: write `slices/<domain>-slice.ts`, then add it to `StudioState`
 * and to `sliceModules` below (additive edits).
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StateCreator, type StoreApi } from 'zustand/vanilla';
import type { StudioConnection } from '../api/studio-connection';
import { recordStudioEvent } from '../test-hook/studio-test-hook';
import { appSlice, type AppSlice } from './slices/app-slice';
import { settingsSlice, type SettingsSlice } from './slices/settings-slice';
import { channelSlice, type ChannelSlice } from './slices/channel-slice';
import { streamSlice, type StreamSlice } from './slices/stream-slice';
import { monitorSlice, type MonitorSlice } from './slices/monitor-slice';
import { cuesSlice, type CuesSlice } from './slices/cues-slice';
import { scenesSlice, type ScenesSlice } from './slices/scenes-slice';

export type StudioState = AppSlice & SettingsSlice & ChannelSlice & StreamSlice & CuesSlice & ScenesSlice & MonitorSlice;

export interface StudioSliceModule<S> {
  create: (connection: StudioConnection) => StateCreator<StudioState, [], [], S>;
  /** Subscribes to the slice's events; returns the unsubscribe. */
  bind?: (connection: StudioConnection, store: StoreApi<StudioState>) => () => void;
  /** Fetches the slice's snapshot; runs on every (re)connect. */
  load?: (store: StoreApi<StudioState>) => Promise<void>;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- a heterogeneous list of slice modules */
const sliceModules: StudioSliceModule<any>[] = [appSlice, settingsSlice, channelSlice, streamSlice, cuesSlice, scenesSlice, monitorSlice];
/* eslint-enable @typescript-eslint/no-explicit-any */

const highRateEvents: ReadonlySet<string> = new Set(['monitor:program-frame', 'monitor:audio-levels']);

export interface StudioStore extends StoreApi<StudioState> {
  readonly connection: StudioConnection;
  /** Resolves after the first complete set of snapshots. */
  readonly ready: Promise<void>;
  dispose(): void;
}

export function createStudioStore(connection: StudioConnection): StudioStore {
  const store = createStore<StudioState>()((...a) => Object.assign({}, ...sliceModules.map((m) => m.create(connection)(...a))) as StudioState);
  const unsubscribers = sliceModules.flatMap((m) => (m.bind ? [m.bind(connection, store)] : []));
  // Program monitor frames and audio levels arrive 10–15 times a second: recording them would push
  // every other event out of the test hook's history.
  unsubscribers.push(connection.onAnyEvent((event, payload) => !highRateEvents.has(event) && recordStudioEvent(event, payload)));

  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let loads = 0;
  const loadSnapshots = async () => {
    const generation = ++loads;
    // One domain failing to load must not keep the others (or 'ready') waiting.
    const results = await Promise.allSettled(sliceModules.map((m) => m.load?.(store)));
    for (const result of results) if (result.status === 'rejected') console.error('loading a snapshot failed', result.reason);
    recordStudioEvent('ui:snapshots-loaded', { generation });
    markReady();
  };
  unsubscribers.push(
    connection.onStatus((status) => {
      recordStudioEvent('ui:connection', { state: status.state });
      if (status.state === 'open') void loadSnapshots();
    }),
  );
  if (connection.status().state === 'open') void loadSnapshots();

  return Object.assign(store, {
    connection,
    ready,
    dispose() {
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      connection.dispose();
    },
  });
}

export const StudioStoreContext = createContext<StudioStore | null>(null);

export function useStudioStore(): StudioStore {
  const store = useContext(StudioStoreContext);
  if (!store) throw new Error('useStudioStore outside <StudioStoreContext.Provider>');
  return store;
}

/** Narrow selectors, as zustand recommends: `useStudio((s) => s.settings?.theme)`. */
export function useStudio<T>(selector: (state: StudioState) => T): T {
  return useStore(useStudioStore(), selector);
}
