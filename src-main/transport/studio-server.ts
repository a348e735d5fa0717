/**
 * The studio's HTTP server for browser mode and remote producers: the built UI (static, strict CSP)
 * and the WebSocket API on /api, on one port. Binds 127.0.0.1 unless remote access is on, and can
 * switch between the two at run time on the same port (the settings toggle), dropping remote peers
 * when it goes back to loopback.
 *
 * Listening goes through a plain net.Server that hands sockets to the HTTP server, so re-binding
 * does not tear down the HTTP machinery and every socket is tracked for disposal.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import type { ClientRights } from '../contract/domains/app';
import { API_PATH, TOKEN_FRAGMENT_KEY } from '../contract/ws-wire';
import type { Disposable } from '../core/disposable';
import { createLogger } from '../core/logger';
import type { ApiRouter } from '../engine/api-router';
import { isAllowedHost, isLoopbackAddress } from './access-policy';
import { createAccessToken } from './access-token';
import { securityHeaders } from './content-security-policy';
import { readStaticFile } from './static-files';
import { WsTransport } from './ws-transport';
import { pathOfRequestUrl } from './ws-protocol';

const log = createLogger('server');

export const LOOPBACK_HOST = '127.0.0.1';
export const ALL_INTERFACES = '0.0.0.0';

export interface StudioServerOptions {
  router: ApiRouter;
  /** Folder of the built UI; null serves the API only. */
  staticRoot: string | null;
  /** Defaults to a fresh random token for this run. */
  token?: string;
  remoteRights?: ClientRights;
  extraOrigins?: readonly string[];
  authTimeoutMs?: number;
}

export class StudioServer implements Disposable {
  readonly token: string;
  private readonly http: http.Server;
  private readonly ws: WsTransport;
  private readonly sockets = new Set<net.Socket>();
  private listener: net.Server | undefined;
  private boundHost = LOOPBACK_HOST;
  private boundPort = 0;
  private disposed = false;

  constructor(private readonly options: StudioServerOptions) {
    this.token = options.token ?? createAccessToken();
    this.ws = new WsTransport({
      router: options.router,
      token: this.token,
      remoteRights: options.remoteRights ?? 'cues',
      remoteEnabled: () => this.isRemote,
      extraOrigins: options.extraOrigins,
      authTimeoutMs: options.authTimeoutMs,
    });
    this.http = http.createServer((req, res) => void this.serveHttp(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      if (pathOfRequestUrl(req.url) !== API_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      this.ws.handleUpgrade(req, socket, head);
    });
    this.http.on('clientError', (_error, socket) => socket.destroy());
  }

  get port(): number {
    return this.boundPort;
  }

  get host(): string {
    return this.boundHost;
  }

  get isRemote(): boolean {
    return this.boundHost !== LOOPBACK_HOST;
  }

  get connectionCount(): number {
    return this.ws.connectionCount;
  }

  /** Starts listening; port 0 picks a free port, which later re-binds keep. */
  async listen(host: string, port: number): Promise<void> {
    if (this.disposed) throw new Error('server disposed');
    const listener = net.createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      this.http.emit('connection', socket);
    });
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen({ host, port }, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    listener.on('error', (error) => log.error('listener failed', error));
    this.listener = listener;
    this.boundHost = host;
    this.boundPort = (listener.address() as net.AddressInfo).port;
    log.info(`listening on ${host}:${this.boundPort}`);
  }

  /** Re-binds to another interface on the same port (remote access switched on or off). */
  async rebind(host: string): Promise<void> {
    if (host === this.boundHost || !this.listener) return;
    // close() frees the port at once; its callback would wait for every open connection, which
    // outlive the old listener on purpose (the operator's own window stays connected).
    this.listener.close();
    this.listener = undefined;
    if (host === LOOPBACK_HOST) {
      this.ws.dropRemoteClients();
      for (const socket of this.sockets) if (!isLoopbackAddress(socket.remoteAddress)) socket.destroy();
    }
    await this.listen(host, this.boundPort);
  }

  /** The URL to open on this machine, token included (in the fragment, which is never sent to a server). */
  localUrl(): string {
    return `http://${LOOPBACK_HOST}:${this.boundPort}/#${TOKEN_FRAGMENT_KEY}=${this.token}`;
  }

  /** URLs other devices can open while remote access is on (one per non-internal IPv4 address). */
  remoteUrls(): string[] {
    if (!this.isRemote) return [];
    const addresses = Object.values(os.networkInterfaces())
      .flat()
      .filter((a): a is os.NetworkInterfaceInfo => !!a && a.family === 'IPv4' && !a.internal)
      .map((a) => a.address);
    return addresses.map((address) => `http://${address}:${this.boundPort}/#${TOKEN_FRAGMENT_KEY}=${this.token}`);
  }

  private async serveHttp(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const headers = securityHeaders();
    if (!isAllowedHost(req.headers.host, this.isRemote)) {
      res.writeHead(421, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('This studio only answers requests addressed to 127.0.0.1 or localhost while remote access is off.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...headers, Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Only GET and HEAD are served here; the API is a WebSocket on /api.\n');
      return;
    }
    if (pathOfRequestUrl(req.url) === API_PATH) {
      res.writeHead(426, { ...headers, Upgrade: 'websocket', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('The studio API is a WebSocket: connect with a WebSocket client and the access token.\n');
      return;
    }
    if (!this.options.staticRoot) {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('This server has no UI attached.\n');
      return;
    }
    const file = await readStaticFile(this.options.staticRoot, req.url ?? '/');
    res.writeHead(file.status, { ...headers, 'Content-Type': file.contentType, 'Content-Length': file.body.length, 'Cache-Control': file.cacheControl });
    res.end(req.method === 'HEAD' ? undefined : file.body);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    const listener = this.listener;
    this.listener = undefined;
    const listenerClosed = listener ? new Promise<void>((resolve) => listener.close(() => resolve())) : Promise.resolve();
    await this.ws.dispose();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    await listenerClosed;
    this.http.close();
  }
}

/** Where to bind for a given remote-access state. */
export function bindHostFor(remote: boolean): string {
  return remote ? ALL_INTERFACES : LOOPBACK_HOST;
}
