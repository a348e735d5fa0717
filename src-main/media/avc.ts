/**
 * H.264/AVC helpers for the media path: the FLV/RTMP video tag header, the AVCDecoderConfigurationRecord
 * (ISO 14496-15 §5.2.4.1) carried by the sequence-header tag, the SPS (ITU-T H.264 §7.3.2.1) for the
 * ingest configuration IVS reports (profile, level, resolution, frame rate), the `avc1.PPCCLL` codec
 * string, and AVCC (length-prefixed) ⇄ Annex B (start codes) conversion for MPEG-TS.
 *
 * Every parser here reads untrusted bytes from a publisher: it either returns a value or throws
 * AvcFormatError, never anything else, and never loops on garbage (fuzzed in avc.test.ts).
 */

export class AvcFormatError extends Error {
  override readonly name = 'AvcFormatError';
}

export const NAL_TYPE = {
  slice: 1,
  idr: 5,
  sei: 6,
  sps: 7,
  pps: 8,
  aud: 9,
} as const;

/* ------------------------------------------------------------------ FLV video tag header */

export type FlvVideoFrameType = 'keyframe' | 'inter' | 'disposable' | 'generated-keyframe' | 'info';
export type AvcPacketType = 'sequence-header' | 'nalu' | 'end-of-sequence';

export interface FlvAvcVideoTag {
  frameType: FlvVideoFrameType;
  /** FLV CodecID; 7 = AVC. Other codecs are reported so the ingest can refuse them by name. */
  codecId: number;
  packetType: AvcPacketType;
  /** Composition time offset in ms (PTS − DTS), signed 24-bit. */
  compositionTimeMs: number;
  /** AVCDecoderConfigurationRecord for sequence headers, length-prefixed NAL units otherwise. */
  payload: Buffer;
}

const FRAME_TYPES: Record<number, FlvVideoFrameType> = { 1: 'keyframe', 2: 'inter', 3: 'disposable', 4: 'generated-keyframe', 5: 'info' };
const PACKET_TYPES: Record<number, AvcPacketType> = { 0: 'sequence-header', 1: 'nalu', 2: 'end-of-sequence' };

export const FLV_CODEC_AVC = 7;

/** Human names for FLV video CodecIDs, for "non-H.264 input" errors. */
export function flvVideoCodecName(codecId: number): string {
  const names: Record<number, string> = { 2: 'Sorenson H.263', 3: 'Screen video', 4: 'VP6', 5: 'VP6 with alpha', 6: 'Screen video v2', 7: 'H.264/AVC', 12: 'HEVC (non-standard FLV)' };
  return names[codecId] ?? `unknown video codec ${codecId}`;
}

/**
 * Parses an FLV VIDEODATA body. Non-AVC codecs come back with codecId set and an empty payload, so the
 * caller can refuse them with a clear reason; enhanced-RTMP (ExVideoTagHeader) bodies throw.
 */
export function parseFlvVideoTag(data: Buffer): FlvAvcVideoTag {
  if (data.length < 1) throw new AvcFormatError('empty video tag');
  const first = data[0]!;
  if (first & 0x80) throw new AvcFormatError('enhanced RTMP video tags (HEVC/AV1/VP9) are not supported; send H.264');
  const frameType = FRAME_TYPES[first >> 4];
  if (!frameType) throw new AvcFormatError(`bad FLV video frame type ${first >> 4}`);
  const codecId = first & 0x0f;
  if (codecId !== FLV_CODEC_AVC) return { frameType, codecId, packetType: 'nalu', compositionTimeMs: 0, payload: Buffer.alloc(0) };
  if (data.length < 5) throw new AvcFormatError(`AVC video tag of ${data.length} bytes is shorter than its 5-byte header`);
  const packetType = PACKET_TYPES[data[1]!];
  if (!packetType) throw new AvcFormatError(`bad AVC packet type ${data[1]}`);
  const compositionTimeMs = (data.readUIntBE(2, 3) << 8) >> 8; // sign-extend 24 bits
  return { frameType, codecId, packetType, compositionTimeMs, payload: data.subarray(5) };
}

/* ------------------------------------------------------------------ decoder configuration record */

export interface AvcDecoderConfig {
  profileIdc: number;
  /** constraint_set flags byte ("profile compatibility"). */
  profileCompatibility: number;
  levelIdc: number;
  /** Bytes in each NAL length prefix (1, 2 or 4). */
  nalLengthSize: number;
  sps: Buffer[];
  pps: Buffer[];
}

export function parseAvcDecoderConfigurationRecord(record: Buffer): AvcDecoderConfig {
  if (record.length < 7) throw new AvcFormatError(`AVCDecoderConfigurationRecord of ${record.length} bytes is too short`);
  if (record[0] !== 1) throw new AvcFormatError(`AVCDecoderConfigurationRecord version ${record[0]} is not 1`);
  const nalLengthSize = (record[4]! & 0x03) + 1;
  if (nalLengthSize === 3) throw new AvcFormatError('NAL length size of 3 bytes is not allowed');
  let offset = 6;
  const readSet = (count: number, what: string): Buffer[] => {
    const out: Buffer[] = [];
    for (let i = 0; i < count; i++) {
      if (offset + 2 > record.length) throw new AvcFormatError(`AVCDecoderConfigurationRecord truncated in ${what} ${i}`);
      const size = record.readUInt16BE(offset);
      offset += 2;
      if (size === 0 || offset + size > record.length) throw new AvcFormatError(`${what} ${i} of ${size} bytes overruns the record`);
      out.push(Buffer.from(record.subarray(offset, offset + size)));
      offset += size;
    }
    return out;
  };
  const sps = readSet(record[5]! & 0x1f, 'SPS');
  if (offset >= record.length) throw new AvcFormatError('AVCDecoderConfigurationRecord has no PPS count');
  const ppsCount = record[offset]!;
  offset += 1;
  const pps = readSet(ppsCount, 'PPS');
  if (sps.length === 0) throw new AvcFormatError('AVCDecoderConfigurationRecord carries no SPS');
  if (pps.length === 0) throw new AvcFormatError('AVCDecoderConfigurationRecord carries no PPS');
  return { profileIdc: record[1]!, profileCompatibility: record[2]!, levelIdc: record[3]!, nalLengthSize, sps, pps };
}

/** `avc1.PPCCLL` from profile_idc, constraint flags and level_idc (RFC 6381 §3.3). */
export function avcCodecString(profileIdc: number, profileCompatibility: number, levelIdc: number): string {
  const hex = (n: number) => (n & 0xff).toString(16).padStart(2, '0').toUpperCase();
  return `avc1.${hex(profileIdc)}${hex(profileCompatibility)}${hex(levelIdc)}`;
}

/** IVS reports profile names as the encoder does ("Main", "High", …). */
export function avcProfileName(profileIdc: number, profileCompatibility = 0): string {
  switch (profileIdc) {
    case 66:
      return profileCompatibility & 0x40 ? 'Constrained Baseline' : 'Baseline';
    case 77:
      return 'Main';
    case 88:
      return 'Extended';
    case 100:
      return 'High';
    case 110:
      return 'High 10';
    case 122:
      return 'High 4:2:2';
    case 244:
      return 'High 4:4:4 Predictive';
    default:
      return `Profile ${profileIdc}`;
  }
}

/** level_idc 31 → "3.1"; level 1b (idc 11 with constraint_set3 in Baseline) → "1b". */
export function avcLevelName(levelIdc: number, profileIdc = 0, profileCompatibility = 0): string {
  if (levelIdc === 9 || (levelIdc === 11 && profileIdc === 66 && profileCompatibility & 0x10)) return '1b';
  return `${Math.floor(levelIdc / 10)}.${levelIdc % 10}`;
}

/* ------------------------------------------------------------------ SPS */

export interface AvcSpsInfo {
  profileIdc: number;
  profileCompatibility: number;
  levelIdc: number;
  chromaFormatIdc: number;
  bitDepthLuma: number;
  /** Display size after cropping. */
  width: number;
  height: number;
  /** From VUI timing (time_scale / (2 × num_units_in_tick)) when present. */
  frameRate?: number;
  /** Sample aspect ratio from VUI, when present. */
  sarWidth?: number;
  sarHeight?: number;
}

/** Strips emulation-prevention bytes (00 00 03 → 00 00) so the RBSP can be bit-read. */
export function nalToRbsp(nal: Buffer): Buffer {
  const out = Buffer.alloc(nal.length);
  let length = 0;
  let zeros = 0;
  for (let i = 0; i < nal.length; i++) {
    const byte = nal[i]!;
    if (zeros >= 2 && byte === 3) {
      zeros = 0;
      continue;
    }
    out[length++] = byte;
    zeros = byte === 0 ? zeros + 1 : 0;
  }
  return out.subarray(0, length);
}

/** MSB-first bit reader with exp-Golomb; overruns throw AvcFormatError. */
export class BitReader {
  private bit = 0;
  constructor(private readonly data: Buffer) {}

  get bitsLeft(): number {
    return this.data.length * 8 - this.bit;
  }

  u(count: number): number {
    if (count > this.bitsLeft) throw new AvcFormatError('SPS ends early (bit reader overrun)');
    let value = 0;
    for (let i = 0; i < count; i++) {
      const byte = this.data[this.bit >> 3]!;
      value = value * 2 + ((byte >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }

  flag(): boolean {
    return this.u(1) === 1;
  }

  ue(): number {
    let zeros = 0;
    while (this.u(1) === 0) {
      zeros++;
      if (zeros > 31) throw new AvcFormatError('exp-Golomb code longer than 32 bits');
    }
    return zeros === 0 ? 0 : 2 ** zeros - 1 + this.u(zeros);
  }

  se(): number {
    const k = this.ue();
    return k % 2 === 1 ? (k + 1) / 2 : -(k / 2);
  }

  skip(count: number): void {
    if (count > this.bitsLeft) throw new AvcFormatError('SPS ends early (bit reader overrun)');
    this.bit += count;
  }
}

const HIGH_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Aspect ratios for aspect_ratio_idc 1..16 (Table E-1). */
const SAR_TABLE: ReadonlyArray<readonly [number, number]> = [
  [1, 1], [12, 11], [10, 11], [16, 11], [40, 33], [24, 11], [20, 11], [32, 11], [80, 33], [18, 11], [15, 11], [64, 33], [160, 99], [4, 3], [3, 2], [2, 1],
];

/** Parses a sequence parameter set NAL unit (header byte included). */
export function parseSps(nal: Buffer): AvcSpsInfo {
  if (nal.length < 4) throw new AvcFormatError(`SPS of ${nal.length} bytes is too short`);
  if ((nal[0]! & 0x1f) !== NAL_TYPE.sps) throw new AvcFormatError(`NAL type ${nal[0]! & 0x1f} is not an SPS`);
  const r = new BitReader(nalToRbsp(nal.subarray(1)));
  const profileIdc = r.u(8);
  const profileCompatibility = r.u(8);
  const levelIdc = r.u(8);
  r.ue(); // seq_parameter_set_id
  let chromaFormatIdc = 1;
  let bitDepthLuma = 8;
  let separateColourPlane = false;
  if (HIGH_PROFILES.has(profileIdc)) {
    chromaFormatIdc = r.ue();
    if (chromaFormatIdc > 3) throw new AvcFormatError(`bad chroma_format_idc ${chromaFormatIdc}`);
    if (chromaFormatIdc === 3) separateColourPlane = r.flag();
    bitDepthLuma = r.ue() + 8;
    r.ue(); // bit_depth_chroma_minus8
    r.skip(1); // qpprime_y_zero_transform_bypass_flag
    if (r.flag()) {
      const lists = chromaFormatIdc === 3 ? 12 : 8;
      for (let i = 0; i < lists; i++) {
        if (r.flag()) skipScalingList(r, i < 6 ? 16 : 64);
      }
    }
  }
  r.ue(); // log2_max_frame_num_minus4
  const picOrderCntType = r.ue();
  if (picOrderCntType === 0) {
    r.ue(); // log2_max_pic_order_cnt_lsb_minus4
  } else if (picOrderCntType === 1) {
    r.skip(1);
    r.se();
    r.se();
    const cycle = r.ue();
    if (cycle > 255) throw new AvcFormatError(`bad num_ref_frames_in_pic_order_cnt_cycle ${cycle}`);
    for (let i = 0; i < cycle; i++) r.se();
  } else if (picOrderCntType !== 2) {
    throw new AvcFormatError(`bad pic_order_cnt_type ${picOrderCntType}`);
  }
  r.ue(); // max_num_ref_frames
  r.skip(1); // gaps_in_frame_num_value_allowed_flag
  const widthInMbs = r.ue() + 1;
  const heightInMapUnits = r.ue() + 1;
  const frameMbsOnly = r.flag();
  if (!frameMbsOnly) r.skip(1); // mb_adaptive_frame_field_flag
  r.skip(1); // direct_8x8_inference_flag
  let cropLeft = 0;
  let cropRight = 0;
  let cropTop = 0;
  let cropBottom = 0;
  if (r.flag()) {
    cropLeft = r.ue();
    cropRight = r.ue();
    cropTop = r.ue();
    cropBottom = r.ue();
  }
  const chromaArrayType = separateColourPlane ? 0 : chromaFormatIdc;
  const subWidthC = chromaArrayType === 1 || chromaArrayType === 2 ? 2 : 1;
  const subHeightC = chromaArrayType === 1 ? 2 : 1;
  const cropUnitX = chromaArrayType === 0 ? 1 : subWidthC;
  const cropUnitY = (chromaArrayType === 0 ? 1 : subHeightC) * (frameMbsOnly ? 1 : 2);
  const width = widthInMbs * 16 - cropUnitX * (cropLeft + cropRight);
  const height = (frameMbsOnly ? 1 : 2) * heightInMapUnits * 16 - cropUnitY * (cropTop + cropBottom);
  if (width <= 0 || height <= 0 || width > 16384 || height > 16384) throw new AvcFormatError(`implausible picture size ${width}x${height}`);

  const info: AvcSpsInfo = { profileIdc, profileCompatibility, levelIdc, chromaFormatIdc, bitDepthLuma, width, height };
  // VUI is optional; a truncated VUI still leaves a usable size, so keep what was read.
  try {
    if (r.flag()) readVui(r, info);
  } catch (error) {
    if (!(error instanceof AvcFormatError)) throw error;
  }
  return info;
}

function skipScalingList(r: BitReader, size: number): void {
  let last = 8;
  let next = 8;
  for (let j = 0; j < size; j++) {
    if (next !== 0) {
      const delta = r.se();
      next = (last + delta + 256) % 256;
    }
    last = next === 0 ? last : next;
  }
}

function readVui(r: BitReader, info: AvcSpsInfo): void {
  if (r.flag()) {
    const aspectRatioIdc = r.u(8);
    if (aspectRatioIdc === 255) {
      info.sarWidth = r.u(16);
      info.sarHeight = r.u(16);
    } else if (aspectRatioIdc >= 1 && aspectRatioIdc <= 16) {
      [info.sarWidth, info.sarHeight] = SAR_TABLE[aspectRatioIdc - 1]!;
    }
  }
  if (r.flag()) r.skip(1); // overscan
  if (r.flag()) {
    r.skip(4); // video_format + video_full_range_flag
    if (r.flag()) r.skip(24); // colour description
  }
  if (r.flag()) {
    r.ue();
    r.ue(); // chroma sample locations
  }
  if (r.flag()) {
    const numUnitsInTick = r.u(32);
    const timeScale = r.u(32);
    if (numUnitsInTick > 0 && timeScale > 0) {
      const fps = timeScale / (2 * numUnitsInTick);
      // Round to 3 decimals: 30000/1001 → 29.97.
      if (fps > 0 && fps <= 1000) info.frameRate = Math.round(fps * 1000) / 1000;
    }
  }
}

/* ------------------------------------------------------------------ NAL units */

/** NAL units of a length-prefixed (AVCC) access unit. Throws on a length that overruns the buffer. */
export function splitAvccNalUnits(data: Buffer, nalLengthSize: number): Buffer[] {
  if (nalLengthSize !== 1 && nalLengthSize !== 2 && nalLengthSize !== 4) throw new AvcFormatError(`bad NAL length size ${nalLengthSize}`);
  const out: Buffer[] = [];
  let offset = 0;
  while (offset < data.length) {
    if (offset + nalLengthSize > data.length) throw new AvcFormatError('NAL length prefix truncated');
    const size = data.readUIntBE(offset, nalLengthSize);
    offset += nalLengthSize;
    if (offset + size > data.length) throw new AvcFormatError(`NAL unit of ${size} bytes overruns the ${data.length}-byte access unit`);
    if (size > 0) out.push(data.subarray(offset, offset + size));
    offset += size;
  }
  return out;
}

/** NAL units of an Annex B byte stream (00 00 01 / 00 00 00 01 start codes). */
export function splitAnnexBNalUnits(data: Buffer): Buffer[] {
  const starts: Array<{ at: number; codeLength: number }> = [];
  for (let i = 0; i + 2 < data.length; i++) {
    if (data[i] === 0 && data[i + 1] === 0 && data[i + 2] === 1) {
      const fourByte = i > 0 && data[i - 1] === 0;
      starts.push({ at: fourByte ? i - 1 : i, codeLength: fourByte ? 4 : 3 });
      i += 2;
    }
  }
  const out: Buffer[] = [];
  for (let k = 0; k < starts.length; k++) {
    const begin = starts[k]!.at + starts[k]!.codeLength;
    const end = k + 1 < starts.length ? starts[k + 1]!.at : data.length;
    if (end > begin) out.push(data.subarray(begin, end));
  }
  return out;
}

export function nalType(nal: Buffer): number {
  return nal.length > 0 ? nal[0]! & 0x1f : -1;
}

export function containsIdr(nals: readonly Buffer[]): boolean {
  return nals.some((nal) => nalType(nal) === NAL_TYPE.idr);
}

const START_CODE = Buffer.from([0, 0, 0, 1]);
const AUD_NAL = Buffer.from([0x09, 0xf0]);

/**
 * One access unit in Annex B for MPEG-TS: an access unit delimiter first (required by H.222 for AVC in
 * TS), then SPS+PPS ahead of IDR pictures when the access unit lacks them (players joining at a keyframe
 * need them in-band), then the NAL units with 4-byte start codes.
 */
export function avccToAnnexB(data: Buffer, nalLengthSize: number, parameterSets?: { sps: readonly Buffer[]; pps: readonly Buffer[] }): Buffer {
  const nals = splitAvccNalUnits(data, nalLengthSize).filter((nal) => nalType(nal) !== NAL_TYPE.aud);
  const parts: Buffer[] = [START_CODE, AUD_NAL];
  if (parameterSets && containsIdr(nals) && !nals.some((nal) => nalType(nal) === NAL_TYPE.sps)) {
    for (const nal of [...parameterSets.sps, ...parameterSets.pps]) parts.push(START_CODE, nal);
  }
  for (const nal of nals) parts.push(START_CODE, nal);
  return Buffer.concat(parts);
}

/** Annex B → 4-byte length-prefixed (for fMP4 samples). */
export function annexBToAvcc(data: Buffer): Buffer {
  const nals = splitAnnexBNalUnits(data);
  const parts: Buffer[] = [];
  for (const nal of nals) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(nal.length);
    parts.push(length, nal);
  }
  return Buffer.concat(parts);
}

/** Re-prefixes AVCC NAL units with 4-byte lengths (fMP4 init always declares lengthSizeMinusOne = 3). */
export function normalizeAvccLengths(data: Buffer, nalLengthSize: number): Buffer {
  if (nalLengthSize === 4) return data;
  const parts: Buffer[] = [];
  for (const nal of splitAvccNalUnits(data, nalLengthSize)) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(nal.length);
    parts.push(length, nal);
  }
  return Buffer.concat(parts);
}

/** Builds an AVCDecoderConfigurationRecord (lengthSizeMinusOne = 3) from parameter sets. */
export function buildAvcDecoderConfigurationRecord(sps: readonly Buffer[], pps: readonly Buffer[]): Buffer {
  const first = sps[0];
  if (!first || first.length < 4) throw new AvcFormatError('an AVC configuration needs an SPS');
  const parts: Buffer[] = [Buffer.from([1, first[1]!, first[2]!, first[3]!, 0xff, 0xe0 | sps.length])];
  for (const nal of sps) parts.push(u16(nal.length), nal);
  parts.push(Buffer.from([pps.length]));
  for (const nal of pps) parts.push(u16(nal.length), nal);
  return Buffer.concat(parts);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}
