/**
 * Parsing of the WebSocket wire format (`contract/ws-wire.ts`). Pure: no sockets, so every malformed
 * input has a unit test. Never throws: a bad frame becomes a specific catalog error for the client.
 */
import {
  MAX_REQUEST_BYTES,
  type ClientFrame,
  type RequestId,
} from '../contract/ws-wire';

export type ParsedFrame =
  | { kind: 'frame'; frame: ClientFrame }
  /** `id` is set when the frame was readable enough to know which request to answer. */
  | { kind: 'invalid'; id?: RequestId; code: 'BAD_REQUEST' | 'REQUEST_TOO_LARGE'; message: string };

function isRequestId(value: unknown): value is RequestId {
  return (typeof value === 'number' && Number.isSafeInteger(value)) || (typeof value === 'string' && value.length > 0 && value.length <= 64);
}

/** Parses one text frame from a client. Never throws. */
export function parseClientFrame(text: string, maxBytes = MAX_REQUEST_BYTES): ParsedFrame {
  const size = Buffer.byteLength(text);
  if (size > maxBytes) {
    return { kind: 'invalid', code: 'REQUEST_TOO_LARGE', message: `The request is ${size} bytes; the API accepts at most ${maxBytes}.` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', code: 'BAD_REQUEST', message: `The message is not valid JSON (${(error as Error).message}).` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', code: 'BAD_REQUEST', message: 'The message must be a JSON object.' };
  }
  const frame = value as Record<string, unknown>;
  switch (frame.type) {
    case 'auth':
      if (typeof frame.token !== 'string' || frame.token.length === 0 || frame.token.length > 256) {
        return { kind: 'invalid', code: 'BAD_REQUEST', message: 'An auth message needs a "token" string.' };
      }
      return { kind: 'frame', frame: { type: 'auth', token: frame.token } };
    case 'request': {
      const id = isRequestId(frame.id) ? frame.id : undefined;
      if (id === undefined) return { kind: 'invalid', code: 'BAD_REQUEST', message: 'A request needs an "id" (integer or short string).' };
      if (typeof frame.channel !== 'string' || frame.channel.length === 0) {
        return { kind: 'invalid', id, code: 'BAD_REQUEST', message: 'A request needs a "channel" string.' };
      }
      const args = frame.args ?? [];
      if (!Array.isArray(args)) return { kind: 'invalid', id, code: 'BAD_REQUEST', message: `"args" of ${frame.channel.slice(0, 80)} must be an array.` };
      return { kind: 'frame', frame: { type: 'request', id, channel: frame.channel, args } };
    }
    default:
      return {
        kind: 'invalid',
        id: isRequestId(frame.id) ? frame.id : undefined,
        code: 'BAD_REQUEST',
        message: `Unknown message type ${JSON.stringify(String(frame.type ?? '')).slice(0, 80)}; expected "auth" or "request".`,
      };
  }
}

/** Reads the token a client put in the connect URL (`/api?token=…`), if any. */
export function tokenFromRequestUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  const token = new URLSearchParams(url.slice(query + 1)).get('token');
  return token || undefined;
}

export function pathOfRequestUrl(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}
