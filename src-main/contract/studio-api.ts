/**
 * The studio API: one typed contract served over Electron IPC and over the WebSocket.
 * Type-only, plus the runtime allow-lists that both transports check before dispatching.
 *
 * Adding a domain: write `domains/<name>.ts` with `<Name>Requests`, `<Name>Events` and their
 * allow-lists, then add it to the four intersections below. Every stateful domain has a snapshot
 * request (`x:get-state`) and a change event (`x:state-changed`), so a late window never misses state.
 */
import {
  accountsEventChannels,
  accountsRequestChannels,
  type AccountsEvents,
  type AccountsRequests,
} from './domains/accounts';
import { appEventChannels, appRequestChannels, type AppEvents, type AppRequests } from './domains/app';
import {
  settingsEventChannels,
  settingsRequestChannels,
  type SettingsEvents,
  type SettingsRequests,
} from './domains/settings';
import { streamEventChannels, streamRequestChannels, type StreamEvents, type StreamRequests } from './domains/stream';
import { scenesEventChannels, scenesRequestChannels, type ScenesEvents, type ScenesRequests } from './domains/scenes';
import { programEventChannels, programRequestChannels, type ProgramEvents, type ProgramRequests } from './domains/program';
import { monitorEventChannels, monitorRequestChannels, type MonitorEvents, type MonitorRequests } from './domains/monitor';
import { cuesEventChannels, cuesRequestChannels, type CuesEvents, type CuesRequests } from './domains/cues';

export type StudioRequests = AppRequests & SettingsRequests & AccountsRequests & StreamRequests & CuesRequests & MonitorRequests & ScenesRequests & ProgramRequests;
export type StudioEvents = AppEvents & SettingsEvents & AccountsEvents & StreamEvents & CuesEvents & MonitorEvents & ScenesEvents & ProgramEvents;

export const requestChannels: Record<keyof StudioRequests, true> = {
  ...appRequestChannels,
  ...settingsRequestChannels,
  ...accountsRequestChannels,
  ...streamRequestChannels,
  ...scenesRequestChannels,
  ...programRequestChannels,
  ...monitorRequestChannels,
  ...cuesRequestChannels,
};

export const eventChannels: Record<keyof StudioEvents, true> = {
  ...appEventChannels,
  ...settingsEventChannels,
  ...accountsEventChannels,
  ...streamEventChannels,
  ...scenesEventChannels,
  ...programEventChannels,
  ...monitorEventChannels,
  ...cuesEventChannels,
};

export type RequestChannel = keyof StudioRequests;
export type EventChannel = keyof StudioEvents;
export type RequestArgs<C extends RequestChannel> = Parameters<StudioRequests[C]>;
export type RequestResult<C extends RequestChannel> = ReturnType<StudioRequests[C]>;

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestChannels, name);
}

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(eventChannels, name);
}

/** What the renderer sees as `window.studio` (Electron) or gets from the WebSocket client. */
export interface StudioClient {
  invoke<C extends RequestChannel>(channel: C, ...args: RequestArgs<C>): Promise<import('./reply').Reply<RequestResult<C>>>;
  on<E extends EventChannel>(event: E, listener: (payload: StudioEvents[E]) => void): () => void;
}

export * from './errors';
export * from './reply';
export type * from './domains/app';
export type * from './domains/settings';
export type * from './domains/accounts';
export type * from './domains/stream';
export type * from './domains/scenes';
export type * from './domains/program';
export type * from './domains/monitor';
export type * from './domains/cues';
export { CUE_PAYLOAD_LIMIT_BYTES } from './domains/cues';
