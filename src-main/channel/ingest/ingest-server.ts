/**
 * The local channel's RTMP and RTMPS ingest: two listeners on 127.0.0.1 speaking the shared RTMP code
 * (src-main/rtmp). Each accepted socket becomes an RtmpServerSession; a publish to `/app/<name>` is
 * put to the handler, which accepts (and then receives the publisher's tags) or refuses.
 *
 * Robustness: a bad handshake, garbage chunks, a client that never publishes, or a TLS failure ends
 * that one socket only; every other session keeps running. Nothing a peer sends can throw past here.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Emitter, type Event } from '../../core/emitter';
import { createLogger } from '../../core/logger';
import { redact } from '../../core/redact';
import type { FlvTag } from '../../media/flv';
import { RtmpConnection } from '../../rtmp/connection';
import { RtmpServerSession, type PublishDecision, type PublishRequest } from '../../rtmp/server-session';

const log = createLogger('ingest');

/** How a publisher's session ended, from the ingest's point of view. */
export type IngestEndReason =
  /** FCUnpublish/deleteStream, then the socket closed: a clean stop by the encoder. */
  | { kind: 'unpublished' }
  /** The socket closed or reset without an unpublish (encoder crashed, network dropped, truncated stream). */
  | { kind: 'disconnected'; detail?: string }
  /** The encoder sent something that is not valid RTMP (garbage chunks, bad AMF). */
  | { kind: 'protocol-error'; detail: string }
  /** We ended it (StopStream, limit breach, starvation timeout): `detail` says why. */
  | { kind: 'server'; detail: string };

export interface IngestPublisher {
  readonly id: number;
  readonly request: PublishRequest;
  readonly secure: boolean;
  readonly remoteAddress: string;
  readonly onTag: Event<FlvTag>;
  /** Fires once, when the session is over for any reason. */
  readonly onEnd: Event<IngestEndReason>;
  /** Bytes received on this connection so far. */
  bytesReceived(): number;
  /** Ends the session from our side, telling the encoder why. */
  disconnect(detail: string): void;
}

export interface IngestHandler {
  /**
   * A publish arrived. Return a refusal, or accept and subscribe to the publisher's events (tags flow
   * only after this returns).
   */
  publish(publisher: IngestPublisher): PublishDecision;
}

export interface IngestServerOptions {
  host?: string;
  /** 0 picks a free port. */
  rtmpPort?: number;
  rtmpsPort?: number;
  /** Without TLS material there is no RTMPS listener. */
  tls?: { key: string; cert: string };
  handler: IngestHandler;
  /** A connection that has not published within this time is closed. */
  publishTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  maxConnections?: number;
}

export interface IngestConnectionError {
  secure: boolean;
  remoteAddress: string;
  stage: 'tls' | 'handshake' | 'session';
  detail: string;
}

/** The path IVS uses for ingest: rtmp(s)://host/app/<stream key>. */
export const INGEST_APP = 'app';

export class IngestServer {
  private rtmpServer: net.Server | undefined;
  private rtmpsServer: tls.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  /** Every TCP socket, TLS ones still in their handshake included (for stop()). */
  private readonly rawSockets = new Set<net.Socket>();
  private readonly sessions = new Set<RtmpServerSession>();
  private nextId = 1;
  private readonly connectionErrorEmitter = new Emitter<IngestConnectionError>();
  /** Failures before or outside a publish (no session to record them in): for logs and tests. */
  readonly onConnectionError = this.connectionErrorEmitter.event;
  rtmpPort = 0;
  rtmpsPort = 0;

  constructor(private readonly options: IngestServerOptions) {}

  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  get rtmpUrl(): string {
    return `rtmp://${this.host}:${this.rtmpPort}/${INGEST_APP}/`;
  }

  get rtmpsUrl(): string | undefined {
    return this.rtmpsServer ? `rtmps://${this.host}:${this.rtmpsPort}/${INGEST_APP}/` : undefined;
  }

  get connectionCount(): number {
    return this.sockets.size;
  }

  async start(): Promise<void> {
    this.rtmpServer = net.createServer((socket) => this.accept(socket, false));
    this.rtmpServer.on('connection', (socket: net.Socket) => this.track(socket));
    this.rtmpPort = await listen(this.rtmpServer, this.host, this.options.rtmpPort ?? 0);
    if (this.options.tls) {
      // TLS 1.2+ as IVS requires; the handshake must finish as fast as the RTMP one.
      this.rtmpsServer = tls.createServer({
        key: this.options.tls.key,
        cert: this.options.tls.cert,
        minVersion: 'TLSv1.2',
        handshakeTimeout: this.options.handshakeTimeoutMs ?? 10_000,
      });
      this.rtmpsServer.on('connection', (socket: net.Socket) => this.track(socket));
      this.rtmpsServer.on('secureConnection', (socket) => this.accept(socket, true));
      this.rtmpsServer.on('tlsClientError', (error, socket) => {
        this.reportConnectionError({ secure: true, remoteAddress: socket.remoteAddress ?? '?', stage: 'tls', detail: error.message });
        socket.destroy();
      });
      this.rtmpsPort = await listen(this.rtmpsServer, this.host, this.options.rtmpsPort ?? 0);
    }
    log.info(`listening: ${this.rtmpUrl}${this.rtmpsUrl ? ` and ${this.rtmpsUrl}` : ''}`);
  }

  private track(socket: net.Socket): void {
    this.rawSockets.add(socket);
    socket.once('close', () => this.rawSockets.delete(socket));
  }

  private reportConnectionError(error: IngestConnectionError): void {
    log.warn(`${error.secure ? 'rtmps' : 'rtmp'} connection from ${error.remoteAddress} failed at ${error.stage}: ${redact(error.detail)}`);
    this.connectionErrorEmitter.fire(error);
  }

  private accept(socket: net.Socket, secure: boolean): void {
    const remoteAddress = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    if (this.sockets.size >= (this.options.maxConnections ?? 64)) {
      this.reportConnectionError({ secure, remoteAddress, stage: 'session', detail: 'too many connections' });
      socket.destroy();
      return;
    }
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.setNoDelay(true);

    const connection = new RtmpConnection(socket, {
      role: 'server',
      outgoingChunkSize: 4096,
      handshakeTimeoutMs: this.options.handshakeTimeoutMs,
    });
    const id = this.nextId++;
    const tagEmitter = new Emitter<FlvTag>();
    const endEmitter = new Emitter<IngestEndReason>();
    let endedBy: IngestEndReason | undefined;
    let accepted = false;
    let unpublished = false;

    const session = new RtmpServerSession(connection, {
      apps: [INGEST_APP],
      authorize: (request) => {
        const publisher: IngestPublisher = {
          id,
          request,
          secure,
          remoteAddress,
          onTag: tagEmitter.event,
          onEnd: endEmitter.event,
          bytesReceived: () => connection.bytesIn,
          disconnect: (detail) => {
            endedBy ??= { kind: 'server', detail };
            session.disconnect(detail);
          },
        };
        let decision: PublishDecision;
        try {
          decision = this.options.handler.publish(publisher);
        } catch (error) {
          log.error('the ingest handler failed on a publish', error);
          decision = { accept: false, code: 'NetStream.Publish.Failed', description: 'The server could not start the stream.' };
        }
        accepted = decision.accept;
        return decision;
      },
    });
    this.sessions.add(session);
    const publishTimer = setTimeout(() => {
      if (!accepted) {
        this.reportConnectionError({ secure, remoteAddress, stage: 'session', detail: `no publish within ${this.options.publishTimeoutMs ?? 15_000} ms` });
        connection.destroy();
      }
    }, this.options.publishTimeoutMs ?? 15_000);

    session.onTag((tag) => tagEmitter.fire(tag));
    session.onUnpublish(() => {
      unpublished = true;
      // Clients usually close right after; don't wait for them to.
      connection.close(1000);
    });
    session.onClose((info) => {
      clearTimeout(publishTimer);
      this.sessions.delete(session);
      if (accepted) {
        const reason: IngestEndReason =
          endedBy ??
          (unpublished
            ? { kind: 'unpublished' }
            : info.error && isProtocolError(info.error)
              ? { kind: 'protocol-error', detail: info.error.message }
              : { kind: 'disconnected', detail: info.error?.message });
        endEmitter.fire(reason);
      } else if (info.error) {
        const stage = connection.isReady ? 'session' : 'handshake';
        this.reportConnectionError({ secure, remoteAddress, stage, detail: info.error.message });
      } else if (!connection.isReady && !info.local) {
        // Typically a client that rejected our certificate after the TLS handshake (gnutls sends no alert).
        this.reportConnectionError({ secure, remoteAddress, stage: 'handshake', detail: 'the client closed the connection before the RTMP handshake' });
      }
      tagEmitter.dispose();
      endEmitter.dispose();
    });
  }

  /** Closes the listeners and every connection. */
  async stop(): Promise<void> {
    const closing = [this.rtmpServer, this.rtmpsServer].filter((s): s is net.Server => !!s).map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const session of this.sessions) session.disconnect('The local channel is shutting down.');
    for (const socket of [...this.sockets, ...this.rawSockets]) socket.destroy();
    await Promise.all(closing);
    this.connectionErrorEmitter.dispose();
  }
}

function isProtocolError(error: Error): boolean {
  return ['RtmpProtocolError', 'Amf0Error', 'HandshakeError'].includes(error.name);
}

function listen(server: net.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}
