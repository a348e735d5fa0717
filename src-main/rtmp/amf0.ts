/**
 * AMF0 (Action Message Format 0), the encoding of RTMP command and data messages (types 20 and 18)
 * and of FLV script tags. Written for both ends of the wire: the local channel's ingest decodes what
 * ffmpeg/OBS send, the studio's publisher encodes its own commands.
 *
 * Decoding is defensive: input comes from the network, so every read is bounds-checked, nesting is
 * capped and any malformation throws Amf0Error (never a RangeError or a hang).
 */

/** An ECMA array keeps its AMF0 type on re-encoding (onMetaData is one). */
export class AmfEcmaArray {
  constructor(readonly entries: Record<string, AmfValue> = {}) {}
}

export type AmfObject = { [key: string]: AmfValue };
export type AmfValue = number | boolean | string | null | undefined | Date | AmfValue[] | AmfObject | AmfEcmaArray;

export class Amf0Error extends Error {
  override readonly name = 'Amf0Error';
}

const enum Marker {
  Number = 0x00,
  Boolean = 0x01,
  String = 0x02,
  Object = 0x03,
  MovieClip = 0x04,
  Null = 0x05,
  Undefined = 0x06,
  Reference = 0x07,
  EcmaArray = 0x08,
  ObjectEnd = 0x09,
  StrictArray = 0x0a,
  Date = 0x0b,
  LongString = 0x0c,
  Unsupported = 0x0d,
  RecordSet = 0x0e,
  XmlDocument = 0x0f,
  TypedObject = 0x10,
  AvmPlusObject = 0x11,
}

/** Real command objects nest two or three levels; anything deeper is an attack or garbage. */
const MAX_DEPTH = 32;
/** Caps element counts read from the wire before any allocation. */
const MAX_ELEMENTS = 65_536;

// ---------------------------------------------------------------------------------------------
// Decoding

export class Amf0Reader {
  private offset = 0;
  /** Objects seen so far, for reference markers (0x07). */
  private readonly references: AmfValue[] = [];

  constructor(private readonly buffer: Buffer, start = 0) {
    this.offset = start;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  /** Reads one value. */
  read(): AmfValue {
    return this.readValue(0);
  }

  /** Reads values until the buffer ends (a command message is a sequence of values). */
  readAll(): AmfValue[] {
    const values: AmfValue[] = [];
    while (this.remaining > 0) values.push(this.read());
    return values;
  }

  private need(bytes: number): void {
    if (this.offset + bytes > this.buffer.length) throw new Amf0Error(`AMF0 value truncated at byte ${this.offset} (need ${bytes} more)`);
  }

  private u8(): number {
    this.need(1);
    return this.buffer[this.offset++]!;
  }

  private u16(): number {
    this.need(2);
    const v = this.buffer.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }

  private u32(): number {
    this.need(4);
    const v = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return v;
  }

  private f64(): number {
    this.need(8);
    const v = this.buffer.readDoubleBE(this.offset);
    this.offset += 8;
    return v;
  }

  private utf8(length: number): string {
    this.need(length);
    const s = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return s;
  }

  private readValue(depth: number): AmfValue {
    if (depth > MAX_DEPTH) throw new Amf0Error(`AMF0 nesting deeper than ${MAX_DEPTH}`);
    const marker = this.u8();
    switch (marker) {
      case Marker.Number:
        return this.f64();
      case Marker.Boolean:
        return this.u8() !== 0;
      case Marker.String:
        return this.utf8(this.u16());
      case Marker.LongString:
      case Marker.XmlDocument:
        return this.utf8(this.u32());
      case Marker.Object: {
        const object: AmfObject = {};
        this.references.push(object);
        this.readProperties(object, depth);
        return object;
      }
      case Marker.TypedObject: {
        this.utf8(this.u16()); // class name: irrelevant to RTMP commands
        const object: AmfObject = {};
        this.references.push(object);
        this.readProperties(object, depth);
        return object;
      }
      case Marker.EcmaArray: {
        this.u32(); // the count is advisory; the object-end marker is authoritative
        const array = new AmfEcmaArray();
        this.references.push(array);
        this.readProperties(array.entries, depth);
        return array;
      }
      case Marker.StrictArray: {
        const count = this.u32();
        if (count > MAX_ELEMENTS || count > this.remaining) throw new Amf0Error(`AMF0 strict array claims ${count} elements`);
        const array: AmfValue[] = [];
        this.references.push(array);
        for (let i = 0; i < count; i++) array.push(this.readValue(depth + 1));
        return array;
      }
      case Marker.Date: {
        const ms = this.f64();
        this.u16(); // time zone: reserved, should be 0
        return new Date(ms);
      }
      case Marker.Null:
        return null;
      case Marker.Undefined:
      case Marker.Unsupported:
        return undefined;
      case Marker.Reference: {
        const index = this.u16();
        if (index >= this.references.length) throw new Amf0Error(`AMF0 reference ${index} to an unknown object`);
        return this.references[index];
      }
      case Marker.AvmPlusObject:
        throw new Amf0Error('AMF3 values are not supported in AMF0 messages');
      default:
        throw new Amf0Error(`unknown AMF0 type marker 0x${marker.toString(16)} at byte ${this.offset - 1}`);
    }
  }

  private readProperties(target: Record<string, AmfValue>, depth: number): void {
    for (let count = 0; ; count++) {
      if (count > MAX_ELEMENTS) throw new Amf0Error('AMF0 object has too many properties');
      const key = this.utf8(this.u16());
      if (key === '') {
        // Empty key + object-end marker closes the object.
        const end = this.u8();
        if (end !== Marker.ObjectEnd) throw new Amf0Error(`AMF0 object property with an empty name (marker 0x${end.toString(16)})`);
        return;
      }
      const value = this.readValue(depth + 1);
      // Own-property define: a key like "__proto__" from the wire must not reach the prototype.
      Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
    }
  }
}

export function decodeAmf0(buffer: Buffer): AmfValue[] {
  return new Amf0Reader(buffer).readAll();
}

// ---------------------------------------------------------------------------------------------
// Encoding

export function encodeAmf0(...values: AmfValue[]): Buffer {
  const parts: Buffer[] = [];
  for (const value of values) writeValue(parts, value, 0);
  return Buffer.concat(parts);
}

function marker(m: number): Buffer {
  return Buffer.from([m]);
}

function writeKey(parts: Buffer[], key: string): void {
  const bytes = Buffer.from(key, 'utf8');
  if (bytes.length > 0xffff) throw new Amf0Error(`AMF0 property name longer than 65535 bytes`);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  parts.push(len, bytes);
}

function writeProperties(parts: Buffer[], entries: Record<string, AmfValue>, depth: number): void {
  for (const [key, value] of Object.entries(entries)) {
    writeKey(parts, key);
    writeValue(parts, value, depth + 1);
  }
  parts.push(Buffer.from([0, 0, Marker.ObjectEnd]));
}

function writeValue(parts: Buffer[], value: AmfValue, depth: number): void {
  if (depth > MAX_DEPTH) throw new Amf0Error(`AMF0 nesting deeper than ${MAX_DEPTH}`);
  if (value === null) return void parts.push(marker(Marker.Null));
  if (value === undefined) return void parts.push(marker(Marker.Undefined));
  if (typeof value === 'number') {
    const b = Buffer.alloc(9);
    b[0] = Marker.Number;
    b.writeDoubleBE(value, 1);
    return void parts.push(b);
  }
  if (typeof value === 'boolean') return void parts.push(Buffer.from([Marker.Boolean, value ? 1 : 0]));
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    if (bytes.length <= 0xffff) {
      const head = Buffer.alloc(3);
      head[0] = Marker.String;
      head.writeUInt16BE(bytes.length, 1);
      parts.push(head, bytes);
    } else {
      const head = Buffer.alloc(5);
      head[0] = Marker.LongString;
      head.writeUInt32BE(bytes.length, 1);
      parts.push(head, bytes);
    }
    return;
  }
  if (value instanceof Date) {
    const b = Buffer.alloc(11);
    b[0] = Marker.Date;
    b.writeDoubleBE(value.getTime(), 1);
    return void parts.push(b);
  }
  if (Array.isArray(value)) {
    const head = Buffer.alloc(5);
    head[0] = Marker.StrictArray;
    head.writeUInt32BE(value.length, 1);
    parts.push(head);
    for (const item of value) writeValue(parts, item, depth + 1);
    return;
  }
  if (value instanceof AmfEcmaArray) {
    const head = Buffer.alloc(5);
    head[0] = Marker.EcmaArray;
    head.writeUInt32BE(Object.keys(value.entries).length, 1);
    parts.push(head);
    writeProperties(parts, value.entries, depth);
    return;
  }
  parts.push(marker(Marker.Object));
  writeProperties(parts, value, depth);
}

// ---------------------------------------------------------------------------------------------
// Helpers for reading loosely typed command objects

/** The properties of an object or ECMA array (onMetaData arrives as either). */
export function amfEntries(value: AmfValue): Record<string, AmfValue> | undefined {
  if (value instanceof AmfEcmaArray) return value.entries;
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date)) return value;
  return undefined;
}

export function amfString(value: AmfValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function amfNumber(value: AmfValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
