/**
 * Who may talk to the studio's HTTP/WebSocket server, as pure functions of what a request says about
 * itself (Origin and Host headers, peer address). The token is the real guard; these checks stop a
 * web page the user happens to visit from reaching the API through their browser (cross-site
 * WebSocket hijacking, DNS rebinding) and decide what a remote device may do.
 */
import type { ClientRights } from '../contract/domains/app';

/** The Electron window's own origin (UI served from the privileged app:// scheme). */
export const ELECTRON_APP_ORIGIN = 'app://studio';

/** 127.0.0.0/8, ::1 and their IPv4-mapped IPv6 forms. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4)) return true;
  return address === '::1';
}

/** Splits a Host header into hostname and port, handling `[v6]:port`. */
export function parseHostHeader(host: string | undefined): { hostname: string; port?: string } | undefined {
  if (!host) return undefined;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(host);
  if (bracketed) return { hostname: bracketed[1]!.toLowerCase(), port: bracketed[2] };
  const plain = /^([^:]+)(?::(\d+))?$/.exec(host);
  if (plain) return { hostname: plain[1]!.toLowerCase(), port: plain[2] };
  return undefined;
}

/**
 * While the server is loopback-only, a request must name a loopback host. A page on evil.example that
 * re-points its DNS at 127.0.0.1 (DNS rebinding) still sends `Host: evil.example`, and is refused here.
 */
export function isAllowedHost(hostHeader: string | undefined, remoteEnabled: boolean): boolean {
  const parsed = parseHostHeader(hostHeader);
  if (!parsed) return false;
  if (remoteEnabled) return true;
  return parsed.hostname === 'localhost' || isLoopbackAddress(parsed.hostname);
}

/**
 * Browsers always send Origin on a WebSocket handshake. It must be the studio's own page: the same
 * scheme+host+port the request was addressed to, or one of the studio's other origins (the Electron
 * window). A missing Origin means a non-browser client (CLI, test, tablet app), which still needs the
 * token; `null` (sandboxed frames, file://) is refused.
 */
export function isAllowedOrigin(origin: string | undefined, hostHeader: string | undefined, extraOrigins: readonly string[] = []): boolean {
  if (origin === undefined) return true;
  if (extraOrigins.includes(origin)) return true;
  if (!hostHeader) return false;
  return origin.toLowerCase() === `http://${hostHeader.toLowerCase()}`;
}

/** A loopback peer is the operator's own machine; anything else is a remote device. */
export function rightsForPeer(remoteAddress: string | undefined, remoteRights: ClientRights): ClientRights {
  return isLoopbackAddress(remoteAddress) ? 'full' : remoteRights;
}

/**
 * Events a connection with 'cues' rights receives: the cue board's own, the stream state it shows,
 * and app notices. Everything else (settings, channels, scenes) stays with the operator.
 */
const cueRightsEventNamespaces: ReadonlySet<string> = new Set(['cues', 'stream', 'app']);

export function isEventVisibleTo(rights: ClientRights, event: string): boolean {
  if (rights === 'full') return true;
  return cueRightsEventNamespaces.has(event.split(':', 1)[0]!);
}
