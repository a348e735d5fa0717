import type { StudioErrorPayload } from './errors';

/**
 * Errors cross every transport as values: Electron's `invoke` and a WebSocket both lose Error classes,
 * so handlers always resolve to a Reply and the caller branches on `ok`.
 */
export type Reply<T> = { ok: true; value: T } | { ok: false; error: StudioErrorPayload };

export function ok<T>(value: T): Reply<T> {
  return { ok: true, value };
}
