/**
 * AAC helpers for the media path: the FLV/RTMP audio tag header, the AudioSpecificConfig (ISO 14496-3
 * §1.6.2.1) carried by the AAC sequence-header tag, ADTS headers for raw AAC frames in MPEG-TS, and the
 * `mp4a.40.<objectType>` codec string IVS reports.
 *
 * Parsers read untrusted publisher bytes: they return a value or throw AacFormatError, nothing else.
 */

export class AacFormatError extends Error {
  override readonly name = 'AacFormatError';
}

export const AAC_SAMPLE_RATES = [96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350] as const;

/* ------------------------------------------------------------------ FLV audio tag header */

export type AacPacketType = 'sequence-header' | 'raw';

export interface FlvAudioTag {
  /** FLV SoundFormat; 10 = AAC. Others are reported so the ingest can refuse them by name. */
  soundFormat: number;
  aacPacketType?: AacPacketType;
  /** AudioSpecificConfig for sequence headers, one raw AAC frame otherwise; empty for non-AAC. */
  payload: Buffer;
}

export const FLV_SOUND_FORMAT_AAC = 10;

export function flvSoundFormatName(soundFormat: number): string {
  const names: Record<number, string> = {
    0: 'Linear PCM', 1: 'ADPCM', 2: 'MP3', 3: 'Linear PCM (little endian)', 4: 'Nellymoser 16 kHz', 5: 'Nellymoser 8 kHz', 6: 'Nellymoser',
    7: 'G.711 A-law', 8: 'G.711 mu-law', 10: 'AAC', 11: 'Speex', 14: 'MP3 8 kHz', 15: 'device-specific sound',
  };
  return names[soundFormat] ?? `unknown audio format ${soundFormat}`;
}

export function parseFlvAudioTag(data: Buffer): FlvAudioTag {
  if (data.length < 1) throw new AacFormatError('empty audio tag');
  const soundFormat = data[0]! >> 4;
  if (soundFormat !== FLV_SOUND_FORMAT_AAC) return { soundFormat, payload: Buffer.alloc(0) };
  if (data.length < 2) throw new AacFormatError('AAC audio tag has no packet type');
  const type = data[1]!;
  if (type > 1) throw new AacFormatError(`bad AAC packet type ${type}`);
  return { soundFormat, aacPacketType: type === 0 ? 'sequence-header' : 'raw', payload: data.subarray(2) };
}

/* ------------------------------------------------------------------ AudioSpecificConfig */

export interface AacConfig {
  /** Audio object type: 2 = AAC-LC, 5 = SBR (HE-AAC), 29 = PS (HE-AACv2). */
  objectType: number;
  sampleRateIndex: number;
  sampleRate: number;
  channelConfig: number;
  channels: number;
  /** The config bytes as received (for esds / init segments). */
  raw: Buffer;
}

class Bits {
  private bit = 0;
  constructor(private readonly data: Buffer) {}
  u(count: number): number {
    if (this.bit + count > this.data.length * 8) throw new AacFormatError('AudioSpecificConfig ends early');
    let value = 0;
    for (let i = 0; i < count; i++) {
      value = value * 2 + ((this.data[this.bit >> 3]! >> (7 - (this.bit & 7))) & 1);
      this.bit++;
    }
    return value;
  }
}

export function parseAudioSpecificConfig(config: Buffer): AacConfig {
  if (config.length < 2) throw new AacFormatError(`AudioSpecificConfig of ${config.length} bytes is too short`);
  const bits = new Bits(config);
  const readObjectType = () => {
    const type = bits.u(5);
    return type === 31 ? 32 + bits.u(6) : type;
  };
  const readRate = (): { index: number; rate: number } => {
    const index = bits.u(4);
    if (index === 15) return { index, rate: bits.u(24) };
    const rate = AAC_SAMPLE_RATES[index];
    if (rate === undefined) throw new AacFormatError(`reserved sampling frequency index ${index}`);
    return { index, rate };
  };
  let objectType = readObjectType();
  if (objectType === 0) throw new AacFormatError('audio object type 0 is not valid');
  const { index: sampleRateIndex, rate } = readRate();
  let sampleRate = rate;
  const channelConfig = bits.u(4);
  // Explicit SBR/PS signalling: the core is described after the extension rate.
  if (objectType === 5 || objectType === 29) {
    sampleRate = readRate().rate;
    objectType = readObjectType();
  }
  if (sampleRate <= 0 || sampleRate > 192000) throw new AacFormatError(`implausible sample rate ${sampleRate}`);
  const channels = channelConfig === 7 ? 8 : channelConfig;
  return { objectType, sampleRateIndex, sampleRate, channelConfig, channels, raw: Buffer.from(config) };
}

/** `mp4a.40.2` for AAC-LC, as IVS's ingest configuration reports. */
export function aacCodecString(objectType: number): string {
  return `mp4a.40.${objectType}`;
}

/** A minimal AAC-LC AudioSpecificConfig (2 bytes) for a rate index and channel configuration. */
export function buildAudioSpecificConfig(objectType: number, sampleRateIndex: number, channelConfig: number): Buffer {
  const value = ((objectType & 0x1f) << 11) | ((sampleRateIndex & 0x0f) << 7) | ((channelConfig & 0x0f) << 3);
  const out = Buffer.alloc(2);
  out.writeUInt16BE(value);
  return out;
}

/* ------------------------------------------------------------------ ADTS */

export const ADTS_HEADER_SIZE = 7;

/**
 * The 7-byte ADTS header (no CRC) that precedes each raw AAC frame in MPEG-TS. ADTS can only say
 * object types 1–4 and table sample rates, so explicit-rate or high object types are refused.
 */
export function buildAdtsHeader(config: Pick<AacConfig, 'objectType' | 'sampleRateIndex' | 'channelConfig'>, payloadLength: number): Buffer {
  if (config.objectType < 1 || config.objectType > 4) throw new AacFormatError(`ADTS cannot carry audio object type ${config.objectType}`);
  if (config.sampleRateIndex > 12) throw new AacFormatError('ADTS cannot carry an explicit sample rate');
  const frameLength = payloadLength + ADTS_HEADER_SIZE;
  if (frameLength > 0x1fff) throw new AacFormatError(`AAC frame of ${payloadLength} bytes is too large for ADTS`);
  const header = Buffer.alloc(ADTS_HEADER_SIZE);
  header[0] = 0xff;
  header[1] = 0xf1; // sync, MPEG-4, layer 0, no CRC
  header[2] = (((config.objectType - 1) & 0x03) << 6) | ((config.sampleRateIndex & 0x0f) << 2) | ((config.channelConfig >> 2) & 0x01);
  header[3] = ((config.channelConfig & 0x03) << 6) | ((frameLength >> 11) & 0x03);
  header[4] = (frameLength >> 3) & 0xff;
  header[5] = ((frameLength & 0x07) << 5) | 0x1f; // buffer fullness 0x7FF (VBR)
  header[6] = 0xfc; // fullness low bits, one raw data block
  return header;
}

export interface AdtsHeader {
  objectType: number;
  sampleRateIndex: number;
  channelConfig: number;
  frameLength: number;
  headerLength: number;
}

/** Reads an ADTS header (used by tests to check what the packager wrote). */
export function parseAdtsHeader(data: Buffer): AdtsHeader {
  if (data.length < ADTS_HEADER_SIZE) throw new AacFormatError('ADTS header truncated');
  if (data[0] !== 0xff || (data[1]! & 0xf0) !== 0xf0) throw new AacFormatError('no ADTS sync word');
  const protectionAbsent = data[1]! & 0x01;
  return {
    objectType: (data[2]! >> 6) + 1,
    sampleRateIndex: (data[2]! >> 2) & 0x0f,
    channelConfig: ((data[2]! & 0x01) << 2) | (data[3]! >> 6),
    frameLength: ((data[3]! & 0x03) << 11) | (data[4]! << 3) | (data[5]! >> 5),
    headerLength: protectionAbsent ? 7 : 9,
  };
}

/** Samples per AAC-LC frame; HE-AAC frames decode to twice this at the output rate. */
export const AAC_FRAME_SAMPLES = 1024;
