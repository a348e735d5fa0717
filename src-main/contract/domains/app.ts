/** App-wide facts: version, mode, what the ffmpeg binary can do, where data lives. */
import type { StudioErrorCode } from '../errors';

export type HostMode = 'electron' | 'browser';

export interface FfmpegCapabilities {
  path: string;
  source: 'setting' | 'env' | 'bundled' | 'path';
  version: string;
  encoders: string[];
  filters: string[];
  protocols: string[];
  devices: string[];
  /** Plain-words list of what is missing and what it costs the user. */
  missing: string[];
}

export interface AppInfo {
  name: string;
  version: string;
  mode: HostMode;
  platform: string;
  dataDir: string;
  ffmpeg: FfmpegCapabilities | { error: string };
  /** Rights of the connection that asked: 'full' locally, 'cues' for a remote producer by default. */
  rights: ClientRights;
}

export type ClientRights = 'full' | 'cues';

/**
 * Something the user should know that is not the answer to a request: a corrupt settings file moved
 * aside, ffmpeg missing a feature, an insecure keychain backend. Post through `engine.notify()`, which
 * fills `id` and `at` and keeps the notice for `app:get-notices` (late windows see it too).
 */
export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  /** Catalog code when the notice reports an error. */
  code?: StudioErrorCode;
  action?: string;
  id?: string;
  /** ISO 8601 time it was posted. */
  at?: string;
}

/** Remote access (producer tablets over the WebSocket API). */
export interface RemoteAccess {
  enabled: boolean;
  /** Links another device can open, access token included: asking for them is a reveal ('full' rights only). */
  urls: string[];
  /** What a remote device may do. */
  remoteRights: ClientRights;
}

export type AppRequests = {
  'app:get-info': () => AppInfo;
  'app:get-notices': () => Notice[];
  'app:get-remote-access': () => RemoteAccess;
};

export type AppEvents = {
  'app:notice': Notice;
  /** No links here: events reach every connection; links are fetched with app:get-remote-access. */
  'app:remote-access-changed': { enabled: boolean };
};

export const appRequestChannels = { 'app:get-info': true, 'app:get-notices': true, 'app:get-remote-access': true } as const satisfies Record<keyof AppRequests, true>;
export const appEventChannels = { 'app:notice': true, 'app:remote-access-changed': true } as const satisfies Record<keyof AppEvents, true>;
