/**
 * The studio window, hardened: sandboxed renderer with context isolation and no Node, the UI from
 * app://, navigation and new windows denied, permission requests denied unless listed in
 * security-policy.ts. The same guards are installed on every WebContents the app ever creates.
 */
import { app, BrowserWindow, session, type WebContents } from 'electron';
import { createLogger } from '../core/logger';
import { APP_ENTRY_URL, isAllowedNavigation, isPermissionAllowed } from './security-policy';

const log = createLogger('window');

export function createMainWindow(options: { preloadPath: string; fragment?: string; onReady: () => void }): BrowserWindow {
  const window = new BrowserWindow({
    title: 'IVS Studio',
    width: 1440,
    height: 900,
    minWidth: 1024,
    minHeight: 640,
    show: false,
    backgroundColor: '#0f1115',
    // Written out here, not built elsewhere, so the static security check (electronegativity) sees
    // every value: it cannot follow a function call.
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      // Middle-click would otherwise try to open links in new windows (denied anyway below).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.once('did-finish-load', options.onReady);
  void window.loadURL(`${APP_ENTRY_URL}${options.fragment ?? ''}`);
  return window;
}

/** Guards for every WebContents (windows, and anything a bug or an extension might create). */
export function hardenAllWebContents(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  const denyUnlisted = session.defaultSession;
  denyUnlisted.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const allowed = isPermissionAllowed(permission, details.requestingUrl);
    if (!allowed) log.info(`denied permission "${permission}" to ${details.requestingUrl}`);
    callback(allowed);
  });
  denyUnlisted.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionAllowed(permission, requestingOrigin));
  denyUnlisted.setDevicePermissionHandler(() => false);
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (isAllowedNavigation(url)) return;
    event.preventDefault();
    log.warn(`blocked navigation to ${url}`);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAllowedNavigation(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    log.warn(`blocked a new window for ${url}`);
    return { action: 'deny' };
  });
}
