/**
 * The studio's RTMP(S) publisher: one connection attempt to an ingest, on the shared RTMP code
 * (src-main/rtmp). Implements RtmpPublisherConnection for the stream output's reconnect supervisor.
 *
 * Secrecy: the stream key is registered with the redaction layer the moment we hold it, travels only
 * inside the publish command on the (TLS) socket, and never appears in tcUrl, logs or error messages.
 * TLS: verification is always on; the local channel's CA is trusted in addition to the system roots.
 * Failures map to distinct catalog errors a user can act on (see mapConnectError).
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { Emitter, type Event } from '../core/emitter';
import { createLogger } from '../core/logger';
import { registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import type { FlvTag } from '../media/flv';
import { RtmpClientSession, RtmpClosedError, RtmpStatusError } from '../rtmp/client-session';
import { RtmpConnection } from '../rtmp/connection';
import type { RtmpConnectionStats, RtmpPublisherConnection, RtmpPublishTarget } from '../rtmp/types';

const log = createLogger('rtmp-publisher');

/** Our acknowledgement window: small enough that bytesAcked follows the stream within a second or so. */
const ACK_WINDOW = 128 * 1024;
/** Big chunks: fewer headers, and a keyframe goes out in a handful of writes. */
const OUTGOING_CHUNK_SIZE = 60_000;

export interface ParsedIngestUrl {
  secure: boolean;
  host: string;
  port: number;
  app: string;
  /** What goes into connect's tcUrl: scheme://host:port/app — never the key. */
  tcUrl: string;
}

/** `rtmp(s)://host[:port]/app[/]` → its parts. Throws INGEST_UNREACHABLE for anything else. */
export function parseIngestUrl(ingestUrl: string): ParsedIngestUrl {
  let url: URL;
  try {
    url = new URL(ingestUrl);
  } catch {
    throw new StudioError('INGEST_UNREACHABLE', { message: 'The ingest URL is not a valid URL.', action: 'Use rtmps://<ingest endpoint>:443/app/ (without the stream key).' });
  }
  const secure = url.protocol === 'rtmps:';
  if (!secure && url.protocol !== 'rtmp:') {
    throw new StudioError('INGEST_UNREACHABLE', { message: `The ingest URL must start with rtmps:// or rtmp:// (got ${url.protocol}//).` });
  }
  const app = url.pathname.replace(/^\/+|\/+$/g, '');
  if (!app) throw new StudioError('INGEST_UNREACHABLE', { message: 'The ingest URL has no application path.', action: 'Use rtmps://<ingest endpoint>:443/app/' });
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = url.port ? Number(url.port) : secure ? 443 : 1935;
  const hostForUrl = net.isIPv6(host) ? `[${host}]` : host;
  return { secure, host, port, app, tcUrl: `${url.protocol}//${hostForUrl}:${port}/${app}` };
}

const CERTIFICATE_PROBLEMS: Record<string, string> = {
  SELF_SIGNED_CERT_IN_CHAIN: 'it is signed by a certificate authority this computer does not trust',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed and not trusted',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'it is signed by a certificate authority this computer does not trust',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not trusted on this computer',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check the computer clock)',
  CERT_REVOKED: 'it has been revoked',
  CERT_SIGNATURE_FAILURE: 'its signature is invalid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it was issued for a different host name',
};

const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EPIPE', 'EADDRNOTAVAIL']);

export type ConnectStage = 'socket' | 'handshake' | 'connect' | 'createStream' | 'publish';

/** Any failure during connect() → the catalog error a user can act on. Pure, unit-tested. */
export function mapConnectError(error: unknown, stage: ConnectStage, target: { host: string; port: number; secure: boolean }): StudioError {
  if (error instanceof StudioError) return error;
  const where = `${target.host}:${target.port}`;
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const problem = CERTIFICATE_PROBLEMS[code];
  if (problem) {
    return new StudioError('INGEST_TLS', {
      message: `The ingest server's TLS certificate could not be verified: ${problem} (${where}).`,
      action: 'Check the ingest URL. For the local channel, trust its CA (local-channel/tls/ca.pem in the data folder).',
      details: code,
      cause: error,
    });
  }
  if (target.secure && stage === 'socket' && /SSL|TLS|wrong version|handshake/i.test(`${code} ${(error as Error)?.message ?? ''}`)) {
    return new StudioError('INGEST_TLS', {
      message: `The ingest at ${where} did not complete a TLS handshake; is it an RTMPS port?`,
      details: `${code} ${(error as Error)?.message ?? ''}`.trim(),
      cause: error,
    });
  }
  if (error instanceof RtmpStatusError) {
    if (stage === 'publish') {
      const text = `${error.code} ${error.description}`;
      if (/already|busy|in use|another/i.test(text)) {
        return new StudioError('CHANNEL_BUSY', { message: `The ingest refused the stream: another encoder is already live on this channel (${error.code}).`, cause: error });
      }
      return new StudioError('STREAM_KEY_REJECTED', { message: `The ingest rejected the stream key (${error.code}${error.description ? `: ${error.description}` : ''}).`, cause: error });
    }
    return new StudioError('INGEST_UNREACHABLE', {
      message: `The ingest at ${where} refused the RTMP ${error.command} (${error.code}${error.description ? `: ${error.description}` : ''}).`,
      action: 'Check the ingest URL; IVS ingest URLs end in /app/.',
      cause: error,
    });
  }
  if (error instanceof RtmpClosedError) {
    if (stage === 'publish') {
      return new StudioError('STREAM_KEY_REJECTED', { message: 'The ingest closed the connection when the stream key was presented (a wrong, deleted or rotated key).', cause: error });
    }
    return new StudioError('INGEST_DISCONNECTED', { message: `The ingest at ${where} closed the connection during the RTMP ${stage}.`, cause: error });
  }
  if ((error as Error)?.name === 'HandshakeError') {
    return new StudioError('INGEST_UNREACHABLE', { message: `The server at ${where} does not speak RTMP: ${(error as Error).message}.`, cause: error });
  }
  if (code === 'CONNECT_TIMEOUT' || UNREACHABLE_CODES.has(code)) {
    const reason = code === 'ECONNREFUSED' ? 'nothing is listening there' : code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'the host name does not resolve' : code === 'CONNECT_TIMEOUT' ? 'no answer in time' : code;
    return new StudioError('INGEST_UNREACHABLE', { message: `The ingest at ${where} could not be reached: ${reason}.`, details: code, cause: error });
  }
  return new StudioError('INGEST_UNREACHABLE', { message: `Connecting to the ingest at ${where} failed during the ${stage}.`, details: (error as Error)?.message ?? String(error), cause: error });
}

export class NodeRtmpPublisherConnection implements RtmpPublisherConnection {
  private readonly url: ParsedIngestUrl;
  private socket: net.Socket | undefined;
  private connection: RtmpConnection | undefined;
  private session: RtmpClientSession | undefined;
  private published = false;
  private closing = false;
  private connectTimeMs = 0;
  /** The last status the server sent on its own (e.g. why it is ending the stream). */
  private lastServerStatus: { code: string; description: string } | undefined;
  private readonly disconnectEmitter = new Emitter<StudioError>();
  readonly onDisconnect: Event<StudioError> = this.disconnectEmitter.event;

  constructor(private readonly target: RtmpPublishTarget) {
    registerSecret(target.streamKey);
    this.url = parseIngestUrl(target.ingestUrl);
  }

  async connect(): Promise<void> {
    if (this.connection) throw new Error('connect() may be called once per connection');
    const started = Date.now();
    let stage: ConnectStage = 'socket';
    const timeoutMs = this.target.connectTimeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const socket = await this.openSocket(timeoutMs);
      if (this.closing) throw new Error('closed while connecting');
      socket.setNoDelay(true);
      const connection = new RtmpConnection(socket, { role: 'client', outgoingChunkSize: OUTGOING_CHUNK_SIZE, handshakeTimeoutMs: timeoutMs });
      this.connection = connection;
      const session = new RtmpClientSession(connection);
      this.session = session;
      session.onStatus((status) => {
        if (status.code && status.code !== 'NetStream.Publish.Start') this.lastServerStatus = status;
      });
      connection.onClose((info) => this.onClosed(info.error));

      const steps = (async () => {
        stage = 'handshake';
        await session.ready();
        stage = 'connect';
        await session.connect(this.url.app, this.url.tcUrl);
        connection.announceWindow(ACK_WINDOW);
        stage = 'createStream';
        await session.createStream(this.target.streamKey);
        stage = 'publish';
        await session.publish(this.target.streamKey);
      })();
      await Promise.race([
        steps,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('RTMP session setup timed out'), { code: 'CONNECT_TIMEOUT' })), timeoutMs);
        }),
      ]);
      if (this.closing) throw new Error('closed while connecting');
      this.published = true;
      this.connectTimeMs = Date.now() - started;
      log.info(`publishing to ${this.url.tcUrl} (connected in ${this.connectTimeMs} ms)`);
    } catch (error) {
      if (this.closing) {
        this.connection?.destroy();
        this.socket?.destroy();
        throw new StudioError('INGEST_DISCONNECTED', { message: 'The connection attempt was cancelled.', cause: error });
      }
      const mapped = mapConnectError(error, stage, { host: this.url.host, port: this.url.port, secure: this.url.secure });
      log.warn(`connect to ${this.url.tcUrl} failed: ${mapped.message}`);
      this.connection?.destroy();
      this.socket?.destroy();
      throw mapped;
    } finally {
      clearTimeout(timer);
    }
  }

  private openSocket(timeoutMs: number): Promise<net.Socket> {
    const { host, port, secure } = this.url;
    return new Promise((resolve, reject) => {
      const socket = secure
        ? tls.connect({
            host,
            port,
            // SNI only for names, never for IP literals (RFC 6066).
            servername: net.isIP(host) ? undefined : host,
            // Trusting an extra CA must not drop the system roots (real IVS uses a public CA).
            ca: this.target.ca ? [...tls.rootCertificates, this.target.ca.toString()] : undefined,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
          })
        : net.connect({ host, port });
      // Kept at once so close() can cancel an attempt that is still connecting.
      this.socket = socket;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(Object.assign(new Error('connect timed out'), { code: 'CONNECT_TIMEOUT' }));
      }, timeoutMs);
      const onError = (error: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(error);
      };
      // Destroyed before connecting (close() cancelling): no 'error' follows, only 'close'.
      const onClose = () => onError(Object.assign(new Error('socket closed before connecting'), { code: 'ECONNRESET' }));
      socket.once('error', onError);
      socket.once('close', onClose);
      socket.once(secure ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.off('error', onError);
        socket.off('close', onClose);
        resolve(socket);
      });
    });
  }

  send(tag: FlvTag): boolean {
    if (!this.published || this.closing || !this.session) return false;
    return this.session.sendTag(tag);
  }

  stats(): RtmpConnectionStats {
    return {
      bytesSent: this.connection?.bytesOut ?? 0,
      bytesAcked: this.connection?.bytesAcked ?? 0,
      bufferedBytes: this.connection?.bufferedBytes ?? 0,
      connectTimeMs: this.connectTimeMs,
    };
  }

  private onClosed(error: Error | undefined): void {
    if (!this.published || this.closing) return;
    this.published = false;
    const status = this.lastServerStatus;
    const reason = status
      ? `The ingest ended the stream: ${status.description || status.code}.`
      : error
        ? `The connection to the ingest was lost (${(error as NodeJS.ErrnoException).code ?? error.message}).`
        : 'The ingest closed the connection.';
    this.disconnectEmitter.fire(new StudioError('INGEST_DISCONNECTED', { message: reason, details: status?.code, cause: error }));
    this.disconnectEmitter.dispose();
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    const connection = this.connection;
    if (!connection || connection.isClosed) {
      // Still opening the socket (or never connected): cancel; connect() rejects.
      this.socket?.destroy();
      this.disconnectEmitter.dispose();
      return;
    }
    const closed = new Promise<void>((resolve) => connection.onClose(() => resolve()));
    if (this.published) {
      this.published = false;
      this.session?.unpublish(this.target.streamKey);
      // end() flushes everything queued (media, then FCUnpublish/deleteStream) before the FIN.
      connection.close(3000);
    } else {
      // An attempt still in its handshake: nothing to flush.
      connection.destroy();
    }
    await closed;
    this.disconnectEmitter.dispose();
  }
}

export function createRtmpPublisherConnection(target: RtmpPublishTarget): RtmpPublisherConnection {
  return new NodeRtmpPublisherConnection(target);
}
