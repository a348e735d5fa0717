/** User settings, persisted as one JSON document in the data dir. Secrets never live here. */
export type Theme = 'dark' | 'light' | 'system';

export interface Settings {
  theme: Theme;
  /** Explicit ffmpeg binary; empty means resolve (FFMPEG_PATH, bundled, PATH). */
  ffmpegPath: string;
  /** Allow the WebSocket API on all interfaces (remote producer). Off by default. */
  remoteAccess: boolean;
  /**
   * The desktop app's first-run guide was finished or skipped. Absent until then (and in documents
   * written before the guide existed), so older settings files stay valid.
   */
  firstRunCompleted?: boolean;
}

export type SettingsPatch = Partial<Settings>;

export type SettingsRequests = {
  'settings:get': () => Settings;
  'settings:update': (patch: SettingsPatch) => Settings;
};

export type SettingsEvents = {
  'settings:changed': Settings;
};

export const settingsRequestChannels = { 'settings:get': true, 'settings:update': true } as const satisfies Record<keyof SettingsRequests, true>;
export const settingsEventChannels = { 'settings:changed': true } as const satisfies Record<keyof SettingsEvents, true>;
