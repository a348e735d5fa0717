/**
 * FLV, the container between the stages of the media path: ffmpeg writes the encoded program as FLV on
 * a pipe, the output publishes its tags as RTMP messages, and the local channel's ingest hands the same
 * tag bodies to the packager. A tag body here is exactly an RTMP audio/video/data message payload.
 */
export type FlvTagType = 'audio' | 'video' | 'script';

export interface FlvTag {
  type: FlvTagType;
  /** Decode timestamp in milliseconds (FLV's 24-bit time + 8-bit extension). */
  timestamp: number;
  data: Buffer;
}

const TAG_TYPE_CODES: Record<number, FlvTagType> = { 8: 'audio', 9: 'video', 18: 'script' };
const TAG_CODE_FOR: Record<FlvTagType, number> = { audio: 8, video: 9, script: 18 };

export const FLV_HEADER_SIZE = 9;
const TAG_HEADER_SIZE = 11;
const PREVIOUS_TAG_SIZE = 4;
/** A guard against garbage input: no real tag body comes near this. */
const MAX_TAG_SIZE = 16 * 1024 * 1024;

export class FlvFormatError extends Error {
  override readonly name = 'FlvFormatError';
}

/**
 * Streaming FLV demuxer: push() any chunking of the byte stream, get whole tags back in order.
 * Unknown tag types are skipped; a bad signature or absurd size throws FlvFormatError.
 */
export class FlvDemuxer {
  private buffer: Buffer = Buffer.alloc(0);
  private headerRead = false;
  hasAudio = false;
  hasVideo = false;

  push(chunk: Buffer): FlvTag[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const tags: FlvTag[] = [];
    let offset = 0;
    if (!this.headerRead) {
      if (this.buffer.length < FLV_HEADER_SIZE + PREVIOUS_TAG_SIZE) return tags;
      if (this.buffer.toString('latin1', 0, 3) !== 'FLV') throw new FlvFormatError('not an FLV stream (bad signature)');
      const flags = this.buffer[4]!;
      this.hasAudio = (flags & 0x04) !== 0;
      this.hasVideo = (flags & 0x01) !== 0;
      const dataOffset = this.buffer.readUInt32BE(5);
      if (dataOffset < FLV_HEADER_SIZE || dataOffset > 1024) throw new FlvFormatError(`bad FLV header size ${dataOffset}`);
      if (this.buffer.length < dataOffset + PREVIOUS_TAG_SIZE) return tags;
      offset = dataOffset + PREVIOUS_TAG_SIZE;
      this.headerRead = true;
    }
    while (this.buffer.length - offset >= TAG_HEADER_SIZE) {
      const typeCode = this.buffer[offset]! & 0x1f;
      const size = this.buffer.readUIntBE(offset + 1, 3);
      if (size > MAX_TAG_SIZE) throw new FlvFormatError(`FLV tag of ${size} bytes is too large`);
      const end = offset + TAG_HEADER_SIZE + size + PREVIOUS_TAG_SIZE;
      if (this.buffer.length < end) break;
      const timestamp = (this.buffer.readUIntBE(offset + 4, 3) | (this.buffer[offset + 7]! << 24)) >>> 0;
      const type = TAG_TYPE_CODES[typeCode];
      if (type) {
        // Copy: the caller may keep tags around while the demuxer's buffer is reused.
        tags.push({ type, timestamp, data: Buffer.from(this.buffer.subarray(offset + TAG_HEADER_SIZE, offset + TAG_HEADER_SIZE + size)) });
      }
      offset = end;
    }
    this.buffer = offset === 0 ? this.buffer : this.buffer.subarray(offset);
    return tags;
  }
}

/** The 13 bytes every FLV file starts with (header + PreviousTagSize0). */
export function encodeFlvHeader(hasAudio: boolean, hasVideo: boolean): Buffer {
  const header = Buffer.alloc(FLV_HEADER_SIZE + PREVIOUS_TAG_SIZE);
  header.write('FLV', 0, 'latin1');
  header[3] = 1;
  header[4] = (hasAudio ? 0x04 : 0) | (hasVideo ? 0x01 : 0);
  header.writeUInt32BE(FLV_HEADER_SIZE, 5);
  return header;
}

/** One tag plus its trailing PreviousTagSize. */
export function encodeFlvTag(tag: FlvTag): Buffer {
  const out = Buffer.alloc(TAG_HEADER_SIZE + tag.data.length + PREVIOUS_TAG_SIZE);
  out[0] = TAG_CODE_FOR[tag.type];
  out.writeUIntBE(tag.data.length, 1, 3);
  out.writeUIntBE(tag.timestamp & 0xffffff, 4, 3);
  out[7] = (tag.timestamp >>> 24) & 0xff;
  tag.data.copy(out, TAG_HEADER_SIZE);
  out.writeUInt32BE(TAG_HEADER_SIZE + tag.data.length, TAG_HEADER_SIZE + tag.data.length);
  return out;
}

/** Video tag helpers (FLV VideoTagHeader with AVC): frame type, AVC packet type, composition time. */
export function isVideoKeyframe(data: Buffer): boolean {
  return data.length > 0 && (data[0]! >> 4) === 1;
}

export function isAvcSequenceHeader(data: Buffer): boolean {
  return data.length > 1 && (data[0]! & 0x0f) === 7 && data[1] === 0;
}

export function isAacSequenceHeader(data: Buffer): boolean {
  return data.length > 1 && (data[0]! >> 4) === 10 && data[1] === 0;
}
