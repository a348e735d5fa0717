/**
 * The local channel's HTTP listener. IVS API requests go through `handleApiRequest`; path prefixes
 * mounted by the live runtime (playback: `/api/video/v1/…`) go to their own handler, unsigned, on the
 * same port. Bodies are capped (`MAX_BODY_BYTES`): a larger one is answered 413 and discarded
 * without being buffered. The server keeps serving whatever a client sends.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../core/logger';
import { toDisposable, type Disposable } from '../../core/disposable';
import { errorResponse, IvsError, type WireResponse } from './ivs-error';
import type { RawRequest } from './control-plane';

const log = createLogger('local-channel-http');

/** Far above any valid IVS request (50 tags of 128+256 characters ≈ 20 KB), far below harm. */
export const MAX_BODY_BYTES = 256 * 1024;

export type MountedHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export interface ApiHttpServer extends Disposable {
  readonly port: number;
  readonly host: string;
  mount(pathPrefix: string, handler: MountedHandler): Disposable;
}

export async function startApiHttpServer(options: {
  host: string;
  port: number;
  handle: (request: RawRequest) => Promise<WireResponse>;
}): Promise<ApiHttpServer> {
  const mounts = new Map<string, MountedHandler>();

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    for (const [prefix, handler] of mounts) {
      if (url.startsWith(prefix)) {
        try {
          handler(req, res);
        } catch (error) {
          log.error(`handler mounted at ${prefix} threw`, error);
          if (!res.headersSent) res.writeHead(500).end();
        }
        return;
      }
    }
    readBody(req, MAX_BODY_BYTES).then(
      (body) => {
        if (body === 'too-large') {
          const tooLarge = new IvsError('RequestEntityTooLargeException', `The request body exceeds the ${MAX_BODY_BYTES / 1024} KB limit.`);
          send(res, errorResponse(tooLarge), true);
          return;
        }
        options
          .handle({ method: req.method ?? 'GET', url, headers: req.headers, body })
          .then((response) => send(res, response))
          .catch((error: unknown) => {
            log.error('request failed unexpectedly', error);
            send(res, errorResponse(new IvsError('InternalServerException', 'Unexpected error during processing.')));
          });
      },
      (error: unknown) => {
        log.debug(`request body could not be read: ${(error as Error).message}`);
        res.destroy();
      },
    );
  });
  // A client that never finishes its request must not hold a socket forever.
  server.requestTimeout = 30_000;
  server.headersTimeout = 15_000;

  await new Promise<void>((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', (error) => log.error('HTTP server error', error));
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const address = server.address() as AddressInfo;

  return {
    port: address.port,
    host: options.host,
    mount(pathPrefix, handler) {
      if (!pathPrefix.startsWith('/') || pathPrefix === '/' || pathPrefix.startsWith('/tags')) {
        throw new Error(`cannot mount at "${pathPrefix}": it would shadow the IVS API`);
      }
      if (mounts.has(pathPrefix)) throw new Error(`"${pathPrefix}" is already mounted`);
      mounts.set(pathPrefix, handler);
      return toDisposable(() => {
        if (mounts.get(pathPrefix) === handler) mounts.delete(pathPrefix);
      });
    },
    dispose() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from SDK clients would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}

/** The whole body, or 'too-large' once it passes `limit` (the rest is read and dropped, not kept). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = Number.isFinite(declared) && declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      // Drain up to a hard ceiling, so the client reads our 413 instead of a reset; beyond it, cut.
      if (size > limit * 64) req.destroy();
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
    req.on('close', () => {
      if (!req.complete) {
        if (tooLarge) resolve('too-large');
        else reject(new Error('client closed the connection mid-request'));
      }
    });
  });
}

function send(res: http.ServerResponse, response: WireResponse, closeConnection = false): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  if (response.body !== undefined) headers['content-length'] = String(Buffer.byteLength(response.body));
  if (closeConnection) headers.connection = 'close';
  res.writeHead(response.status, headers);
  res.end(response.body);
}
