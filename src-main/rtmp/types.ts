/**
 * The contract of the studio's own RTMP(S) publisher connection (one connection = one attempt;
 * the output's reconnect supervisor creates a new one per attempt). Implemented in rtmp/ on the
 * same protocol code as the local channel's ingest server.
 */
import type { Event } from '../core/emitter';
import type { StudioError } from '../core/studio-error';
import type { FlvTag } from '../media/flv';

export interface RtmpPublishTarget {
  /** `rtmp://host[:port]/app` or `rtmps://host[:port]/app` — without the stream key. */
  ingestUrl: string;
  /** Kept in memory only: never in argv, env, logs or errors. */
  streamKey: string;
  /** Extra CA certificates to trust (the local channel's CA). TLS verification is always on. */
  ca?: string | Buffer;
  connectTimeoutMs?: number;
}

export interface RtmpConnectionStats {
  bytesSent: number;
  /** From the server's Acknowledgement messages (window-based, so it lags bytesSent). */
  bytesAcked: number;
  /** Bytes written to the socket but not yet flushed to the kernel: congestion. */
  bufferedBytes: number;
  connectTimeMs: number;
}

export interface RtmpPublisherConnection {
  /** Handshake, connect, createStream, publish. Rejects with STREAM_KEY_REJECTED, INGEST_UNREACHABLE, INGEST_TLS, CHANNEL_BUSY. */
  connect(): Promise<void>;
  /** Sends one FLV tag as an RTMP message; returns false when the socket is congested. */
  send(tag: FlvTag): boolean;
  stats(): RtmpConnectionStats;
  /** Fires once when the connection ends for any reason other than close(). */
  readonly onDisconnect: Event<StudioError>;
  /** Clean stop: FCUnpublish + deleteStream, flush, end the socket. */
  close(): Promise<void>;
}
