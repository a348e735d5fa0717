/**
 * Picks the transport for this page: Electron's `window.studio` when the preload exposed it,
 * otherwise the WebSocket of the server that served the page, authenticated with the token from the
 * page URL.
 */
import { createIpcConnection } from './ipc-client';
import { takeAccessToken } from './page-fragment';
import type { StudioConnection } from './studio-connection';
import { createWsConnection } from './ws-client';

export type ConnectionChoice = { ok: true; connection: StudioConnection } | { ok: false; problem: 'no-token' };

export function createConnectionForPage(win: Window): ConnectionChoice {
  if (win.studio) return { ok: true, connection: createIpcConnection(win.studio) };
  const token = takeAccessToken(win.location, win.sessionStorage, (url) => win.history.replaceState(null, '', url));
  if (!token) return { ok: false, problem: 'no-token' };
  const scheme = win.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return { ok: true, connection: createWsConnection({ origin: `${scheme}//${win.location.host}`, token }) };
}
