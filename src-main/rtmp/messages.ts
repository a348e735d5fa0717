/**
 * RTMP message vocabulary shared by the chunk layer and both session ends: type ids, the well-known
 * chunk stream ids, and builders/parsers for protocol control and user control messages.
 */

export const MessageType = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAckSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  DataAmf3: 15,
  SharedObjectAmf3: 16,
  CommandAmf3: 17,
  DataAmf0: 18,
  SharedObjectAmf0: 19,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;

/** One complete RTMP message, as reassembled from (or split into) chunks. */
export interface RtmpMessage {
  chunkStreamId: number;
  typeId: number;
  /** Message stream id: 0 for connection-level messages, the createStream result for media. */
  streamId: number;
  /** Milliseconds, 32-bit wrapping. */
  timestamp: number;
  payload: Buffer;
}

/** Chunk stream ids as ffmpeg and OBS use them (any 2…65599 is legal; these keep header compression effective). */
export const ChunkStreamId = {
  Control: 2,
  Command: 3,
  Audio: 4,
  Data: 5,
  Video: 6,
} as const;

export const UserControlEvent = {
  StreamBegin: 0,
  StreamEof: 1,
  StreamDry: 2,
  SetBufferLength: 3,
  StreamIsRecorded: 4,
  PingRequest: 6,
  PingResponse: 7,
} as const;

/** Peer bandwidth limit types (Set Peer Bandwidth). */
export const BandwidthLimit = { Hard: 0, Soft: 1, Dynamic: 2 } as const;

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0);
  return b;
}

function control(typeId: number, payload: Buffer): RtmpMessage {
  return { chunkStreamId: ChunkStreamId.Control, typeId, streamId: 0, timestamp: 0, payload };
}

export function setChunkSizeMessage(size: number): RtmpMessage {
  return control(MessageType.SetChunkSize, u32(size & 0x7fffffff));
}

export function abortMessage(chunkStreamId: number): RtmpMessage {
  return control(MessageType.Abort, u32(chunkStreamId));
}

export function acknowledgementMessage(sequenceNumber: number): RtmpMessage {
  return control(MessageType.Acknowledgement, u32(sequenceNumber));
}

export function windowAckSizeMessage(size: number): RtmpMessage {
  return control(MessageType.WindowAckSize, u32(size));
}

export function setPeerBandwidthMessage(size: number, limitType: number): RtmpMessage {
  return control(MessageType.SetPeerBandwidth, Buffer.concat([u32(size), Buffer.from([limitType])]));
}

export function userControlMessage(event: number, ...values: number[]): RtmpMessage {
  const payload = Buffer.alloc(2 + 4 * values.length);
  payload.writeUInt16BE(event);
  values.forEach((v, i) => payload.writeUInt32BE(v >>> 0, 2 + 4 * i));
  return control(MessageType.UserControl, payload);
}

export interface UserControl {
  event: number;
  /** First 32-bit parameter (stream id or ping timestamp). */
  value: number;
  /** Second parameter (buffer length of SetBufferLength). */
  value2?: number;
}

export function parseUserControl(payload: Buffer): UserControl | undefined {
  if (payload.length < 6) return undefined;
  const event = payload.readUInt16BE(0);
  const value = payload.readUInt32BE(2);
  return payload.length >= 10 ? { event, value, value2: payload.readUInt32BE(6) } : { event, value };
}

/** A protocol control payload's leading 32-bit value, or undefined when the payload is short. */
export function readControlValue(payload: Buffer): number | undefined {
  return payload.length >= 4 ? payload.readUInt32BE(0) : undefined;
}
