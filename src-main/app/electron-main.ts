/**
 * The Electron main process: hosts the engine (plain Node) and one hardened window on app://.
 * Single instance; the window talks to the engine over IPC; remote access (Settings or --remote)
 * starts the same network server as browser mode; quitting disposes everything, so no ffmpeg child
 * outlives the app. This folder, the preload and transport/ipc-main.ts are the only code that
 * imports `electron`.
 */
import * as path from 'node:path';
import { app, BrowserWindow, globalShortcut, safeStorage } from 'electron';
import { configureLogging, createLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { StudioEngine } from '../engine/studio-engine';
import { bindGlobalHotkeys } from '../cues/global-hotkeys';
import { IpcMainTransport } from '../transport/ipc-main';
import { RemoteAccessServer } from '../transport/remote-access-server';
import { defaultRendererRoot, packageRoot } from '../transport/static-files';
import { studioVersion } from '../cli/serve-command';
import { parseAppArguments } from './app-arguments';
import { installAppMenu } from './app-menu';
import { planAutoUpdate, startAutoUpdate } from './auto-update';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { createMainWindow, hardenAllWebContents } from './main-window';
import { ELECTRON_READY_LINE } from './ready-line';
import { safeStorageWarning } from './security-policy';

const log = createLogger('electron');

app.setName('IVS Studio');
const args = parseAppArguments(process.argv.slice(1));
if (args.dataDir) app.setPath('userData', path.resolve(args.dataDir));

if (!app.requestSingleInstanceLock()) {
  // Another studio is running: it gets focus (second-instance below) and this one leaves at once.
  app.quit();
} else {
  registerAppScheme();
  void app.whenReady().then(start, (error: unknown) => {
    log.error('Electron failed to start', error);
    app.exit(1);
  });
}

let window: BrowserWindow | undefined;
let shutdown: (() => Promise<void>) | undefined;

app.on('second-instance', () => {
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  configureLogging({ dir: path.join(dataDir, 'logs'), consoleLevel: 'warn' });
  hardenAllWebContents();
  installAppMenu(process.platform, app.isPackaged);
  const rendererRoot = defaultRendererRoot();
  serveAppProtocol(rendererRoot);

  const engine = new StudioEngine({ dataDir, mode: 'electron', version: studioVersion() });
  const ipc = new IpcMainTransport(engine.router);
  const remote = new RemoteAccessServer({ router: engine.router, staticRoot: rendererRoot, remoteRights: args.remoteFull ? 'full' : 'cues' });
  engine.setRemoteAccessProvider(() => remote.info());
  const applyRemoteAccess = async () => {
    const wanted = args.remote || engine.settings.get().remoteAccess;
    if (wanted === remote.enabled) return;
    try {
      await remote.setEnabled(wanted);
      if (remote.token) registerSecret(remote.token);
    } catch (error) {
      engine.notify({ level: 'error', code: 'INTERNAL', message: `Remote access could not be switched: ${(error as Error).message}` });
    }
    engine.router.emit('app:remote-access-changed', { enabled: remote.enabled });
  };
  const settingsSubscription = engine.settings.onDidChange(() => void applyRemoteAccess());

  const updates = startAutoUpdate(planAutoUpdate({ isPackaged: app.isPackaged, resourcesPath: process.resourcesPath }), {
    onNotice: (message) => engine.notify({ level: 'info', message }),
  });

  // Cue hotkeys outside the window: registered only while the user has switched them on (off by default).
  const globalHotkeys = bindGlobalHotkeys(engine.cues, globalShortcut, (message) => engine.notify({ level: 'warning', message }));

  shutdown = async () => {
    await globalHotkeys.dispose();
    await updates.dispose();
    settingsSubscription.dispose();
    ipc.dispose();
    await remote.dispose();
    await engine.dispose();
  };

  await engine.start();
  await applyRemoteAccess();
  const warning = safeStorageWarning(process.platform, process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined);
  if (warning) engine.notify({ level: 'warning', code: 'KEYCHAIN_UNAVAILABLE', message: warning });

  const preloadPath = path.join(packageRoot(), 'dist', 'preload', 'preload.js');
  const testHook = process.env.IVS_STUDIO_TEST_HOOK === '1' ? '#studio-test=1' : '';
  window = createMainWindow({ preloadPath, fragment: testHook, onReady: () => process.stdout.write(`${ELECTRON_READY_LINE}\n`) });
  ipc.attach(window);
  window.on('closed', () => (window = undefined));
}

// A studio without its window has nothing to show and nobody to stop the stream: quit on every OS.
app.on('window-all-closed', () => app.quit());

let stopping = false;
app.on('before-quit', (event) => {
  if (!shutdown) return;
  event.preventDefault();
  if (stopping) return;
  stopping = true;
  const finish = shutdown;
  shutdown = undefined;
  void finish()
    .catch((error: unknown) => log.error('error while quitting', error))
    .finally(() => app.quit());
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());
