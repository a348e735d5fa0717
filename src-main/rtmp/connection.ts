/**
 * One RTMP connection over a socket (TCP or TLS), for either end: runs the handshake, then the chunk
 * layer, and answers the connection-level protocol control messages itself — Window Acknowledgement
 * Size / Acknowledgement bookkeeping and User Control pings — so the session layers above (server:
 * server-session.ts, client: client-session.ts) only see commands, data and media.
 *
 * Acknowledgements: the spec words it both ways and deployments differ (nginx-rtmp acknowledges on the
 * window it announced, ffmpeg on the window the peer announced). We acknowledge on the smaller of the
 * two, which satisfies either reading.
 */
import type { Socket } from 'node:net';
import { Emitter, type Event } from '../core/emitter';
import { decodeAmf0, encodeAmf0, type AmfValue } from './amf0';
import { ChunkReader, ChunkWriter, type ChunkReaderOptions } from './chunk-stream';
import { ClientHandshake, ServerHandshake } from './handshake';
import {
  ChunkStreamId,
  MessageType,
  UserControlEvent,
  acknowledgementMessage,
  parseUserControl,
  readControlValue,
  setChunkSizeMessage,
  userControlMessage,
  type RtmpMessage,
} from './messages';

export interface RtmpConnectionOptions {
  role: 'server' | 'client';
  /** Chunk size we switch to for what we send, right after the handshake. */
  outgoingChunkSize?: number;
  /** Close if the handshake has not completed within this time (slow or silent peers). */
  handshakeTimeoutMs?: number;
  reader?: ChunkReaderOptions;
}

export interface RtmpCommand {
  name: string;
  transactionId: number;
  /** The command object (null for most stream commands). */
  object: AmfValue;
  args: AmfValue[];
  streamId: number;
}

/** Why a connection ended: `undefined` error means an orderly close by either side. */
export interface RtmpCloseInfo {
  error?: Error;
  /** True when this side called close()/destroy(). */
  local: boolean;
}

export class RtmpConnection {
  private readonly reader: ChunkReader;
  private readonly writer = new ChunkWriter();
  private readonly serverHandshake?: ServerHandshake;
  private readonly clientHandshake?: ClientHandshake;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private closedLocally = false;
  private closeError: Error | undefined;
  private ready = false;

  private readonly readyEmitter = new Emitter<void>();
  private readonly messageEmitter = new Emitter<RtmpMessage>();
  private readonly closeEmitter = new Emitter<RtmpCloseInfo>();
  readonly onReady: Event<void> = this.readyEmitter.event;
  /** Commands, data, media and user control events; chunk-layer and ack bookkeeping are handled here. */
  readonly onMessage: Event<RtmpMessage> = this.messageEmitter.event;
  readonly onClose: Event<RtmpCloseInfo> = this.closeEmitter.event;

  /** Window we announced (Window Acknowledgement Size we sent). */
  private ownWindow = 0;
  /** Window the peer announced. */
  private peerWindow = 0;
  private lastAckSent = 0;

  bytesIn = 0;
  bytesOut = 0;
  /** Bytes the peer has acknowledged (unwrapped from the 32-bit sequence number). */
  bytesAcked = 0;
  /** When the peer's first Acknowledgement arrived (ms since epoch), for "first byte acknowledged" figures. */
  firstAckAt: number | undefined;

  constructor(readonly socket: Socket, private readonly options: RtmpConnectionOptions) {
    this.reader = new ChunkReader(options.reader);
    if (options.role === 'server') this.serverHandshake = new ServerHandshake();
    else this.clientHandshake = new ClientHandshake();

    socket.on('data', (data: Buffer) => this.onData(data));
    socket.on('error', (error) => this.destroyWith(error, false));
    socket.on('end', () => {
      // The peer half-closed: finish our side too (we never keep a half-open RTMP connection).
      if (!this.closed) socket.end();
    });
    socket.on('close', () => this.finish());

    const timeout = options.handshakeTimeoutMs ?? 10_000;
    this.handshakeTimer = setTimeout(() => this.destroyWith(new Error(`RTMP handshake not completed within ${timeout} ms`), false), timeout);
    if (this.clientHandshake) this.rawWrite(this.clientHandshake.start());
  }

  get isReady(): boolean {
    return this.ready;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Bytes queued in the socket that the kernel has not taken yet: the congestion signal. */
  get bufferedBytes(): number {
    return this.socket.writableLength;
  }

  get needsDrain(): boolean {
    return this.socket.writableNeedDrain;
  }

  /** Sends one message; returns false when the socket's buffer is full (wait for 'drain'). */
  send(message: RtmpMessage): boolean {
    if (this.closed || !this.ready) return false;
    return this.rawWrite(this.writer.write(message));
  }

  /** Sets our outgoing chunk size: the Set Chunk Size message goes out at the old size, then we switch. */
  setOutgoingChunkSize(size: number): void {
    this.send(setChunkSizeMessage(size));
    this.writer.setChunkSize(size);
  }

  /** Announces our acknowledgement window and starts acknowledging on it. */
  announceWindow(size: number): void {
    this.ownWindow = size;
    this.send({ chunkStreamId: ChunkStreamId.Control, typeId: MessageType.WindowAckSize, streamId: 0, timestamp: 0, payload: u32(size) });
  }

  sendCommand(streamId: number, name: string, transactionId: number, object: AmfValue, ...args: AmfValue[]): boolean {
    return this.send({
      chunkStreamId: ChunkStreamId.Command,
      typeId: MessageType.CommandAmf0,
      streamId,
      timestamp: 0,
      payload: encodeAmf0(name, transactionId, object, ...args),
    });
  }

  /** Orderly close: flush what is queued, send FIN, and destroy if the peer does not close within `graceMs`. */
  close(graceMs = 2000): void {
    if (this.closed) return;
    this.closedLocally = true;
    this.clearHandshakeTimer();
    this.socket.end();
    const timer = setTimeout(() => this.socket.destroy(), graceMs);
    timer.unref();
    this.socket.once('close', () => clearTimeout(timer));
  }

  /** Immediate close, reporting `error` as the reason. */
  destroy(error?: Error): void {
    this.destroyWith(error, true);
  }

  private destroyWith(error: Error | undefined, local: boolean): void {
    if (this.closed) return;
    if (local) this.closedLocally = true;
    this.closeError ??= error;
    this.clearHandshakeTimer();
    this.socket.destroy();
    // 'close' follows asynchronously and calls finish().
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearHandshakeTimer();
    this.closeEmitter.fire({ error: this.closeError, local: this.closedLocally });
    this.readyEmitter.dispose();
    this.messageEmitter.dispose();
    this.closeEmitter.dispose();
  }

  private clearHandshakeTimer(): void {
    if (this.handshakeTimer) clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
  }

  private rawWrite(bytes: Buffer): boolean {
    if (this.socket.destroyed || this.socket.writableEnded) return false;
    this.bytesOut += bytes.length;
    return this.socket.write(bytes);
  }

  private onData(data: Buffer): void {
    if (this.closed) return;
    this.bytesIn += data.length;
    try {
      let chunkBytes: Buffer | undefined = data;
      if (!this.ready) {
        const step = (this.serverHandshake ?? this.clientHandshake)!.push(data);
        if (step.reply) this.rawWrite(step.reply);
        if (!step.done) return;
        this.ready = true;
        this.clearHandshakeTimer();
        // The reader counts from here; handshake bytes count towards acknowledgements too.
        this.reader.bytesReceived = this.bytesIn - (step.rest?.length ?? 0);
        if (this.options.outgoingChunkSize) this.setOutgoingChunkSize(this.options.outgoingChunkSize);
        this.readyEmitter.fire();
        chunkBytes = step.rest;
        if (!chunkBytes || chunkBytes.length === 0 || this.closed) return;
      }
      for (const message of this.reader.push(chunkBytes)) {
        this.handle(message);
        if (this.closed || this.socket.destroyed) return;
      }
      this.maybeAcknowledge();
    } catch (error) {
      this.destroyWith(error instanceof Error ? error : new Error(String(error)), false);
    }
  }

  private maybeAcknowledge(): void {
    const window = this.ownWindow && this.peerWindow ? Math.min(this.ownWindow, this.peerWindow) : this.ownWindow || this.peerWindow;
    if (!window) return;
    const received = this.reader.bytesReceived;
    if (received - this.lastAckSent >= window) {
      this.lastAckSent = received;
      this.send(acknowledgementMessage(received));
    }
  }

  private handle(message: RtmpMessage): void {
    switch (message.typeId) {
      case MessageType.SetChunkSize:
      case MessageType.Abort:
        return; // applied by the reader
      case MessageType.Acknowledgement: {
        const sequence = readControlValue(message.payload);
        if (sequence === undefined) return;
        // Unwrap the 32-bit sequence number against what we have sent.
        const delta = (sequence - (this.bytesAcked % 0x1_0000_0000) + 0x1_0000_0000) % 0x1_0000_0000;
        this.bytesAcked = Math.min(this.bytesOut, this.bytesAcked + delta);
        this.firstAckAt ??= Date.now();
        return;
      }
      case MessageType.WindowAckSize: {
        const size = readControlValue(message.payload);
        if (size) this.peerWindow = size;
        return;
      }
      case MessageType.SetPeerBandwidth:
        // We do not throttle our output to the peer's hint; the publisher measures congestion itself.
        return;
      case MessageType.UserControl: {
        const event = parseUserControl(message.payload);
        if (event?.event === UserControlEvent.PingRequest) this.send(userControlMessage(UserControlEvent.PingResponse, event.value));
        this.messageEmitter.fire(message);
        return;
      }
      default:
        this.messageEmitter.fire(message);
    }
  }
}

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

/** Decodes a command message (AMF0, or AMF3-wrapped AMF0 as some encoders send) into its parts. */
export function parseCommand(message: RtmpMessage): RtmpCommand | undefined {
  if (message.typeId !== MessageType.CommandAmf0 && message.typeId !== MessageType.CommandAmf3) return undefined;
  // AMF3 command messages start with a format byte (0) followed by AMF0 values.
  const payload = message.typeId === MessageType.CommandAmf3 ? message.payload.subarray(1) : message.payload;
  const [name, transactionId, object, ...args] = decodeAmf0(payload);
  if (typeof name !== 'string') return undefined;
  return { name, transactionId: typeof transactionId === 'number' ? transactionId : 0, object: object ?? null, args, streamId: message.streamId };
}
