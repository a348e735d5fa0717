/** User settings. Snapshot: settings:get; event: settings:changed (from any window or tablet). */
import type { Settings, SettingsPatch } from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

export interface SettingsSlice {
  settings: Settings | undefined;
  loadSettings(): Promise<void>;
  /** Resolves true when the engine saved the change; a refusal becomes a notice. */
  updateSettings(patch: SettingsPatch): Promise<boolean>;
}

export const settingsSlice: StudioSliceModule<SettingsSlice> = {
  create: (client) => (set, get) => ({
    settings: undefined,
    async loadSettings() {
      const reply = await client.invoke('settings:get');
      if (reply.ok) set({ settings: reply.value });
      // A remote producer may not read settings; that is not worth a notice.
      else if (reply.error.code !== 'FORBIDDEN') get().reportError(reply.error, 'Reading the settings failed');
    },
    async updateSettings(patch) {
      // Optimistic: a control shows the new value at once; a refusal puts the saved value back.
      const before = get().settings;
      if (before) set({ settings: { ...before, ...patch } });
      const reply = await client.invoke('settings:update', patch);
      if (reply.ok) {
        set({ settings: reply.value });
        return true;
      }
      if (before) set({ settings: before });
      get().reportError(reply.error, 'The settings were not saved');
      return false;
    },
  }),
  bind: (client, store) => client.on('settings:changed', (settings) => store.setState({ settings })),
  load: (store) => store.getState().loadSettings(),
};
