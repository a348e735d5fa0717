/** App-wide facts: version, mode, what the ffmpeg binary can do, where data lives. */
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

export type AppRequests = {
  'app:get-info': () => AppInfo;
};

export type AppEvents = {
  'app:notice': { level: 'info' | 'warning' | 'error'; message: string };
};

export const appRequestChannels = { 'app:get-info': true } as const satisfies Record<keyof AppRequests, true>;
export const appEventChannels = { 'app:notice': true } as const satisfies Record<keyof AppEvents, true>;
