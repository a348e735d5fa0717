/**
 * Auto-update through electron-updater — off unless the build has a publish target.
 *
 * electron-builder writes `app-update.yml` into the app's resources only when electron-builder.yml
 * configures `publish` (it ships with `publish: null`), so that file is the switch: no file, no
 * network call, nothing running. When on, updates download in the background and install when the
 * user quits — never a forced restart, which would cut a live broadcast.
 *
 * The shell calls, once the app is ready:
 *   const updates = startAutoUpdate(planAutoUpdate({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath }),
 *                                   { onNotice: (message) => notify('info', message) });
 * and disposes `updates` on quit. `planAutoUpdate` is pure; electron-updater (which needs Electron)
 * is loaded only inside `startAutoUpdate` when the plan says yes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { toDisposable, type Disposable } from '../core/disposable';
import { createLogger } from '../core/logger';

export type AutoUpdatePlan = { enabled: true; configFile: string } | { enabled: false; reason: string };

export interface AutoUpdateFacts {
  isPackaged: boolean;
  /** Electron's `process.resourcesPath`: where app.asar and app-update.yml live. */
  resourcesPath: string;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  exists?: (file: string) => boolean;
}

/** Opt-out for managed machines that update through their own tooling. */
export const disableAutoUpdateEnv = 'IVS_STUDIO_DISABLE_AUTO_UPDATE';

export function planAutoUpdate(facts: AutoUpdateFacts): AutoUpdatePlan {
  const env = facts.env ?? process.env;
  const platform = facts.platform ?? process.platform;
  const exists = facts.exists ?? fs.existsSync;
  if (!facts.isPackaged) return { enabled: false, reason: 'running from source, not an installed app' };
  if (env[disableAutoUpdateEnv] === '1') return { enabled: false, reason: `${disableAutoUpdateEnv}=1` };
  const configFile = path.join(facts.resourcesPath, 'app-update.yml');
  if (!exists(configFile)) return { enabled: false, reason: 'this build has no publish target (electron-builder.yml publish: null)' };
  // On Linux only an AppImage (APPIMAGE is set by its runtime) or a deb/rpm/pacman install (electron-builder
  // writes resources/package-type) can replace itself; a bare unpacked directory cannot.
  if (platform === 'linux' && !env.APPIMAGE && !exists(path.join(facts.resourcesPath, 'package-type'))) {
    return { enabled: false, reason: 'this Linux install is neither an AppImage nor a system package' };
  }
  return { enabled: true, configFile };
}

export interface AutoUpdateOptions {
  /** How often to look for a new version after the first check. Default: every 6 hours. */
  intervalMs?: number;
  /** Told once an update is downloaded and will install on quit. */
  onNotice?: (message: string) => void;
}

const log = createLogger('auto-update');

export function startAutoUpdate(plan: AutoUpdatePlan, options: AutoUpdateOptions = {}): Disposable {
  if (!plan.enabled) {
    log.info(`auto-update off: ${plan.reason}`);
    return toDisposable(() => undefined);
  }
  // Loaded here and only here: electron-updater requires `electron`, which the engine and the Node
  // tests never load.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { autoUpdater } = require('electron-updater') as typeof import('electron-updater');
  autoUpdater.logger = {
    info: (message?: unknown) => log.info(String(message)),
    warn: (message?: unknown) => log.warn(String(message)),
    error: (message?: unknown) => log.error(String(message)),
    debug: (message: string) => log.debug(message),
  };
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;

  const onDownloaded = (info: { version: string }): void => {
    options.onNotice?.(`IVS Studio ${info.version} has been downloaded and installs when you quit.`);
  };
  const onError = (error: Error): void => log.warn('update check failed', error);
  autoUpdater.on('update-downloaded', onDownloaded);
  autoUpdater.on('error', onError);

  const check = (): void => {
    autoUpdater.checkForUpdates().catch((error: unknown) => log.warn('update check failed', error));
  };
  log.info(`auto-update on (${plan.configFile})`);
  check();
  const timer = setInterval(check, options.intervalMs ?? 6 * 60 * 60 * 1000);
  timer.unref();
  return toDisposable(() => {
    clearInterval(timer);
    autoUpdater.removeListener('update-downloaded', onDownloaded);
    autoUpdater.removeListener('error', onError);
  });
}
