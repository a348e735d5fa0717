import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SettingsService, defaultSettings } from '../settings/settings-service';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-docs-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('JsonDocument via SettingsService', () => {
  it('starts from defaults and persists atomically', () => {
    const service = new SettingsService(dir);
    expect(service.get()).toEqual(defaultSettings());
    service.update({ theme: 'dark' });
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'settings.json'), 'utf8')).theme).toBe('dark');
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(new SettingsService(dir).get().theme).toBe('dark');
  });

  it.each([
    ['truncated JSON', '{"theme": "dark", "ffmpe', /not valid JSON/],
    ['wrong type', '{"theme": "purple", "ffmpegPath": "", "remoteAccess": false}', /theme/],
  ])('a corrupt file (%s) is moved aside with its bytes kept and a clear error', (_name, bytes, problem) => {
    fs.writeFileSync(path.join(dir, 'settings.json'), bytes);
    const service = new SettingsService(dir);
    expect(service.get()).toEqual(defaultSettings());
    expect(service.loadError?.code).toBe('SETTINGS_CORRUPT');
    expect(service.loadError?.message).toMatch(/settings\.json/);
    expect(service.loadError?.message).toMatch(problem);
    const aside = fs.readdirSync(dir).find((f) => f.startsWith('settings.corrupt-'));
    expect(aside).toBeDefined();
    expect(fs.readFileSync(path.join(dir, aside!), 'utf8')).toBe(bytes);
    expect(service.loadError?.action).toContain(aside!);
  });

  it('refuses to save an invalid document', () => {
    const service = new SettingsService(dir);
    expect(() => service.update({ theme: 'neon' } as never)).toThrow();
    expect(fs.existsSync(path.join(dir, 'settings.json'))).toBe(false);
  });
});
