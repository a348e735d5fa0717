/**
 * Fragmented MP4 (ISO BMFF / CMAF-style) for low-latency HLS with FRAGMENTED_MP4 channels: an init
 * segment (ftyp + moov with avcC / esds — hls.js needs the full codec configuration there, see
 * machine-findings) and one moof+mdat per part, with the timed metadata of that part as `emsg` boxes
 * (scheme `https://aomedia.org/emsg/ID3`, AOM id3-emsg) in front of the moof.
 *
 * Video uses a 90 kHz timescale, audio its sample rate. Pure functions; the packager owns timing.
 */

export const ID3_EMSG_SCHEME = 'https://aomedia.org/emsg/ID3';
export const VIDEO_TIMESCALE = 90_000;
export const VIDEO_TRACK_ID = 1;
export const AUDIO_TRACK_ID = 2;

export function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(body.length + 8);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
}

function fullBox(type: string, version: number, flags: number, ...payload: Buffer[]): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(((version & 0xff) << 24) | (flags & 0xffffff));
  return box(type, head, ...payload);
}

function u8(n: number): Buffer {
  return Buffer.from([n & 0xff]);
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
}
function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}
function i32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function u64(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(Math.max(0, Math.floor(n))));
  return b;
}

const UNITY_MATRIX = Buffer.concat([0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].map(u32));

export interface Fmp4VideoTrack {
  width: number;
  height: number;
  /** AVCDecoderConfigurationRecord with lengthSizeMinusOne = 3 (samples carry 4-byte lengths). */
  avcC: Buffer;
}

export interface Fmp4AudioTrack {
  sampleRate: number;
  channels: number;
  /** AudioSpecificConfig. */
  audioSpecificConfig: Buffer;
}

export function buildInitSegment(video: Fmp4VideoTrack | undefined, audio: Fmp4AudioTrack | undefined): Buffer {
  const ftyp = box('ftyp', Buffer.from('iso6', 'latin1'), u32(0), Buffer.from('iso6cmfcisomavc1mp41', 'latin1'));
  const traks: Buffer[] = [];
  const trexes: Buffer[] = [];
  if (video) {
    traks.push(videoTrak(video));
    trexes.push(trex(VIDEO_TRACK_ID));
  }
  if (audio) {
    traks.push(audioTrak(audio));
    trexes.push(trex(AUDIO_TRACK_ID));
  }
  const mvhd = fullBox('mvhd', 0, 0, u32(0), u32(0), u32(1000), u32(0), u32(0x00010000), u16(0x0100), Buffer.alloc(10), UNITY_MATRIX, Buffer.alloc(24), u32(3));
  return Buffer.concat([ftyp, box('moov', mvhd, ...traks, box('mvex', ...trexes))]);
}

function trex(trackId: number): Buffer {
  return fullBox('trex', 0, 0, u32(trackId), u32(1), u32(0), u32(0), u32(0));
}

function tkhd(trackId: number, volume: number, width: number, height: number): Buffer {
  return fullBox('tkhd', 0, 3, u32(0), u32(0), u32(trackId), u32(0), u32(0), Buffer.alloc(8), u16(0), u16(0), u16(volume), u16(0), UNITY_MATRIX, u32(width << 16), u32(height << 16));
}

function mdia(timescale: number, handler: 'vide' | 'soun', name: string, mediaHeader: Buffer, sampleEntry: Buffer): Buffer {
  const mdhd = fullBox('mdhd', 0, 0, u32(0), u32(0), u32(timescale), u32(0), u16(0x55c4), u16(0));
  const hdlr = fullBox('hdlr', 0, 0, u32(0), Buffer.from(handler, 'latin1'), Buffer.alloc(12), Buffer.from(`${name}\0`, 'latin1'));
  const dinf = box('dinf', fullBox('dref', 0, 0, u32(1), fullBox('url ', 0, 1)));
  const stbl = box(
    'stbl',
    fullBox('stsd', 0, 0, u32(1), sampleEntry),
    fullBox('stts', 0, 0, u32(0)),
    fullBox('stsc', 0, 0, u32(0)),
    fullBox('stsz', 0, 0, u32(0), u32(0)),
    fullBox('stco', 0, 0, u32(0)),
  );
  return box('mdia', mdhd, hdlr, box('minf', mediaHeader, dinf, stbl));
}

function videoTrak(video: Fmp4VideoTrack): Buffer {
  const compressorName = Buffer.alloc(32);
  const avc1 = box(
    'avc1',
    Buffer.alloc(6), u16(1), // reserved, data_reference_index
    u16(0), u16(0), Buffer.alloc(12), // pre_defined, reserved, pre_defined
    u16(video.width), u16(video.height),
    u32(0x00480000), u32(0x00480000), u32(0), u16(1),
    compressorName, u16(0x0018), u16(0xffff),
    box('avcC', video.avcC),
  );
  const vmhd = fullBox('vmhd', 0, 1, u16(0), u16(0), u16(0), u16(0));
  return box('trak', tkhd(VIDEO_TRACK_ID, 0, video.width, video.height), mdia(VIDEO_TIMESCALE, 'vide', 'VideoHandler', vmhd, avc1));
}

/** MPEG-4 descriptor header with a 4-byte expandable size (always valid, simplest to write). */
function descriptor(tag: number, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const size = body.length;
  return Buffer.concat([Buffer.from([tag, 0x80 | ((size >> 21) & 0x7f), 0x80 | ((size >> 14) & 0x7f), 0x80 | ((size >> 7) & 0x7f), size & 0x7f]), body]);
}

function audioTrak(audio: Fmp4AudioTrack): Buffer {
  const esds = fullBox(
    'esds', 0, 0,
    descriptor(
      0x03, u16(AUDIO_TRACK_ID), u8(0),
      descriptor(0x04, u8(0x40), u8(0x15), Buffer.alloc(3), u32(0), u32(0), descriptor(0x05, audio.audioSpecificConfig)),
      descriptor(0x06, u8(0x02)),
    ),
  );
  const mp4a = box(
    'mp4a',
    Buffer.alloc(6), u16(1),
    Buffer.alloc(8), u16(audio.channels), u16(16), u16(0), u16(0),
    u32(Math.min(audio.sampleRate, 0xffff) << 16),
    esds,
  );
  const smhd = fullBox('smhd', 0, 0, u16(0), u16(0));
  return box('trak', tkhd(AUDIO_TRACK_ID, 0x0100, 0, 0), mdia(audio.sampleRate, 'soun', 'SoundHandler', smhd, mp4a));
}

/* ------------------------------------------------------------------ fragments */

export interface Fmp4Sample {
  duration: number;
  /** Composition offset (PTS − DTS) in the track timescale. */
  compositionOffset?: number;
  keyframe?: boolean;
  data: Buffer;
}

export interface Fmp4TrackRun {
  trackId: number;
  baseMediaDecodeTime: number;
  samples: Fmp4Sample[];
  video: boolean;
}

const FLAGS_SYNC = 0x02000000;
const FLAGS_NON_SYNC = 0x01010000;

/** One moof + mdat holding the given runs (empty runs are left out). */
export function buildFragment(sequenceNumber: number, runs: readonly Fmp4TrackRun[]): Buffer {
  const active = runs.filter((run) => run.samples.length > 0);
  const build = (dataOffsets: number[]) =>
    box('moof', fullBox('mfhd', 0, 0, u32(sequenceNumber)), ...active.map((run, i) => traf(run, dataOffsets[i] ?? 0)));
  // Two passes: the moof's size decides the data offsets, and the offsets do not change its size.
  const moofSize = build(active.map(() => 0)).length;
  const offsets: number[] = [];
  let cursor = moofSize + 8;
  for (const run of active) {
    offsets.push(cursor);
    cursor += run.samples.reduce((sum, s) => sum + s.data.length, 0);
  }
  const mdat = box('mdat', ...active.flatMap((run) => run.samples.map((s) => s.data)));
  return Buffer.concat([build(offsets), mdat]);
}

function traf(run: Fmp4TrackRun, dataOffset: number): Buffer {
  const tfhd = fullBox('tfhd', 0, 0x020000, u32(run.trackId)); // default-base-is-moof
  const tfdt = fullBox('tfdt', 1, 0, u64(run.baseMediaDecodeTime));
  const entries: Buffer[] = [];
  let flags = 0x000001 | 0x000100 | 0x000200; // data offset, duration, size
  if (run.video) flags |= 0x000400 | 0x000800; // flags, composition offset
  for (const sample of run.samples) {
    entries.push(u32(sample.duration), u32(sample.data.length));
    if (run.video) entries.push(u32(sample.keyframe ? FLAGS_SYNC : FLAGS_NON_SYNC), i32(sample.compositionOffset ?? 0));
  }
  const trun = fullBox('trun', 1, flags, u32(run.samples.length), i32(dataOffset), ...entries);
  return box('traf', tfhd, tfdt, trun);
}

/** An AOM id3-emsg (version 1: absolute presentation time) carrying one ID3 tag. */
export function buildId3Emsg(tag: Buffer, presentationTime: number, timescale: number, id: number): Buffer {
  return fullBox(
    'emsg', 1, 0,
    u32(timescale), u64(presentationTime), u32(0xffffffff), u32(id),
    Buffer.from(`${ID3_EMSG_SCHEME}\0\0`, 'utf8'),
    tag,
  );
}

/* ------------------------------------------------------------------ reading (tests, checks) */

export interface Mp4Box {
  type: string;
  offset: number;
  size: number;
  body: Buffer;
}

/** Top-level boxes of a buffer (or of a container body). */
export function readBoxes(data: Buffer): Mp4Box[] {
  const boxes: Mp4Box[] = [];
  let offset = 0;
  while (offset + 8 <= data.length) {
    const size = data.readUInt32BE(offset);
    if (size < 8 || offset + size > data.length) throw new Error(`box at ${offset} has bad size ${size}`);
    boxes.push({ type: data.toString('latin1', offset + 4, offset + 8), offset, size, body: data.subarray(offset + 8, offset + size) });
    offset += size;
  }
  return boxes;
}

export function parseId3Emsg(body: Buffer): { timescale: number; presentationTime: number; scheme: string; value: string; id: number; data: Buffer } {
  if (body[0] !== 1) throw new Error(`emsg version ${body[0]} is not 1`);
  const timescale = body.readUInt32BE(4);
  const presentationTime = Number(body.readBigUInt64BE(8));
  const id = body.readUInt32BE(20);
  const schemeEnd = body.indexOf(0, 24);
  const valueEnd = body.indexOf(0, schemeEnd + 1);
  return {
    timescale,
    presentationTime,
    id,
    scheme: body.toString('utf8', 24, schemeEnd),
    value: body.toString('utf8', schemeEnd + 1, valueEnd),
    data: body.subarray(valueEnd + 1),
  };
}
