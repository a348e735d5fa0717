/**
 * ID3v2.4 tags for timed metadata, as IVS carries PutMetadata payloads: one PRIV frame whose owner is
 * `metadata.live-video.net` and whose data is the UTF-8 payload. The IVS player and hls.js both read the
 * PRIV owner to recognise the cue. The same tag goes into a timed-metadata PES (MPEG-TS) or an `emsg`
 * box (fragmented MP4); see mpegts.ts and fmp4.ts.
 */

export const IVS_METADATA_OWNER = 'metadata.live-video.net';

export class Id3FormatError extends Error {
  override readonly name = 'Id3FormatError';
}

const HEADER_SIZE = 10;

function syncsafe(size: number): Buffer {
  if (size >= 1 << 28) throw new Id3FormatError(`ID3 size ${size} does not fit 28 bits`);
  return Buffer.from([(size >> 21) & 0x7f, (size >> 14) & 0x7f, (size >> 7) & 0x7f, size & 0x7f]);
}

function readSyncsafe(data: Buffer, offset: number): number {
  let value = 0;
  for (let i = 0; i < 4; i++) {
    const byte = data[offset + i]!;
    if (byte & 0x80) throw new Id3FormatError('ID3 size is not syncsafe');
    value = (value << 7) | byte;
  }
  return value;
}

export interface Id3Frame {
  id: string;
  /** PRIV: owner identifier; TXXX: description. */
  owner?: string;
  data: Buffer;
}

/** One ID3v2.4 frame (v2.4 frame sizes are syncsafe). */
export function buildId3Frame(id: string, body: Buffer): Buffer {
  if (!/^[A-Z0-9]{4}$/.test(id)) throw new Id3FormatError(`bad ID3 frame id ${JSON.stringify(id)}`);
  return Buffer.concat([Buffer.from(id, 'latin1'), syncsafe(body.length), Buffer.from([0, 0]), body]);
}

export function buildPrivFrame(owner: string, data: Buffer): Buffer {
  return buildId3Frame('PRIV', Buffer.concat([Buffer.from(owner, 'latin1'), Buffer.from([0]), data]));
}

/** A whole ID3v2.4 tag around the given frames. */
export function buildId3Tag(frames: readonly Buffer[]): Buffer {
  const body = Buffer.concat(frames);
  return Buffer.concat([Buffer.from('ID3', 'latin1'), Buffer.from([4, 0, 0]), syncsafe(body.length), body]);
}

/** A TXXX (user-defined text) frame, UTF-8. */
export function buildTxxxFrame(description: string, value: string): Buffer {
  return buildId3Frame('TXXX', Buffer.concat([Buffer.from([3]), Buffer.from(description, 'utf8'), Buffer.from([0]), Buffer.from(value, 'utf8')]));
}

/**
 * IVS streams carry a `TXXX` frame described `segmentmetadata` (JSON) in their segments; the IVS player
 * consumes it internally and does not raise it as a text cue. We write one at the start of every
 * segment. Besides matching IVS, it makes hls.js create its `id3` metadata track before the first
 * PutMetadata cue arrives: hls.js creates that track lazily as a <track src="data:,WEBVTT"> element,
 * and in Chromium the first cue added before that src finishes loading is dropped.
 */
export function buildSegmentMetadataTag(fields: Record<string, string | number>): Buffer {
  return buildId3Tag([buildTxxxFrame('segmentmetadata', JSON.stringify(fields))]);
}

/** The tag a PutMetadata payload becomes. */
export function buildIvsMetadataTag(text: string): Buffer {
  return buildId3Tag([buildPrivFrame(IVS_METADATA_OWNER, Buffer.from(text, 'utf8'))]);
}

/** Parses one ID3v2.3/2.4 tag at the start of `data` (tests, recordings). */
export function parseId3Tag(data: Buffer): { frames: Id3Frame[]; size: number } {
  if (data.length < HEADER_SIZE || data.toString('latin1', 0, 3) !== 'ID3') throw new Id3FormatError('no ID3 header');
  const version = data[3]!;
  if (version !== 3 && version !== 4) throw new Id3FormatError(`ID3v2.${version} is not supported`);
  const size = readSyncsafe(data, 6);
  const end = HEADER_SIZE + size;
  if (end > data.length) throw new Id3FormatError(`ID3 tag of ${size} bytes overruns ${data.length} bytes`);
  const frames: Id3Frame[] = [];
  let offset = HEADER_SIZE;
  while (offset + HEADER_SIZE <= end) {
    const id = data.toString('latin1', offset, offset + 4);
    if (id === '\0\0\0\0') break; // padding
    const frameSize = version === 4 ? readSyncsafe(data, offset + 4) : data.readUInt32BE(offset + 4);
    const bodyStart = offset + HEADER_SIZE;
    if (bodyStart + frameSize > end) throw new Id3FormatError(`ID3 frame ${id} overruns the tag`);
    const body = data.subarray(bodyStart, bodyStart + frameSize);
    if (id === 'PRIV') {
      const zero = body.indexOf(0);
      if (zero < 0) throw new Id3FormatError('PRIV frame without owner terminator');
      frames.push({ id, owner: body.toString('latin1', 0, zero), data: Buffer.from(body.subarray(zero + 1)) });
    } else if (id === 'TXXX' && body.length > 0) {
      // Encoding byte, then description\0 value (UTF-8 or Latin-1 assumed).
      const zero = body.indexOf(0, 1);
      frames.push({ id, owner: body.toString('utf8', 1, zero < 0 ? body.length : zero), data: Buffer.from(body.subarray(zero < 0 ? body.length : zero + 1)) });
    } else {
      frames.push({ id, data: Buffer.from(body) });
    }
    offset = bodyStart + frameSize;
  }
  return { frames, size: end };
}
