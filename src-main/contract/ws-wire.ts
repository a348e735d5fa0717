/**
 * The WebSocket wire format of the studio API, shared by the server (`src-main/transport/ws-transport.ts`)
 * and the renderer's WebSocket client. Types and constants only: no Node imports.
 *
 * client → server                                    server → client
 *   { type: 'auth', token }          (first frame,     { type: 'welcome', protocol, rights }
 *                                      unless ?token=)  { type: 'reply', id, reply: Reply<T> }
 *   { type: 'request', id, channel, args: [...] }      { type: 'event', event, payload }
 *                                                      { type: 'error', error }  (no request id to answer)
 */
import type { ClientRights } from './domains/app';
import type { StudioErrorCode, StudioErrorPayload } from './errors';
import type { Reply } from './reply';

export const WIRE_PROTOCOL_VERSION = 1;
/** The API lives at this path on the studio's HTTP server; everything else is the static UI. */
export const API_PATH = '/api';

export type RequestId = number | string;

export type ClientFrame =
  | { type: 'auth'; token: string }
  | { type: 'request'; id: RequestId; channel: string; args: unknown[] };

export type ServerFrame =
  | { type: 'welcome'; protocol: number; rights: ClientRights }
  | { type: 'reply'; id: RequestId; reply: Reply<unknown> }
  | { type: 'event'; event: string; payload: unknown }
  | { type: 'error'; error: StudioErrorPayload };

/**
 * Close codes for refusals, in the 4000–4999 range applications own (RFC 6455 §7.4.2). The close
 * reason carries the catalog code, so a browser (which cannot read an HTTP refusal of an upgrade)
 * still learns exactly why; an `error` frame with the full payload precedes the close.
 */
export const refusalCloseCodes = {
  UNAUTHORIZED: 4401,
  TOKEN_INVALID: 4401,
  FORBIDDEN_ORIGIN: 4403,
} as const satisfies Partial<Record<StudioErrorCode, number>>;

export type RefusalCode = keyof typeof refusalCloseCodes;

/** Frames larger than this get a REQUEST_TOO_LARGE reply; the connection stays open. */
export const MAX_REQUEST_BYTES = 256 * 1024;
/** Past this the socket library itself drops the connection (close 1009): a client that floods is not a client. */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** The page URL carries the token in its fragment (`#token=…`), which browsers never send to a server. */
export const TOKEN_FRAGMENT_KEY = 'token';
