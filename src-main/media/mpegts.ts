/**
 * A small MPEG-2 transport stream muxer (ISO 13818-1) for low-latency HLS parts: H.264 (stream_type
 * 0x1B), AAC in ADTS (0x0F) and timed ID3 metadata (0x15, Apple's "Timed Metadata for HTTP Live
 * Streaming": metadata_pointer_descriptor in the program info, metadata_descriptor on the stream, PES
 * with stream_id 0xBD carrying the raw ID3 tag, as ffmpeg's muxer writes and hls.js reads).
 *
 * One muxer per stream keeps the continuity counters running across parts, so parts concatenate into a
 * valid segment. The packager calls programTables() at the head of every part (players may join at any
 * part) and one *Pes() per access unit. Timestamps are 90 kHz ticks.
 *
 * A tiny demuxer (demuxTs) is here too, so tests and the recording check read back what was written.
 */

export const TS_PACKET_SIZE = 188;
export const TS_PIDS = { pat: 0, pmt: 0x1000, video: 0x100, audio: 0x101, id3: 0x102 } as const;
export const STREAM_TYPE = { h264: 0x1b, aacAdts: 0x0f, metadataPes: 0x15 } as const;
const PROGRAM_NUMBER = 1;
const STREAM_ID = { video: 0xe0, audio: 0xc0, privateStream1: 0xbd } as const;
const WRAP_33 = 2 ** 33;
/** PCR runs this far behind DTS so a decoder's buffer model never sees a frame before its decode time. */
const PCR_LEAD_TICKS = 63_000;

export class TsFormatError extends Error {
  override readonly name = 'TsFormatError';
}

export interface TsTracks {
  video: boolean;
  audio: boolean;
  id3: boolean;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let crc = i << 24;
    for (let j = 0; j < 8; j++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[i] = crc >>> 0;
  }
  return table;
})();

/** CRC-32/MPEG-2 over PSI sections. */
export function crc32Mpeg2(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ byte) & 0xff]!) >>> 0;
  return crc >>> 0;
}

const ID3_FORMAT = Buffer.from('ID3 ', 'latin1');

export class TsMuxer {
  private readonly continuity = new Map<number, number>();
  private pmtVersion = 0;

  constructor(private tracks: TsTracks) {}

  /** Changing tracks bumps the PMT version so players re-read it. */
  setTracks(tracks: TsTracks): void {
    this.tracks = tracks;
    this.pmtVersion = (this.pmtVersion + 1) & 0x1f;
  }

  /** PAT + PMT: two packets, written at the head of every part. */
  programTables(): Buffer {
    const pat = Buffer.from([0x00, 0x01, 0xc1, 0x00, 0x00, (PROGRAM_NUMBER >> 8) & 0xff, PROGRAM_NUMBER & 0xff, 0xe0 | (TS_PIDS.pmt >> 8), TS_PIDS.pmt & 0xff]);
    return Buffer.concat([this.psiPacket(TS_PIDS.pat, 0x00, pat), this.psiPacket(TS_PIDS.pmt, 0x02, this.pmtBody())]);
  }

  private pmtBody(): Buffer {
    const pcrPid = this.tracks.video ? TS_PIDS.video : TS_PIDS.audio;
    const programInfo: Buffer[] = [];
    const streams: Buffer[] = [];
    const stream = (type: number, pid: number, descriptors: Buffer = Buffer.alloc(0)) =>
      Buffer.concat([Buffer.from([type, 0xe0 | (pid >> 8), pid & 0xff, 0xf0 | (descriptors.length >> 8), descriptors.length & 0xff]), descriptors]);
    if (this.tracks.video) streams.push(stream(STREAM_TYPE.h264, TS_PIDS.video));
    if (this.tracks.audio) streams.push(stream(STREAM_TYPE.aacAdts, TS_PIDS.audio));
    if (this.tracks.id3) {
      // metadata_pointer_descriptor (tag 0x25): application format 0xFFFF + 'ID3 ', format 0xFF + 'ID3 ',
      // service id 0, no locator record, carriage in this TS (flags 0), reserved bits set, program number.
      programInfo.push(Buffer.concat([Buffer.from([0x25, 15, 0xff, 0xff]), ID3_FORMAT, Buffer.from([0xff]), ID3_FORMAT, Buffer.from([0x00, 0x1f, PROGRAM_NUMBER >> 8, PROGRAM_NUMBER & 0xff])]));
      // metadata_descriptor (tag 0x26): same identifiers, service id 0, no decoder config, reserved 0xF.
      const descriptor = Buffer.concat([Buffer.from([0x26, 13, 0xff, 0xff]), ID3_FORMAT, Buffer.from([0xff]), ID3_FORMAT, Buffer.from([0x00, 0x0f])]);
      streams.push(stream(STREAM_TYPE.metadataPes, TS_PIDS.id3, descriptor));
    }
    const info = Buffer.concat(programInfo);
    return Buffer.concat([
      Buffer.from([PROGRAM_NUMBER >> 8, PROGRAM_NUMBER & 0xff, 0xc1 | (this.pmtVersion << 1), 0x00, 0x00, 0xe0 | (pcrPid >> 8), pcrPid & 0xff, 0xf0 | (info.length >> 8), info.length & 0xff]),
      info,
      ...streams,
    ]);
  }

  /** One PSI section (table id + syntax) in one packet with pointer field, CRC and 0xFF stuffing. */
  private psiPacket(pid: number, tableId: number, body: Buffer): Buffer {
    const sectionLength = body.length + 4; // + CRC
    const section = Buffer.concat([Buffer.from([tableId, 0xb0 | (sectionLength >> 8), sectionLength & 0xff]), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32Mpeg2(section));
    const payload = Buffer.concat([Buffer.from([0]), section, crc]);
    if (payload.length > TS_PACKET_SIZE - 4) throw new TsFormatError('PSI section does not fit one packet');
    const packet = Buffer.alloc(TS_PACKET_SIZE, 0xff);
    packet[0] = 0x47;
    packet[1] = 0x40 | (pid >> 8);
    packet[2] = pid & 0xff;
    packet[3] = 0x10 | this.nextContinuity(pid);
    payload.copy(packet, 4);
    return packet;
  }

  private nextContinuity(pid: number): number {
    const value = this.continuity.get(pid) ?? 0;
    this.continuity.set(pid, (value + 1) & 0x0f);
    return value;
  }

  /** One video access unit (Annex B). PCR rides on its first packet; keyframes set random_access. */
  videoPes(annexB: Buffer, pts: number, dts: number, keyframe: boolean): Buffer {
    return this.packetize(TS_PIDS.video, this.pesPacket(STREAM_ID.video, annexB, pts, dts, false, true), { pcr: dts - PCR_LEAD_TICKS, randomAccess: keyframe });
  }

  /** One or more ADTS frames in one PES. */
  audioPes(adts: Buffer, pts: number): Buffer {
    const pcr = this.tracks.video ? undefined : pts - PCR_LEAD_TICKS;
    return this.packetize(TS_PIDS.audio, this.pesPacket(STREAM_ID.audio, adts, pts, undefined, false), { pcr, randomAccess: !this.tracks.video });
  }

  /** One ID3 tag as a timed-metadata PES (data_alignment set: the tag starts the payload). */
  id3Pes(tag: Buffer, pts: number): Buffer {
    return this.packetize(TS_PIDS.id3, this.pesPacket(STREAM_ID.privateStream1, tag, pts, undefined, true), {});
  }

  private pesPacket(streamId: number, payload: Buffer, pts: number, dts: number | undefined, aligned: boolean, unbounded = false): Buffer {
    const withDts = dts !== undefined && dts !== pts;
    const headerDataLength = withDts ? 10 : 5;
    const length = 3 + headerDataLength + payload.length;
    const header = Buffer.alloc(9 + headerDataLength);
    header.writeUIntBE(0x000001, 0, 3);
    header[3] = streamId;
    // Video may say 0 ("unbounded"); others must fit 16 bits, which 1 KB cues and audio always do.
    header.writeUInt16BE(unbounded || length > 0xffff ? 0 : length, 4);
    header[6] = 0x80 | (aligned ? 0x04 : 0);
    header[7] = withDts ? 0xc0 : 0x80;
    header[8] = headerDataLength;
    writeTimestamp(header, 9, withDts ? 0x3 : 0x2, pts);
    if (withDts) writeTimestamp(header, 14, 0x1, dts!);
    return Buffer.concat([header, payload]);
  }

  private packetize(pid: number, pes: Buffer, options: { pcr?: number; randomAccess?: boolean }): Buffer {
    const packets: Buffer[] = [];
    let offset = 0;
    let first = true;
    while (offset < pes.length) {
      const packet = Buffer.alloc(TS_PACKET_SIZE, 0xff);
      packet[0] = 0x47;
      packet[1] = (first ? 0x40 : 0) | (pid >> 8);
      packet[2] = pid & 0xff;
      // Adaptation field content (without its length byte) for this packet.
      let adaptation: Buffer | undefined;
      if (first && (options.pcr !== undefined || options.randomAccess)) {
        if (options.pcr !== undefined) {
          const base = ((options.pcr % WRAP_33) + WRAP_33) % WRAP_33;
          adaptation = Buffer.alloc(7);
          adaptation[0] = 0x10 | (options.randomAccess ? 0x40 : 0);
          adaptation.writeUInt32BE(Math.floor(base / 2), 1);
          adaptation[5] = ((base & 1) << 7) | 0x7e;
          adaptation[6] = 0;
        } else {
          adaptation = Buffer.from([0x40]);
        }
      }
      const room = TS_PACKET_SIZE - 4 - (adaptation ? adaptation.length + 1 : 0);
      const remaining = pes.length - offset;
      if (remaining < room) {
        // Stuff with adaptation-field 0xFF bytes so the payload ends the packet exactly.
        const stuffing = room - remaining;
        if (!adaptation) {
          adaptation = stuffing === 1 ? Buffer.alloc(0) : Buffer.concat([Buffer.from([0x00]), Buffer.alloc(stuffing - 2, 0xff)]);
        } else {
          adaptation = Buffer.concat([adaptation, Buffer.alloc(stuffing, 0xff)]);
        }
      }
      let at = 4;
      if (adaptation) {
        packet[3] = 0x30 | this.nextContinuity(pid);
        packet[4] = adaptation.length;
        adaptation.copy(packet, 5);
        at = 5 + adaptation.length;
      } else {
        packet[3] = 0x10 | this.nextContinuity(pid);
      }
      const take = TS_PACKET_SIZE - at;
      pes.copy(packet, at, offset, offset + take);
      offset += take;
      packets.push(packet);
      first = false;
    }
    return Buffer.concat(packets);
  }
}

function writeTimestamp(buffer: Buffer, offset: number, prefix: number, ticks: number): void {
  const value = ((ticks % WRAP_33) + WRAP_33) % WRAP_33;
  const high = Math.floor(value / 2 ** 30); // bits 32..30
  const mid = Math.floor(value / 2 ** 15) & 0x7fff; // bits 29..15
  const low = value & 0x7fff; // bits 14..0
  buffer[offset] = (prefix << 4) | (high << 1) | 1;
  buffer.writeUInt16BE((mid << 1) | 1, offset + 1);
  buffer.writeUInt16BE((low << 1) | 1, offset + 3);
}

function readTimestamp(buffer: Buffer, offset: number): number {
  const high = (buffer[offset]! >> 1) & 0x07;
  const mid = buffer.readUInt16BE(offset + 1) >> 1;
  const low = buffer.readUInt16BE(offset + 3) >> 1;
  return high * 2 ** 30 + mid * 2 ** 15 + low;
}

/* ------------------------------------------------------------------ demuxer (tests, checks) */

export interface TsPmtStream {
  pid: number;
  streamType: number;
  descriptorTags: number[];
}

export interface TsPes {
  pid: number;
  streamId: number;
  pts?: number;
  dts?: number;
  payload: Buffer;
  randomAccess: boolean;
}

export interface TsDemuxResult {
  pmtPid?: number;
  programInfoDescriptorTags: number[];
  streams: TsPmtStream[];
  pes: TsPes[];
  /** Packet index of every PAT (to check that parts start with tables). */
  patPacketIndexes: number[];
  continuityErrors: number;
}

/** Reads whole packets; returns every PES in order. Throws TsFormatError on lost sync. */
export function demuxTs(data: Buffer): TsDemuxResult {
  if (data.length % TS_PACKET_SIZE !== 0) throw new TsFormatError(`${data.length} bytes is not a whole number of TS packets`);
  const result: TsDemuxResult = { programInfoDescriptorTags: [], streams: [], pes: [], patPacketIndexes: [], continuityErrors: 0 };
  const open = new Map<number, { chunks: Buffer[]; randomAccess: boolean }>();
  const lastCc = new Map<number, number>();
  const finish = (pid: number) => {
    const pending = open.get(pid);
    if (!pending) return;
    open.delete(pid);
    const pes = Buffer.concat(pending.chunks);
    if (pes.length < 9 || pes.readUIntBE(0, 3) !== 1) throw new TsFormatError(`PES on PID ${pid} has no start code`);
    const flags = pes[7]!;
    const headerLength = pes[8]!;
    const entry: TsPes = { pid, streamId: pes[3]!, payload: pes.subarray(9 + headerLength), randomAccess: pending.randomAccess };
    if (flags & 0x80) entry.pts = readTimestamp(pes, 9);
    if ((flags & 0xc0) === 0xc0) entry.dts = readTimestamp(pes, 14);
    const declared = pes.readUInt16BE(4);
    if (declared !== 0) entry.payload = pes.subarray(9 + headerLength, 6 + declared);
    result.pes.push(entry);
  };
  for (let index = 0; index * TS_PACKET_SIZE < data.length; index++) {
    const packet = data.subarray(index * TS_PACKET_SIZE, (index + 1) * TS_PACKET_SIZE);
    if (packet[0] !== 0x47) throw new TsFormatError(`lost sync at packet ${index}`);
    const start = (packet[1]! & 0x40) !== 0;
    const pid = ((packet[1]! & 0x1f) << 8) | packet[2]!;
    const control = (packet[3]! >> 4) & 0x3;
    const cc = packet[3]! & 0x0f;
    if (control & 1) {
      const previous = lastCc.get(pid);
      if (previous !== undefined && ((previous + 1) & 0x0f) !== cc) result.continuityErrors++;
      lastCc.set(pid, cc);
    }
    let at = 4;
    let randomAccess = false;
    if (control & 2) {
      const length = packet[4]!;
      if (length > 0) randomAccess = (packet[5]! & 0x40) !== 0;
      at = 5 + length;
    }
    if (!(control & 1) || at >= TS_PACKET_SIZE) continue;
    const payload = packet.subarray(at);
    if (pid === TS_PIDS.pat) {
      result.patPacketIndexes.push(index);
      const section = payload.subarray(1 + payload[0]!);
      result.pmtPid = ((section[10]! & 0x1f) << 8) | section[11]!;
      continue;
    }
    if (pid === result.pmtPid) {
      const section = payload.subarray(1 + payload[0]!);
      const sectionLength = ((section[1]! & 0x0f) << 8) | section[2]!;
      const infoLength = ((section[10]! & 0x0f) << 8) | section[11]!;
      result.programInfoDescriptorTags = descriptorTags(section.subarray(12, 12 + infoLength));
      result.streams = [];
      let offset = 12 + infoLength;
      const end = 3 + sectionLength - 4;
      while (offset + 5 <= end) {
        const esInfoLength = ((section[offset + 3]! & 0x0f) << 8) | section[offset + 4]!;
        result.streams.push({
          streamType: section[offset]!,
          pid: ((section[offset + 1]! & 0x1f) << 8) | section[offset + 2]!,
          descriptorTags: descriptorTags(section.subarray(offset + 5, offset + 5 + esInfoLength)),
        });
        offset += 5 + esInfoLength;
      }
      continue;
    }
    if (start) {
      finish(pid);
      open.set(pid, { chunks: [Buffer.from(payload)], randomAccess });
    } else {
      open.get(pid)?.chunks.push(Buffer.from(payload));
    }
  }
  for (const pid of [...open.keys()]) finish(pid);
  return result;
}

function descriptorTags(data: Buffer): number[] {
  const tags: number[] = [];
  for (let offset = 0; offset + 2 <= data.length; offset += 2 + data[offset + 1]!) tags.push(data[offset]!);
  return tags;
}
