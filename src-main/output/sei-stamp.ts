/**
 * Latency stamps: the publisher puts the wall-clock time into the video as an H.264 SEI message
 * (payload type 5, user_data_unregistered, ITU-T H.264 §D.1.7) under a UUID of ours, so any player
 * downstream — hls.js raises them as FRAG_PARSING_USERDATA, ffmpeg keeps them as side data — can compute
 * glass-to-glass latency as (its own clock − the stamp), given both clocks are synchronised.
 *
 * The user data is the time as ASCII decimal milliseconds since the Unix epoch ("1764412800123"):
 * hls.js hands it over already decoded as `userData`, so a player needs only `Number(sample.userData)`.
 *
 * The SEI goes into the FLV video tag's AVCC (length-prefixed) NAL units, just before the first slice,
 * so it belongs to that access unit (SEI must precede the first VCL NAL unit, §7.4.1.2.3).
 */
import { NAL_TYPE, nalToRbsp, splitAvccNalUnits } from '../media/avc';

/** Ours: never change it, players in the field match on it. */
export const STUDIO_SEI_UUID = '7308d79e-43ce-4e16-997e-0438fe841425';
export const STUDIO_SEI_UUID_BYTES = uuidBytes(STUDIO_SEI_UUID);

const SEI_PAYLOAD_USER_DATA_UNREGISTERED = 5;
/** forbidden_zero_bit 0, nal_ref_idc 0 (SEI is never a reference), nal_unit_type 6. */
const SEI_NAL_HEADER = NAL_TYPE.sei;

export function uuidBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(hex)) throw new Error(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

/**
 * RBSP → NAL payload: wherever two zero bytes would be followed by a byte ≤ 3, an emulation-prevention
 * 0x03 goes in between, so no start code (00 00 01) can appear inside the NAL unit (§7.4.1).
 */
export function addEmulationPrevention(rbsp: Buffer): Buffer {
  const out = Buffer.alloc(rbsp.length + Math.ceil(rbsp.length / 2));
  let length = 0;
  let zeros = 0;
  for (const byte of rbsp) {
    if (zeros >= 2 && byte <= 3) {
      out[length++] = 3;
      zeros = 0;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

/** SEI payloadType / payloadSize: a run of 0xFF bytes then the remainder (§7.3.2.3.1). */
function seiVarint(value: number): number[] {
  const bytes: number[] = [];
  while (value >= 255) {
    bytes.push(0xff);
    value -= 255;
  }
  bytes.push(value);
  return bytes;
}

/** A complete SEI NAL unit (header byte included, emulation prevention applied) carrying one stamp. */
export function buildTimestampSeiNal(wallClockMs: number, uuid: Buffer = STUDIO_SEI_UUID_BYTES): Buffer {
  if (!Number.isSafeInteger(wallClockMs) || wallClockMs < 0) throw new Error(`bad wall-clock time ${wallClockMs}`);
  return buildUserDataSeiNal(uuid, Buffer.from(String(wallClockMs), 'ascii'));
}

/** A complete SEI NAL unit with one user_data_unregistered message. */
export function buildUserDataSeiNal(uuid: Buffer, userData: Buffer): Buffer {
  if (uuid.length !== 16) throw new Error(`a SEI UUID has 16 bytes, not ${uuid.length}`);
  const payload = Buffer.concat([uuid, userData]);
  const rbsp = Buffer.concat([
    Buffer.from([...seiVarint(SEI_PAYLOAD_USER_DATA_UNREGISTERED), ...seiVarint(payload.length)]),
    payload,
    Buffer.from([0x80]), // rbsp_trailing_bits: stop bit, then byte alignment
  ]);
  return Buffer.concat([Buffer.from([SEI_NAL_HEADER]), addEmulationPrevention(rbsp)]);
}

function isVcl(nal: Buffer): boolean {
  const type = nal[0]! & 0x1f;
  return type >= 1 && type <= 5;
}

/**
 * The FLV video tag body with a stamp inserted before its first slice. Tags that are not AVC NALU
 * packets (sequence headers, end of sequence, other codecs) or carry no slice come back unchanged.
 * Throws AvcFormatError when the NAL lengths do not add up (the caller drops the stamp, not the frame).
 */
export function stampVideoTag(data: Buffer, wallClockMs: number, nalLengthSize = 4, uuid: Buffer = STUDIO_SEI_UUID_BYTES): Buffer {
  // FLV VideoTagHeader: frame type | codec id (7 = AVC), then AVCPacketType (1 = NALU), then 24-bit CTS.
  if (data.length < 5 || (data[0]! & 0x0f) !== 7 || data[1] !== 1) return data;
  const body = data.subarray(5);
  const nals = splitAvccNalUnits(body, nalLengthSize);
  const firstSlice = nals.findIndex(isVcl);
  if (firstSlice < 0) return data;
  const sei = buildTimestampSeiNal(wallClockMs, uuid);
  if (sei.length >= 2 ** (8 * nalLengthSize)) return data;
  // Where the first slice's length prefix starts (walking prefixes: empty NAL units are not in `nals`).
  const insertAt = offsetOfNal(body, nalLengthSize, firstSlice);
  const prefix = Buffer.alloc(nalLengthSize);
  prefix.writeUIntBE(sei.length, 0, nalLengthSize);
  return Buffer.concat([data.subarray(0, 5), body.subarray(0, insertAt), prefix, sei, body.subarray(insertAt)]);
}

/** Byte offset (of the length prefix) of the n-th non-empty NAL unit in an AVCC body. */
function offsetOfNal(body: Buffer, nalLengthSize: number, index: number): number {
  let offset = 0;
  let seen = 0;
  while (offset < body.length) {
    const size = body.readUIntBE(offset, nalLengthSize);
    if (size > 0) {
      if (seen === index) return offset;
      seen++;
    }
    offset += nalLengthSize + size;
  }
  return body.length;
}

export interface SeiUserData {
  uuid: string;
  data: Buffer;
}

/** All user_data_unregistered messages in one SEI NAL unit (header byte included). Malformed → what parsed. */
export function readUserDataUnregistered(nal: Buffer): SeiUserData[] {
  if (nal.length < 2 || (nal[0]! & 0x1f) !== NAL_TYPE.sei) return [];
  const rbsp = nalToRbsp(nal.subarray(1));
  const out: SeiUserData[] = [];
  let offset = 0;
  // A message needs at least type, size and one byte; the last byte is the trailing 0x80.
  while (offset + 2 < rbsp.length) {
    let type = 0;
    while (offset < rbsp.length && rbsp[offset] === 0xff) (type += 255), offset++;
    type += rbsp[offset++] ?? 0;
    let size = 0;
    while (offset < rbsp.length && rbsp[offset] === 0xff) (size += 255), offset++;
    size += rbsp[offset++] ?? 0;
    if (offset + size > rbsp.length) break;
    if (type === SEI_PAYLOAD_USER_DATA_UNREGISTERED && size >= 16) {
      const uuid = rbsp.subarray(offset, offset + 16).toString('hex');
      out.push({
        uuid: `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-${uuid.slice(12, 16)}-${uuid.slice(16, 20)}-${uuid.slice(20)}`,
        data: Buffer.from(rbsp.subarray(offset + 16, offset + size)),
      });
    }
    offset += size;
  }
  return out;
}

/** Our wall-clock stamps in one SEI NAL unit (usually one). */
export function readStudioStamps(nal: Buffer): number[] {
  return readUserDataUnregistered(nal)
    .filter((m) => m.uuid === STUDIO_SEI_UUID)
    .map((m) => Number(m.data.toString('ascii')))
    .filter((ms) => Number.isSafeInteger(ms));
}

/** Our stamps in a list of NAL units (from AVCC or Annex B). */
export function readStudioStampsFromNals(nals: readonly Buffer[]): number[] {
  return nals.filter((nal) => nal.length > 0 && (nal[0]! & 0x1f) === NAL_TYPE.sei).flatMap(readStudioStamps);
}
