/**
 * The server end of an RTMP publishing session, as ffmpeg, OBS and the studio's own publisher drive it:
 *
 *   connect(app) → _result · releaseStream/FCPublish → _result · createStream → _result(streamId)
 *   publish(name) → onStatus NetStream.Publish.Start | error · audio/video/@setDataFrame …
 *   FCUnpublish / deleteStream (or the socket closing) → unpublished
 *
 * Whether a stream name may publish is the caller's decision (`authorize`); this layer only speaks
 * the protocol and hands media out as FLV tags (an RTMP audio/video/data payload is an FLV tag body).
 */
import { Emitter, type Event } from '../core/emitter';
import type { FlvTag } from '../media/flv';
import { Amf0Reader, amfEntries, amfString, type AmfValue } from './amf0';
import { parseCommand, type RtmpCloseInfo, type RtmpCommand, type RtmpConnection } from './connection';
import { BandwidthLimit, MessageType, UserControlEvent, setPeerBandwidthMessage, userControlMessage, type RtmpMessage } from './messages';

export interface PublishRequest {
  /** The RTMP application from connect (`app` for IVS-style URLs). */
  app: string;
  /** The publish name without any `?query` (the stream key for IVS-style URLs). */
  streamName: string;
  /** The query string after the name, if any (IVS uses `?priority=N` for takeovers). */
  query: string;
  tcUrl: string;
}

export type PublishDecision =
  | { accept: true }
  /** `code` goes to the client as the onStatus code (e.g. NetStream.Publish.BadName). */
  | { accept: false; code: string; description: string };

export interface ServerSessionOptions {
  /** Applications accepted at connect; others get NetConnection.Connect.Rejected. */
  apps: readonly string[];
  authorize(request: PublishRequest): PublishDecision;
  /** Our acknowledgement window (announced at connect). */
  windowAckSize?: number;
}

export type ServerSessionState = 'handshaking' | 'connected' | 'publishing' | 'unpublished' | 'closed';

export class RtmpServerSession {
  private state: ServerSessionState = 'handshaking';
  private app = '';
  private tcUrl = '';
  private nextStreamId = 1;
  private publishStreamId = 0;
  private request: PublishRequest | undefined;

  private readonly publishEmitter = new Emitter<PublishRequest>();
  private readonly tagEmitter = new Emitter<FlvTag>();
  private readonly unpublishEmitter = new Emitter<void>();
  private readonly closeEmitter = new Emitter<RtmpCloseInfo>();
  private readonly refusedEmitter = new Emitter<{ request: PublishRequest; decision: Extract<PublishDecision, { accept: false }> }>();
  /** Fires after a publish was accepted and NetStream.Publish.Start sent. */
  readonly onPublish: Event<PublishRequest> = this.publishEmitter.event;
  readonly onPublishRefused = this.refusedEmitter.event;
  /** Media and script tags of the published stream, in arrival order. */
  readonly onTag: Event<FlvTag> = this.tagEmitter.event;
  /** The client unpublished cleanly (FCUnpublish/deleteStream/closeStream). */
  readonly onUnpublish: Event<void> = this.unpublishEmitter.event;
  readonly onClose: Event<RtmpCloseInfo> = this.closeEmitter.event;

  constructor(readonly connection: RtmpConnection, private readonly options: ServerSessionOptions) {
    connection.onReady(() => {
      this.state = 'connected';
    });
    connection.onMessage((message) => {
      try {
        this.handle(message);
      } catch (error) {
        connection.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    connection.onClose((info) => {
      this.state = 'closed';
      this.closeEmitter.fire(info);
      for (const e of [this.publishEmitter, this.tagEmitter, this.unpublishEmitter, this.closeEmitter, this.refusedEmitter]) e.dispose();
    });
  }

  get currentState(): ServerSessionState {
    return this.state;
  }

  get publishRequest(): PublishRequest | undefined {
    return this.request;
  }

  private handle(message: RtmpMessage): void {
    switch (message.typeId) {
      case MessageType.CommandAmf0:
      case MessageType.CommandAmf3: {
        const command = parseCommand(message);
        if (command) this.handleCommand(command);
        return;
      }
      case MessageType.Audio:
      case MessageType.Video:
        if (this.state !== 'publishing' || message.streamId !== this.publishStreamId) return;
        this.tagEmitter.fire({ type: message.typeId === MessageType.Audio ? 'audio' : 'video', timestamp: message.timestamp, data: message.payload });
        return;
      case MessageType.DataAmf0:
      case MessageType.DataAmf3: {
        if (this.state !== 'publishing') return;
        const data = scriptTagBody(message);
        if (data) this.tagEmitter.fire({ type: 'script', timestamp: message.timestamp, data });
        return;
      }
      case MessageType.Aggregate:
        if (this.state !== 'publishing' || message.streamId !== this.publishStreamId) return;
        for (const tag of splitAggregate(message)) this.tagEmitter.fire(tag);
        return;
      default:
        // User control (SetBufferLength …), shared objects: nothing to do for an ingest.
        return;
    }
  }

  private handleCommand(command: RtmpCommand): void {
    switch (command.name) {
      case 'connect':
        return this.onConnect(command);
      case 'releaseStream':
      case 'FCPublish':
      case 'getStreamLength':
        // Legacy FMLE calls: acknowledge so clients that wait for them proceed.
        if (command.transactionId) this.connection.sendCommand(0, '_result', command.transactionId, null);
        return;
      case 'createStream': {
        const id = this.nextStreamId++;
        this.connection.sendCommand(0, '_result', command.transactionId, null, id);
        return;
      }
      case 'publish':
        return this.onPublishCommand(command);
      case 'FCUnpublish':
      case 'deleteStream':
      case 'closeStream':
        if (command.transactionId) this.connection.sendCommand(0, '_result', command.transactionId, null);
        if (this.state === 'publishing') {
          this.state = 'unpublished';
          this.connection.sendCommand(this.publishStreamId, 'onStatus', 0, null, status('status', 'NetStream.Unpublish.Success', 'Stream is now unpublished.'));
          this.unpublishEmitter.fire();
        }
        return;
      case 'play':
      case 'play2':
        this.connection.sendCommand(command.streamId, 'onStatus', 0, null, status('error', 'NetStream.Play.Failed', 'This server only ingests; play the HLS playback URL instead.'));
        this.connection.close();
        return;
      default:
        if (command.transactionId) this.connection.sendCommand(0, '_error', command.transactionId, null, status('error', 'NetConnection.Call.Failed', `Method not found (${command.name}).`));
    }
  }

  private onConnect(command: RtmpCommand): void {
    const properties = amfEntries(command.object) ?? {};
    // Some encoders append the query of the URL to the app ("app?x=y"), and a trailing slash.
    this.app = (amfString(properties.app) ?? '').split('?')[0]!.replace(/\/+$/, '');
    this.tcUrl = amfString(properties.tcUrl) ?? '';
    if (!this.options.apps.includes(this.app)) {
      this.connection.sendCommand(0, '_error', command.transactionId, null, status('error', 'NetConnection.Connect.Rejected', `Unknown application "${this.app}"; publish to /app/<stream key>.`));
      this.connection.close();
      return;
    }
    const window = this.options.windowAckSize ?? 2_500_000;
    this.connection.announceWindow(window);
    this.connection.send(setPeerBandwidthMessage(window, BandwidthLimit.Dynamic));
    this.connection.sendCommand(
      0,
      '_result',
      command.transactionId,
      { fmsVer: 'FMS/3,5,7,7009', capabilities: 31, mode: 1 },
      { ...status('status', 'NetConnection.Connect.Success', 'Connection succeeded.'), objectEncoding: 0 },
    );
  }

  private onPublishCommand(command: RtmpCommand): void {
    if (this.state !== 'connected') {
      this.connection.sendCommand(command.streamId, 'onStatus', 0, null, status('error', 'NetStream.Publish.BadConnection', 'Already publishing on this connection.'));
      return;
    }
    const fullName = amfString(command.args[0]) ?? '';
    const queryAt = fullName.indexOf('?');
    const request: PublishRequest = {
      app: this.app,
      streamName: queryAt >= 0 ? fullName.slice(0, queryAt) : fullName,
      query: queryAt >= 0 ? fullName.slice(queryAt + 1) : '',
      tcUrl: this.tcUrl,
    };
    const decision = this.options.authorize(request);
    if (!decision.accept) {
      this.connection.sendCommand(command.streamId, 'onStatus', 0, null, status('error', decision.code, decision.description));
      this.refusedEmitter.fire({ request, decision });
      this.connection.close();
      return;
    }
    this.request = request;
    this.publishStreamId = command.streamId;
    this.state = 'publishing';
    this.connection.send(userControlMessage(UserControlEvent.StreamBegin, command.streamId));
    this.connection.sendCommand(command.streamId, 'onStatus', 0, null, status('status', 'NetStream.Publish.Start', 'Stream is now published.'));
    this.publishEmitter.fire(request);
  }

  /** Ends the session from the server side (StopStream, a limit breach): tells the client why, then closes. */
  disconnect(description: string, code = 'NetStream.Publish.Idle'): void {
    if (this.state === 'closed') return;
    if (this.state === 'publishing') {
      this.connection.sendCommand(this.publishStreamId, 'onStatus', 0, null, status('error', code, description));
    }
    this.connection.close(1000);
  }
}

function status(level: 'status' | 'error' | 'warning', code: string, description: string): Record<string, AmfValue> {
  return { level, code, description };
}

/**
 * Data message → FLV script tag body. Encoders send `@setDataFrame, onMetaData, {…}` to ask the server to
 * store the metadata; the stored (and FLV-file) form drops the `@setDataFrame` wrapper.
 */
export function scriptTagBody(message: RtmpMessage): Buffer | undefined {
  const payload = message.typeId === MessageType.DataAmf3 ? message.payload.subarray(1) : message.payload;
  const reader = new Amf0Reader(payload);
  const first = reader.read();
  if (first === '@setDataFrame') return Buffer.from(payload.subarray(reader.position));
  if (typeof first !== 'string') return undefined;
  return Buffer.from(payload);
}

/** An Aggregate message carries several FLV-style tags back to back (tag header + body + back pointer). */
export function splitAggregate(message: RtmpMessage): FlvTag[] {
  const tags: FlvTag[] = [];
  const data = message.payload;
  let offset = 0;
  let base: number | undefined;
  while (offset + 11 <= data.length) {
    const typeCode = data[offset]!;
    const size = data.readUIntBE(offset + 1, 3);
    const time = (data.readUIntBE(offset + 4, 3) | (data[offset + 7]! << 24)) >>> 0;
    if (offset + 11 + size + 4 > data.length) break;
    base ??= time;
    const type = typeCode === 8 ? 'audio' : typeCode === 9 ? 'video' : typeCode === 18 ? 'script' : undefined;
    if (type) tags.push({ type, timestamp: (message.timestamp + time - base) >>> 0, data: Buffer.from(data.subarray(offset + 11, offset + 11 + size)) });
    offset += 11 + size + 4;
  }
  return tags;
}
