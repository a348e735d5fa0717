/**
 * Windows .ico and macOS .icns containers holding PNG images. Both formats accept PNG payloads
 * (ICO since Windows Vista, ICNS since macOS 10.7), so no bitmap encoding is needed: the icons are
 * rendered to PNG once and packed here. Decoders exist so tests can check the checked-in files.
 */

export interface PngInfo {
  width: number;
  height: number;
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's IHDR chunk; throws when the buffer is not a PNG. */
export function readPngInfo(data: Buffer): PngInfo {
  if (data.length < 24 || !data.subarray(0, 8).equals(pngSignature) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG image (bad signature or missing IHDR)');
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

export interface IcoEntry {
  size: number;
  png: Buffer;
}

/** ICONDIR + one 16-byte ICONDIRENTRY per image, then the PNG payloads. */
export function encodeIco(entries: IcoEntry[]): Buffer {
  const header = Buffer.alloc(6 + 16 * entries.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // 1 = icon
  header.writeUInt16LE(entries.length, 4);
  let offset = header.length;
  entries.forEach((entry, index) => {
    const { width, height } = readPngInfo(entry.png);
    if (width !== entry.size || height !== entry.size || entry.size > 256) {
      throw new Error(`ico entry ${index}: expected a ${entry.size}px square PNG ≤ 256px, got ${width}x${height}`);
    }
    const at = 6 + 16 * index;
    header.writeUInt8(entry.size === 256 ? 0 : entry.size, at); // 0 means 256
    header.writeUInt8(entry.size === 256 ? 0 : entry.size, at + 1);
    header.writeUInt8(0, at + 2); // no palette
    header.writeUInt8(0, at + 3);
    header.writeUInt16LE(1, at + 4); // colour planes
    header.writeUInt16LE(32, at + 6); // bits per pixel
    header.writeUInt32LE(entry.png.length, at + 8);
    header.writeUInt32LE(offset, at + 12);
    offset += entry.png.length;
  });
  return Buffer.concat([header, ...entries.map((e) => e.png)]);
}

export function decodeIco(data: Buffer): IcoEntry[] {
  if (data.length < 6 || data.readUInt16LE(0) !== 0 || data.readUInt16LE(2) !== 1) throw new Error('not an .ico file');
  const count = data.readUInt16LE(4);
  const entries: IcoEntry[] = [];
  for (let index = 0; index < count; index++) {
    const at = 6 + 16 * index;
    const size = data.readUInt8(at) || 256;
    const length = data.readUInt32LE(at + 8);
    const offset = data.readUInt32LE(at + 12);
    if (offset + length > data.length) throw new Error(`ico entry ${index} runs past the end of the file`);
    entries.push({ size, png: data.subarray(offset, offset + length) });
  }
  return entries;
}

/** ICNS element types that carry PNG data, with the pixel size each one must have. */
export const icnsPngTypes = {
  icp4: 16,
  icp5: 32,
  ic11: 32, // 16pt @2x
  icp6: 64,
  ic12: 64, // 32pt @2x
  ic07: 128,
  ic08: 256,
  ic13: 256, // 128pt @2x
  ic09: 512,
  ic14: 512, // 256pt @2x
  ic10: 1024, // 512pt @2x
} as const;

export type IcnsType = keyof typeof icnsPngTypes;

export interface IcnsElement {
  type: IcnsType;
  png: Buffer;
}

/** 'icns' + total length, then per element: 4-char type, length including its 8-byte header, data. */
export function encodeIcns(elements: IcnsElement[]): Buffer {
  const parts: Buffer[] = [];
  for (const element of elements) {
    const expected = icnsPngTypes[element.type];
    const { width, height } = readPngInfo(element.png);
    if (width !== expected || height !== expected) {
      throw new Error(`icns ${element.type}: expected ${expected}x${expected}, got ${width}x${height}`);
    }
    const head = Buffer.alloc(8);
    head.write(element.type, 0, 'latin1');
    head.writeUInt32BE(element.png.length + 8, 4);
    parts.push(head, element.png);
  }
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'latin1');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

export function decodeIcns(data: Buffer): { type: string; data: Buffer }[] {
  if (data.length < 8 || data.toString('latin1', 0, 4) !== 'icns') throw new Error('not an .icns file');
  if (data.readUInt32BE(4) !== data.length) throw new Error('icns length field does not match the file size');
  const elements: { type: string; data: Buffer }[] = [];
  for (let at = 8; at < data.length; ) {
    const type = data.toString('latin1', at, at + 4);
    const length = data.readUInt32BE(at + 4);
    if (length < 8 || at + length > data.length) throw new Error(`icns element ${type} has a bad length`);
    elements.push({ type, data: data.subarray(at + 8, at + length) });
    at += length;
  }
  return elements;
}
