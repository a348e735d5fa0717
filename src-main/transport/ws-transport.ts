/**
 * The studio API over a WebSocket (browser mode, remote producer). Serves the same ApiRouter as the
 * Electron IPC transport. Every refusal is a specific catalog error a client can read: an `error`
 * frame, then (for refusals of the connection itself) a close whose reason is the catalog code.
 * A bad request never costs the connection.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { ClientRights } from '../contract/domains/app';
import type { StudioErrorCode } from '../contract/errors';
import {
  MAX_FRAME_BYTES,
  MAX_REQUEST_BYTES,
  WIRE_PROTOCOL_VERSION,
  refusalCloseCodes,
  type RefusalCode,
  type ServerFrame,
} from '../contract/ws-wire';
import type { Disposable } from '../core/disposable';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import type { ApiRouter } from '../engine/api-router';
import { isAllowedHost, isAllowedOrigin, isEventVisibleTo, rightsForPeer } from './access-policy';
import { tokenMatches } from './access-token';
import { parseClientFrame, tokenFromRequestUrl } from './ws-protocol';

const log = createLogger('ws');

export interface WsTransportOptions {
  router: ApiRouter;
  token: string;
  /** Rights of a non-loopback peer ('cues' unless the operator granted full control). */
  remoteRights: ClientRights;
  /** Whether non-loopback Host headers are acceptable (remote access on). Asked per connection. */
  remoteEnabled: () => boolean;
  /** Origins besides the server's own that may connect (the Electron window's app://studio). */
  extraOrigins?: readonly string[];
  /** How long a client that did not put the token in the URL has to send its auth frame. */
  authTimeoutMs?: number;
  heartbeatMs?: number;
}

interface Client {
  socket: WebSocket;
  peer: string;
  rights: ClientRights;
  authenticated: boolean;
  alive: boolean;
}

/** A client this far behind on reading is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

export class WsTransport implements Disposable {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false });
  private readonly clients = new Set<Client>();
  private readonly eventSubscription: Disposable;
  private readonly heartbeat: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly options: WsTransportOptions) {
    this.eventSubscription = options.router.onEvent((event, payload) => this.broadcast(event, payload));
    this.heartbeat = setInterval(() => this.checkAlive(), options.heartbeatMs ?? 30_000);
    this.heartbeat.unref();
  }

  /** Number of open, authenticated connections (tests and the status line use it). */
  get connectionCount(): number {
    return [...this.clients].filter((c) => c.authenticated).length;
  }

  /** Called by the HTTP server for upgrade requests on the API path. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (this.disposed) {
      socket.destroy();
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) => this.accept(ws, request));
  }

  /** Drops connections from non-loopback peers (remote access switched off). */
  dropRemoteClients(): void {
    for (const client of this.clients) {
      if (rightsForPeer(client.peer, 'cues') !== 'full') client.socket.close(1008, 'REMOTE_ACCESS_OFF');
    }
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const peer = request.socket.remoteAddress ?? '';
    const client: Client = { socket, peer, rights: rightsForPeer(peer, this.options.remoteRights), authenticated: false, alive: true };
    this.clients.add(client);
    socket.on('close', () => this.clients.delete(client));
    socket.on('error', (error) => log.warn(`connection from ${peer} failed`, error));
    socket.on('pong', () => {
      client.alive = true;
    });

    const host = request.headers.host;
    const origin = request.headers.origin;
    if (!isAllowedHost(host, this.options.remoteEnabled())) {
      this.refuse(client, 'FORBIDDEN_ORIGIN', `Requests addressed to host "${String(host).slice(0, 80)}" are not allowed while remote access is off.`);
      return;
    }
    if (!isAllowedOrigin(origin, host, this.options.extraOrigins)) {
      this.refuse(client, 'FORBIDDEN_ORIGIN', `Requests from origin "${String(origin).slice(0, 120)}" are not allowed; open the studio's own page.`);
      return;
    }

    const urlToken = tokenFromRequestUrl(request.url);
    if (urlToken !== undefined) {
      if (!tokenMatches(this.options.token, urlToken)) {
        this.refuse(client, 'TOKEN_INVALID', 'The access token in the connect URL is not valid for this studio run.');
        return;
      }
      this.authenticate(client);
    } else {
      const timer = setTimeout(
        () => this.refuse(client, 'UNAUTHORIZED', 'No access token was given: send {"type":"auth","token":…} first, or connect with ?token=.'),
        this.options.authTimeoutMs ?? 10_000,
      );
      socket.once('close', () => clearTimeout(timer));
      socket.once('message', () => clearTimeout(timer));
    }

    socket.on('message', (data, isBinary) => void this.onMessage(client, data, isBinary));
  }

  private authenticate(client: Client): void {
    client.authenticated = true;
    log.info(`client connected from ${client.peer} with ${client.rights} rights`);
    this.send(client, { type: 'welcome', protocol: WIRE_PROTOCOL_VERSION, rights: client.rights });
  }

  private async onMessage(client: Client, data: RawData, isBinary: boolean): Promise<void> {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (isBinary) {
      this.sendError(client, 'BAD_REQUEST', 'Binary frames are not part of the studio API; send JSON text.');
      if (!client.authenticated) this.refuse(client, 'UNAUTHORIZED', 'The first message must be {"type":"auth","token":…}.');
      return;
    }
    const text = rawDataToString(data);
    const parsed = parseClientFrame(text, MAX_REQUEST_BYTES);

    if (!client.authenticated) {
      if (parsed.kind === 'frame' && parsed.frame.type === 'auth') {
        if (tokenMatches(this.options.token, parsed.frame.token)) this.authenticate(client);
        else this.refuse(client, 'TOKEN_INVALID', 'The access token is not valid for this studio run.');
      } else {
        this.refuse(client, 'UNAUTHORIZED', 'No access token was given: the first message must be {"type":"auth","token":…}.');
      }
      return;
    }

    if (parsed.kind === 'invalid') {
      if (parsed.id !== undefined) this.send(client, { type: 'reply', id: parsed.id, reply: { ok: false, error: new StudioError(parsed.code, { message: parsed.message }).toPayload() } });
      else this.sendError(client, parsed.code, parsed.message);
      return;
    }
    const frame = parsed.frame;
    if (frame.type === 'auth') {
      this.sendError(client, 'BAD_REQUEST', 'This connection is already authenticated.');
      return;
    }
    const reply = await this.options.router.dispatch({ rights: client.rights, transport: 'ws' }, frame.channel, frame.args);
    this.send(client, { type: 'reply', id: frame.id, reply });
  }

  private broadcast(event: string, payload: unknown): void {
    let text: string | undefined;
    for (const client of this.clients) {
      if (!client.authenticated || !isEventVisibleTo(client.rights, event)) continue;
      text ??= JSON.stringify({ type: 'event', event, payload } satisfies ServerFrame);
      this.sendText(client, text);
    }
  }

  private refuse(client: Client, code: RefusalCode, message: string): void {
    // A foreign origin is someone else's page reaching for the API: worth a warning. Token
    // refusals are routine (a tab left open from the previous run) and go to the log file only.
    const line = `refused connection from ${client.peer}: ${code}: ${message}`;
    if (code === 'FORBIDDEN_ORIGIN') log.warn(line);
    else log.info(line);
    this.sendError(client, code, message);
    client.authenticated = false;
    if (client.socket.readyState === WebSocket.OPEN) client.socket.close(refusalCloseCodes[code], code);
  }

  private sendError(client: Client, code: StudioErrorCode, message: string): void {
    this.send(client, { type: 'error', error: new StudioError(code, { message }).toPayload() });
  }

  private send(client: Client, frame: ServerFrame): void {
    this.sendText(client, JSON.stringify(frame));
  }

  private sendText(client: Client, text: string): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      log.warn(`dropping ${client.peer}: it stopped reading (${client.socket.bufferedAmount} bytes queued)`);
      client.socket.terminate();
      return;
    }
    client.socket.send(text);
  }

  private checkAlive(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.heartbeat);
    this.eventSubscription.dispose();
    const closed = [...this.clients].map(
      (client) =>
        new Promise<void>((resolve) => {
          if (client.socket.readyState === WebSocket.CLOSED) return resolve();
          client.socket.once('close', () => resolve());
          client.socket.close(1001, 'STUDIO_STOPPING');
          // A peer that does not answer the close handshake is cut off.
          setTimeout(() => client.socket.terminate(), 1_000).unref();
        }),
    );
    await Promise.all(closed);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
