/**
 * The studio API over a WebSocket (contract/ws-wire.ts), as a StudioConnection. Authenticates with
 * its first message (the token never appears in a URL the server logs), answers each invoke with a
 * Reply, reconnects with backoff when the link drops, and stops for good when the engine refuses the
 * page (a wrong token cannot become right by retrying).
 */
import type { EventChannel, RequestArgs, RequestChannel, RequestResult, StudioErrorPayload, StudioEvents } from '@contract/studio-api';
import { errorCatalog, type Reply } from '@contract/studio-api';
import { API_PATH, refusalCloseCodes, type ServerFrame } from '@contract/ws-wire';
import { ListenerSet, type ConnectionStatus, type StudioConnection } from './studio-connection';

/** The part of the DOM WebSocket this client uses; the `ws` package provides the same in tests. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type WebSocketFactory = (url: string) => WebSocketLike;

export interface WsConnectionOptions {
  /** ws://host:port (the API path is added). */
  origin: string;
  token: string;
  createSocket?: WebSocketFactory;
  /** Backoff between reconnects, in ms (last value repeats). */
  retryDelaysMs?: readonly number[];
}

const OPEN = 1;
const refusalCodes = new Set<number>(Object.values(refusalCloseCodes));

function localError(code: 'NOT_CONNECTED' | 'BAD_REQUEST', message?: string): StudioErrorPayload {
  const entry = errorCatalog[code] as { message: string; action?: string; fatal: boolean };
  return { code, message: message ?? entry.message, fatal: entry.fatal, ...(entry.action ? { action: entry.action } : {}) };
}

export function createWsConnection(options: WsConnectionOptions): StudioConnection {
  const createSocket: WebSocketFactory = options.createSocket ?? ((url) => new WebSocket(url) as unknown as WebSocketLike);
  const delays = options.retryDelaysMs ?? [500, 1_000, 2_000, 5_000];
  const statusListeners = new ListenerSet<[ConnectionStatus]>();
  const eventListeners = new Map<string, ListenerSet<[unknown]>>();
  const anyListeners = new ListenerSet<[EventChannel, StudioEvents[EventChannel]]>();
  const pending = new Map<number, (reply: Reply<unknown>) => void>();
  /** Requests made while (re)connecting wait here and go out once the engine welcomes us. */
  const queued: { frame: string; id: number }[] = [];
  let status: ConnectionStatus = { state: 'connecting', attempt: 1 };
  let socket: WebSocketLike | undefined;
  let nextId = 1;
  let attempt = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const setStatus = (next: ConnectionStatus) => {
    status = next;
    statusListeners.fire(next);
  };

  const failPending = (error: StudioErrorPayload) => {
    for (const resolve of pending.values()) resolve({ ok: false, error });
    pending.clear();
    queued.length = 0;
  };

  const connect = () => {
    attempt += 1;
    setStatus({ state: 'connecting', attempt });
    const ws = createSocket(`${options.origin}${API_PATH}`);
    socket = ws;
    let refusal: StudioErrorPayload | undefined;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token: options.token }));
    ws.onmessage = (message) => {
      let frame: ServerFrame;
      try {
        frame = JSON.parse(String(message.data)) as ServerFrame;
      } catch {
        return;
      }
      switch (frame.type) {
        case 'welcome':
          attempt = 0;
          setStatus({ state: 'open', rights: frame.rights });
          for (const item of queued.splice(0)) ws.send(item.frame);
          break;
        case 'reply': {
          const resolve = pending.get(Number(frame.id));
          pending.delete(Number(frame.id));
          resolve?.(frame.reply);
          break;
        }
        case 'event':
          eventListeners.get(frame.event)?.fire(frame.payload);
          anyListeners.fire(frame.event as EventChannel, frame.payload as StudioEvents[EventChannel]);
          break;
        case 'error':
          // Refusals arrive as an error frame just before the close that names them.
          if (status.state !== 'open') refusal = frame.error;
          else console.warn(`studio API: ${frame.error.code}: ${frame.error.message}`);
          break;
      }
    };
    ws.onerror = () => undefined; // the close that follows carries what we need
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = undefined;
      if (disposed) return;
      if (refusalCodes.has(event.code)) {
        const error = refusal ?? localError('NOT_CONNECTED', `The studio refused this page (${event.reason || event.code}).`);
        failPending(error);
        setStatus({ state: 'refused', error });
        return;
      }
      failPending(localError('NOT_CONNECTED'));
      const retryInMs = delays[Math.min(attempt - 1, delays.length - 1)] ?? 5_000;
      setStatus({ state: 'closed', retryInMs, error: localError('NOT_CONNECTED') });
      retryTimer = setTimeout(connect, retryInMs);
    };
  };

  connect();

  return {
    kind: 'ws',
    status: () => status,
    onStatus: (listener) => statusListeners.add(listener),
    onAnyEvent: (listener) => anyListeners.add(listener),
    invoke<C extends RequestChannel>(channel: C, ...args: RequestArgs<C>): Promise<Reply<RequestResult<C>>> {
      if (disposed || status.state === 'refused' || status.state === 'closed') {
        const error = status.state === 'refused' ? status.error : localError('NOT_CONNECTED');
        return Promise.resolve({ ok: false, error });
      }
      const id = nextId++;
      const frame = JSON.stringify({ type: 'request', id, channel, args });
      return new Promise((resolve) => {
        pending.set(id, resolve as (reply: Reply<unknown>) => void);
        if (status.state === 'open' && socket?.readyState === OPEN) socket.send(frame);
        else queued.push({ frame, id });
      });
    },
    on<E extends EventChannel>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new ListenerSet()));
      return set.add(listener as (payload: unknown) => void);
    },
    dispose() {
      disposed = true;
      clearTimeout(retryTimer);
      failPending(localError('NOT_CONNECTED'));
      socket?.close(1000, 'page closed');
      socket = undefined;
      statusListeners.clear();
      anyListeners.clear();
      eventListeners.clear();
    },
  };
}
