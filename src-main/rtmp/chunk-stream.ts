/**
 * The RTMP chunk layer: messages are split into chunks (default 128 bytes) that interleave across
 * chunk streams; each chunk header compresses against the previous one on its chunk stream
 * (formats 0–3), with a 32-bit extended timestamp when the 24-bit field overflows.
 *
 * ChunkReader reassembles messages from any byte chunking and applies the two chunk-layer control
 * messages itself (Set Chunk Size, Abort) because they change how the very next byte is parsed.
 * ChunkWriter picks the most compact header per message. Both are pure (no sockets): the session
 * layer feeds them bytes, which is also what the fuzz tests do.
 */
import { MessageType, type RtmpMessage } from './messages';

export class RtmpProtocolError extends Error {
  override readonly name = 'RtmpProtocolError';
}

export const DEFAULT_CHUNK_SIZE = 128;
/** The 24-bit message length field bounds every message anyway. */
export const MAX_MESSAGE_LENGTH = 0xffffff;
const EXTENDED_TIMESTAMP = 0xffffff;

export interface ChunkReaderOptions {
  /** Largest message accepted (bytes); a real video frame at 8.5 Mbps is well under 2 MB. */
  maxMessageLength?: number;
  /** How many chunk streams may have a message half-assembled at once. */
  maxPendingChunkStreams?: number;
  /** Upper bound for all half-assembled message buffers together. */
  maxPendingBytes?: number;
}

/** Per chunk stream: the last header seen (formats 1–3 inherit from it) and the message in progress. */
interface InboundChunkStream {
  csid: number;
  timestamp: number;
  /** The delta (formats 1/2) or absolute time (format 0) of the last header: a format-3 header that starts a new message repeats it. */
  timestampField: number;
  hasExtendedTimestamp: boolean;
  length: number;
  typeId: number;
  streamId: number;
  /** Message being assembled, and how much of it has arrived. */
  partial?: Buffer;
  received: number;
}

export class ChunkReader {
  /** Leftover bytes of an incomplete chunk header (never payload: payload is copied as it arrives). */
  private buffer: Buffer = Buffer.alloc(0);
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, InboundChunkStream>();
  /** The chunk whose payload is arriving, when its header has been read. */
  private current: { stream: InboundChunkStream; remaining: number } | undefined;
  private pendingBytes = 0;
  private readonly maxMessageLength: number;
  private readonly maxPendingChunkStreams: number;
  private readonly maxPendingBytes: number;
  /** Total bytes fed in, for acknowledgements. */
  bytesReceived = 0;

  constructor(options: ChunkReaderOptions = {}) {
    this.maxMessageLength = options.maxMessageLength ?? 8 * 1024 * 1024;
    this.maxPendingChunkStreams = options.maxPendingChunkStreams ?? 32;
    this.maxPendingBytes = options.maxPendingBytes ?? 32 * 1024 * 1024;
  }

  get incomingChunkSize(): number {
    return this.chunkSize;
  }

  /** Bytes held that do not yet form a whole chunk header. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** Feeds bytes; returns every message completed by them, in order. Throws RtmpProtocolError on garbage. */
  push(bytes: Buffer): RtmpMessage[] {
    this.bytesReceived += bytes.length;
    const buf = this.buffer.length === 0 ? bytes : Buffer.concat([this.buffer, bytes]);
    const messages: RtmpMessage[] = [];
    let offset = 0;
    while (offset < buf.length) {
      if (this.current) {
        const { stream } = this.current;
        const take = Math.min(this.current.remaining, buf.length - offset);
        buf.copy(stream.partial!, stream.received, offset, offset + take);
        stream.received += take;
        this.current.remaining -= take;
        offset += take;
        if (this.current.remaining > 0) break;
        this.current = undefined;
        if (stream.received === stream.length) messages.push(this.complete(stream));
        continue;
      }
      const consumed = this.readChunkHeader(buf, offset, messages);
      if (consumed === 0) break;
      offset += consumed;
    }
    // Only a partial header can be left over: at most 18 bytes.
    this.buffer = offset >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(offset));
    return messages;
  }

  /** Parses one chunk header at `start` and commits it; returns bytes consumed, or 0 when the header is not complete yet. */
  private readChunkHeader(buf: Buffer, start: number, out: RtmpMessage[]): number {
    let offset = start;
    const first = buf[offset]!;
    const format = first >> 6;
    let csid = first & 0x3f;
    offset += 1;
    if (csid === 0) {
      if (buf.length - offset < 1) return 0;
      csid = 64 + buf[offset]!;
      offset += 1;
    } else if (csid === 1) {
      if (buf.length - offset < 2) return 0;
      csid = 64 + buf[offset]! + buf[offset + 1]! * 256;
      offset += 2;
    }
    // Fail as soon as the basic header shows garbage, without waiting for more bytes.
    const previous = this.streams.get(csid);
    if (!previous && format !== 0) throw new RtmpProtocolError(`chunk stream ${csid} starts with a format-${format} header (needs format 0)`);
    const headerSize = format === 0 ? 11 : format === 1 ? 7 : format === 2 ? 3 : 0;
    if (buf.length - offset < headerSize) return 0;

    let timestampField: number;
    let length: number;
    let typeId: number;
    let messageStreamId: number;
    if (format === 3) {
      timestampField = previous!.timestampField;
      length = previous!.length;
      typeId = previous!.typeId;
      messageStreamId = previous!.streamId;
    } else {
      timestampField = buf.readUIntBE(offset, 3);
      length = format <= 1 ? buf.readUIntBE(offset + 3, 3) : previous!.length;
      typeId = format <= 1 ? buf[offset + 6]! : previous!.typeId;
      messageStreamId = format === 0 ? buf.readUInt32LE(offset + 7) : previous!.streamId;
    }
    offset += headerSize;

    // Format 3 carries an extended timestamp when its governing header did (ffmpeg, OBS and the spec agree).
    const extended = format === 3 ? previous!.hasExtendedTimestamp : timestampField === EXTENDED_TIMESTAMP;
    if (extended) {
      if (buf.length - offset < 4) return 0;
      if (format !== 3) timestampField = buf.readUInt32BE(offset);
      offset += 4;
    }

    const continuing = previous?.partial !== undefined;
    if (continuing && format !== 3) {
      throw new RtmpProtocolError(`chunk stream ${csid}: a format-${format} header arrived in the middle of a ${previous!.length}-byte message`);
    }

    // The whole header is here: commit it.
    let stream = previous;
    if (!stream) {
      stream = { csid, timestamp: 0, timestampField: 0, hasExtendedTimestamp: false, length: 0, typeId: 0, streamId: 0, received: 0 };
      this.streams.set(csid, stream);
    }
    if (!continuing) {
      if (length > this.maxMessageLength) {
        throw new RtmpProtocolError(`message of ${length} bytes on chunk stream ${csid} exceeds the ${this.maxMessageLength}-byte limit`);
      }
      if (this.pendingStreams() >= this.maxPendingChunkStreams) {
        throw new RtmpProtocolError(`more than ${this.maxPendingChunkStreams} chunk streams with unfinished messages`);
      }
      if (this.pendingBytes + length > this.maxPendingBytes) throw new RtmpProtocolError('too many bytes in unfinished messages');
      stream.timestamp = format === 0 ? timestampField : (stream.timestamp + timestampField) >>> 0;
      stream.timestampField = timestampField;
      if (format !== 3) stream.hasExtendedTimestamp = extended;
      stream.length = length;
      stream.typeId = typeId;
      stream.streamId = messageStreamId;
      stream.partial = Buffer.allocUnsafe(length);
      stream.received = 0;
      this.pendingBytes += length;
    }
    const remaining = Math.min(this.chunkSize, stream.length - stream.received);
    if (remaining === 0) out.push(this.complete(stream));
    else this.current = { stream, remaining };
    return offset - start;
  }

  private complete(stream: InboundChunkStream): RtmpMessage {
    const payload = stream.partial!;
    this.pendingBytes -= stream.length;
    stream.partial = undefined;
    stream.received = 0;
    const message: RtmpMessage = { chunkStreamId: stream.csid, typeId: stream.typeId, streamId: stream.streamId, timestamp: stream.timestamp, payload };
    this.applyChunkControl(message);
    return message;
  }

  private pendingStreams(): number {
    let count = 0;
    for (const s of this.streams.values()) if (s.partial) count++;
    return count;
  }

  private applyChunkControl(message: RtmpMessage): void {
    if (message.typeId === MessageType.SetChunkSize) {
      if (message.payload.length < 4) throw new RtmpProtocolError('Set Chunk Size message is shorter than 4 bytes');
      const size = message.payload.readUInt32BE(0) & 0x7fffffff;
      if (size < 1) throw new RtmpProtocolError('Set Chunk Size to 0');
      this.chunkSize = size;
    } else if (message.typeId === MessageType.Abort) {
      if (message.payload.length < 4) throw new RtmpProtocolError('Abort message is shorter than 4 bytes');
      const stream = this.streams.get(message.payload.readUInt32BE(0));
      if (stream?.partial) {
        this.pendingBytes -= stream.length;
        stream.partial = undefined;
        stream.received = 0;
      }
    }
  }
}

/** Per chunk stream, what the peer's reader will inherit from our last header. */
interface OutboundChunkStream {
  timestamp: number;
  timestampField: number;
  length: number;
  typeId: number;
  streamId: number;
}

export class ChunkWriter {
  private chunkSize = DEFAULT_CHUNK_SIZE;
  private readonly streams = new Map<number, OutboundChunkStream>();

  get outgoingChunkSize(): number {
    return this.chunkSize;
  }

  /** Call after queuing the Set Chunk Size message itself (which still goes out at the old size). */
  setChunkSize(size: number): void {
    if (!Number.isInteger(size) || size < 1 || size > 0x7fffffff) throw new RangeError(`invalid chunk size ${size}`);
    this.chunkSize = size;
  }

  /** Encodes one message as its chunks, concatenated. */
  write(message: RtmpMessage): Buffer {
    const { chunkStreamId: csid, typeId, streamId, payload } = message;
    if (csid < 2 || csid > 65599) throw new RangeError(`chunk stream id ${csid} out of range`);
    if (payload.length > MAX_MESSAGE_LENGTH) throw new RangeError(`message of ${payload.length} bytes is too long for RTMP`);
    const timestamp = message.timestamp >>> 0;
    const previous = this.streams.get(csid);

    let format: number;
    let field: number;
    if (!previous || previous.streamId !== streamId || timestamp < previous.timestamp) {
      format = 0;
      field = timestamp;
    } else {
      const delta = (timestamp - previous.timestamp) >>> 0;
      if (previous.length !== payload.length || previous.typeId !== typeId) format = 1;
      else if (previous.timestampField !== delta) format = 2;
      else format = 3;
      field = delta;
    }
    this.streams.set(csid, { timestamp, timestampField: field, length: payload.length, typeId, streamId });

    const extended = field >= EXTENDED_TIMESTAMP;
    const basic = basicHeader(format, csid);
    const continuation = basicHeader(3, csid);
    const headerSize = format === 0 ? 11 : format === 1 ? 7 : format === 2 ? 3 : 0;
    const chunks = Math.max(1, Math.ceil(payload.length / this.chunkSize));
    const extendedSize = extended ? 4 : 0;
    const total = basic.length + headerSize + extendedSize + payload.length + (chunks - 1) * (continuation.length + extendedSize);
    const out = Buffer.allocUnsafe(total);
    let offset = basic.copy(out, 0);
    if (format <= 2) {
      out.writeUIntBE(extended ? EXTENDED_TIMESTAMP : field, offset, 3);
      offset += 3;
    }
    if (format <= 1) {
      out.writeUIntBE(payload.length, offset, 3);
      out[offset + 3] = typeId;
      offset += 4;
    }
    if (format === 0) {
      out.writeUInt32LE(streamId, offset);
      offset += 4;
    }
    if (extended) offset = out.writeUInt32BE(field, offset);
    for (let sent = 0, i = 0; i < chunks; i++) {
      if (i > 0) {
        offset += continuation.copy(out, offset);
        if (extended) offset = out.writeUInt32BE(field, offset);
      }
      const size = Math.min(this.chunkSize, payload.length - sent);
      offset += payload.copy(out, offset, sent, sent + size);
      sent += size;
    }
    return out;
  }
}

function basicHeader(format: number, csid: number): Buffer {
  if (csid < 64) return Buffer.from([(format << 6) | csid]);
  if (csid < 320) return Buffer.from([format << 6, csid - 64]);
  const rest = csid - 64;
  return Buffer.from([(format << 6) | 1, rest & 0xff, rest >> 8]);
}
