import * as path from 'node:path';
import { z } from 'zod';
import type { Settings, SettingsPatch } from '../contract/domains/settings';
import { JsonDocument, corruptDocumentError } from '../core/documents';
import { Emitter } from '../core/emitter';
import type { StudioError } from '../core/studio-error';

export const settingsSchema: z.ZodType<Settings> = z
  .object({
    theme: z.enum(['dark', 'light', 'system']),
    ffmpegPath: z.string().max(4096),
    remoteAccess: z.boolean(),
    firstRunCompleted: z.boolean().optional(),
  })
  .strict();

const settingsPatchSchema = z
  .object({
    theme: z.enum(['dark', 'light', 'system']).optional(),
    ffmpegPath: z.string().max(4096).optional(),
    remoteAccess: z.boolean().optional(),
    firstRunCompleted: z.boolean().optional(),
  })
  .strict();

export const defaultSettings = (): Settings => ({ theme: 'system', ffmpegPath: '', remoteAccess: false });

/** Settings document in the data dir; a corrupt file is kept aside and reported through `loadError`. */
export class SettingsService {
  private readonly document: JsonDocument<Settings>;
  private current: Settings;
  private readonly changed = new Emitter<Settings>();
  readonly onDidChange = this.changed.event;
  /** The corrupt-file error from start-up, shown to the user once the UI connects. */
  readonly loadError?: StudioError;

  constructor(dataDir: string) {
    this.document = new JsonDocument(path.join(dataDir, 'settings.json'), settingsSchema, defaultSettings);
    const loaded = this.document.load();
    this.current = loaded.value;
    if (loaded.recovered) this.loadError = corruptDocumentError(this.document.file, loaded.recovered);
  }

  get(): Settings {
    return { ...this.current };
  }

  update(patch: SettingsPatch): Settings {
    const next = { ...this.current, ...settingsPatchSchema.parse(patch) };
    this.document.save(next);
    this.current = next;
    this.changed.fire(this.get());
    return this.get();
  }

  static readonly patchSchema = settingsPatchSchema;
}
