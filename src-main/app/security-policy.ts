/**
 * The Electron shell's security decisions as pure functions (no `electron` import), so each one is
 * unit-tested without a window: which URLs are the studio's own, where a window may navigate, which
 * permission requests are granted. (The window's web preferences are written out in main-window.ts,
 * where the static security check can read them.)
 */

/** The UI is served from app://studio/ (a privileged, standard, secure scheme), never file://. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether a URL belongs to the studio's own UI. Compared by scheme and host: WHATWG URL gives
 * non-special schemes an opaque origin ("null"), so `origin` cannot be used here.
 */
export function isAppUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** A window may only (re)load the studio itself; links elsewhere never replace the UI. */
export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/**
 * Permissions the renderer may use. Capture (screen, camera, microphone) is done by ffmpeg in the
 * engine, not by the page, so 'media' and 'display-capture' are not needed and stay denied.
 * Fullscreen serves the preview player; sanitized clipboard writes serve "copy link" buttons.
 */
const grantedPermissions: ReadonlySet<string> = new Set(['fullscreen', 'clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return grantedPermissions.has(permission) && isAppUrl(requestingUrl);
}

/**
 * Electron's safeStorage on Linux silently falls back to 'basic_text' (a hard-coded password) when no
 * keyring is reachable. The studio keeps secrets in the OS keychain (keytar), not safeStorage, but a
 * user should know their desktop has no working keyring.
 */
export function safeStorageWarning(platform: NodeJS.Platform, backend: string | undefined): string | undefined {
  if (platform !== 'linux' || backend !== 'basic_text') return undefined;
  return 'No working OS keyring was found (Electron would store secrets with a hard-coded password). The studio will not save stream keys or AWS secrets until a Secret Service (GNOME Keyring or KWallet) is running and unlocked.';
}
