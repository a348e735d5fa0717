/**
 * The client end of an RTMP publishing session (what the studio's publisher speaks to an ingest):
 *
 *   connect(app, tcUrl) ⇒ _result · releaseStream, FCPublish, createStream ⇒ _result(streamId)
 *   publish(name, 'live') ⇒ onStatus NetStream.Publish.Start · @setDataFrame/audio/video …
 *   FCUnpublish, deleteStream · close
 *
 * Calls that expect an answer return promises; a server refusal rejects with RtmpStatusError (its
 * onStatus code and description), the connection ending first rejects with RtmpClosedError.
 */
import { Emitter } from '../core/emitter';
import type { FlvTag } from '../media/flv';
import { amfEntries, amfNumber, amfString, encodeAmf0, type AmfValue } from './amf0';
import { parseCommand, type RtmpCloseInfo, type RtmpCommand, type RtmpConnection } from './connection';
import { ChunkStreamId, MessageType } from './messages';

export class RtmpStatusError extends Error {
  override readonly name = 'RtmpStatusError';
  constructor(readonly command: string, readonly code: string, readonly description: string) {
    super(`${command} refused: ${code}${description ? ` (${description})` : ''}`);
  }
}

export class RtmpClosedError extends Error {
  override readonly name = 'RtmpClosedError';
  constructor(readonly during: string, readonly info: RtmpCloseInfo) {
    super(`the connection closed during ${during}${info.error ? `: ${info.error.message}` : ''}`);
  }
}

interface Pending {
  command: string;
  resolve(value: RtmpCommand): void;
  reject(error: Error): void;
}

/** What a status object says, however the server spelled it. */
export function statusOf(value: AmfValue | undefined): { level: string; code: string; description: string } {
  const entries = amfEntries(value ?? null) ?? {};
  return { level: amfString(entries.level) ?? '', code: amfString(entries.code) ?? '', description: amfString(entries.description) ?? '' };
}

export class RtmpClientSession {
  private nextTransaction = 1;
  private readonly pending = new Map<number, Pending>();
  /** publish() waiting for its onStatus, keyed by message stream id. */
  private readonly pendingPublish = new Map<number, Pending>();
  private closeInfo: RtmpCloseInfo | undefined;
  private readonly statusEmitter = new Emitter<{ streamId: number; level: string; code: string; description: string }>();
  /** onStatus messages that no call was waiting for (e.g. the server ending the stream). */
  readonly onStatus = this.statusEmitter.event;
  streamId = 0;

  constructor(readonly connection: RtmpConnection) {
    connection.onMessage((message) => {
      try {
        const command = parseCommand(message);
        if (command) this.handleCommand(command);
      } catch (error) {
        connection.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    });
    connection.onClose((info) => {
      this.closeInfo = info;
      for (const [, p] of [...this.pending, ...this.pendingPublish]) p.reject(new RtmpClosedError(p.command, info));
      this.pending.clear();
      this.pendingPublish.clear();
      this.statusEmitter.dispose();
    });
  }

  /** Resolves once the handshake is complete. */
  ready(): Promise<void> {
    if (this.connection.isReady) return Promise.resolve();
    if (this.closeInfo || this.connection.isClosed) return Promise.reject(new RtmpClosedError('the handshake', this.closeInfo ?? { local: false }));
    return new Promise((resolve, reject) => {
      const ready = this.connection.onReady(() => {
        closed.dispose();
        resolve();
      });
      const closed = this.connection.onClose((info) => {
        ready.dispose();
        reject(new RtmpClosedError('the handshake', info));
      });
    });
  }

  private call(command: string, object: AmfValue, ...args: AmfValue[]): Promise<RtmpCommand> {
    if (this.closeInfo) return Promise.reject(new RtmpClosedError(command, this.closeInfo));
    const transactionId = this.nextTransaction++;
    return new Promise((resolve, reject) => {
      this.pending.set(transactionId, { command, resolve, reject });
      this.connection.sendCommand(0, command, transactionId, object, ...args);
    });
  }

  /** Fire-and-forget command (its answer, if any, is ignored). */
  private notify(streamId: number, command: string, ...args: AmfValue[]): void {
    this.connection.sendCommand(streamId, command, this.nextTransaction++, null, ...args);
  }

  async connect(app: string, tcUrl: string, flashVer = 'FMLE/3.0 (compatible; IVS Studio)'): Promise<void> {
    const reply = await this.call('connect', { app, type: 'nonprivate', flashVer, tcUrl, swfUrl: tcUrl });
    if (reply.name === '_error') {
      const s = statusOf(reply.args[0]);
      throw new RtmpStatusError('connect', s.code || 'NetConnection.Connect.Rejected', s.description);
    }
  }

  /** releaseStream + FCPublish (FMLE habit most ingests expect) + createStream. */
  async createStream(name: string): Promise<number> {
    this.notify(0, 'releaseStream', name);
    this.notify(0, 'FCPublish', name);
    const reply = await this.call('createStream', null);
    const id = amfNumber(reply.args[0]);
    if (reply.name === '_error' || id === undefined) {
      const s = statusOf(reply.args[0]);
      throw new RtmpStatusError('createStream', s.code || 'NetStream.Failed', s.description);
    }
    this.streamId = id;
    return id;
  }

  /** Resolves on NetStream.Publish.Start; rejects with the server's status otherwise. */
  publish(name: string, type = 'live'): Promise<void> {
    if (this.closeInfo) return Promise.reject(new RtmpClosedError('publish', this.closeInfo));
    const streamId = this.streamId;
    return new Promise<RtmpCommand>((resolve, reject) => {
      this.pendingPublish.set(streamId, { command: 'publish', resolve, reject });
      this.connection.sendCommand(streamId, 'publish', 0, null, name, type);
    }).then((reply) => {
      const s = statusOf(reply.args[0]);
      if (s.code !== 'NetStream.Publish.Start') throw new RtmpStatusError('publish', s.code || 'NetStream.Publish.Failed', s.description);
    });
  }

  /** Sends one FLV tag on the published stream: audio, video, or script data (as @setDataFrame). */
  sendTag(tag: FlvTag): boolean {
    if (tag.type === 'script') {
      return this.connection.send({
        chunkStreamId: ChunkStreamId.Data,
        typeId: MessageType.DataAmf0,
        streamId: this.streamId,
        timestamp: tag.timestamp,
        payload: Buffer.concat([encodeAmf0('@setDataFrame'), tag.data]),
      });
    }
    return this.connection.send({
      chunkStreamId: tag.type === 'audio' ? ChunkStreamId.Audio : ChunkStreamId.Video,
      typeId: tag.type === 'audio' ? MessageType.Audio : MessageType.Video,
      streamId: this.streamId,
      timestamp: tag.timestamp,
      payload: tag.data,
    });
  }

  /** FCUnpublish + deleteStream, so the server sees a proper end of stream. */
  unpublish(name: string): void {
    if (this.closeInfo || !this.connection.isReady) return;
    this.notify(0, 'FCUnpublish', name);
    if (this.streamId) this.notify(0, 'deleteStream', this.streamId);
  }

  private handleCommand(command: RtmpCommand): void {
    if (command.name === '_result' || command.name === '_error') {
      const pending = this.pending.get(command.transactionId);
      if (!pending) return;
      this.pending.delete(command.transactionId);
      pending.resolve(command);
      return;
    }
    if (command.name === 'onStatus') {
      // onStatus carries (txn 0, null, statusObject); the status object arrives as args[0].
      // Some servers answer on stream 0 instead of the publishing stream: take the only waiter then.
      const key = this.pendingPublish.has(command.streamId) ? command.streamId : this.pendingPublish.size === 1 ? [...this.pendingPublish.keys()][0]! : -1;
      const pending = this.pendingPublish.get(key);
      const s = statusOf(command.args[0]);
      if (pending && s.code.startsWith('NetStream.Publish.')) {
        this.pendingPublish.delete(key);
        pending.resolve(command);
        return;
      }
      this.statusEmitter.fire({ streamId: command.streamId, ...s });
    }
    // onBWDone, onFCPublish, … need no answer.
  }
}
