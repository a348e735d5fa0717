import { describe, expect, it } from 'vitest';
import { Amf0Error, AmfEcmaArray, amfEntries, decodeAmf0, encodeAmf0, type AmfValue } from './amf0';

describe('AMF0', () => {
  it('encodes a connect command byte for byte as the spec example lays it out', () => {
    const bytes = encodeAmf0('connect', 1, { app: 'app' });
    expect(bytes.toString('hex')).toBe(
      [
        '02', '0007', Buffer.from('connect').toString('hex'),
        '00', '3ff0000000000000',
        '03', '0003', Buffer.from('app').toString('hex'), '02', '0003', Buffer.from('app').toString('hex'), '000009',
      ].join(''),
    );
  });

  it('round-trips every type it writes', () => {
    const values: AmfValue[] = [
      'onStatus', 0, -1.5, true, false, null, undefined, '', 'ünïcødé',
      { level: 'status', code: 'NetStream.Publish.Start', nested: { deep: [1, 'two', null] } },
      new AmfEcmaArray({ width: 1280, height: 720, encoder: 'Lavf59.27.100' }),
      [1, 2, 3],
      new Date(1_700_000_000_000),
      'x'.repeat(70_000), // long string
    ];
    expect(decodeAmf0(encodeAmf0(...values))).toEqual(values);
  });

  it('reads a typed object, a reference and the unsupported marker', () => {
    const typed = Buffer.concat([
      Buffer.from([0x10, 0, 3]), Buffer.from('Foo'), Buffer.from([0, 1]), Buffer.from('a'), encodeAmf0(1), Buffer.from([0, 0, 9]),
      Buffer.from([0x07, 0, 0]),
      Buffer.from([0x0d]),
    ]);
    const [object, reference, unsupported] = decodeAmf0(typed);
    expect(object).toEqual({ a: 1 });
    expect(reference).toBe(object);
    expect(unsupported).toBeUndefined();
  });

  it('keeps an ECMA array (onMetaData) distinguishable and readable', () => {
    const [name, meta] = decodeAmf0(encodeAmf0('onMetaData', new AmfEcmaArray({ framerate: 30 })));
    expect(name).toBe('onMetaData');
    expect(meta).toBeInstanceOf(AmfEcmaArray);
    expect(amfEntries(meta!)).toEqual({ framerate: 30 });
  });

  it('rejects truncation, unknown markers, AMF3 and absurd sizes with Amf0Error', () => {
    const good = encodeAmf0({ code: 'NetStream.Publish.Start' });
    for (let cut = 1; cut < good.length; cut++) expect(() => decodeAmf0(good.subarray(0, cut))).toThrow(Amf0Error);
    expect(() => decodeAmf0(Buffer.from([0x42]))).toThrow(/unknown AMF0 type marker 0x42/);
    expect(() => decodeAmf0(Buffer.from([0x11, 0x01]))).toThrow(/AMF3/);
    expect(() => decodeAmf0(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff]))).toThrow(Amf0Error);
    expect(() => decodeAmf0(Buffer.from([0x07, 0, 5]))).toThrow(/reference/);
  });

  it('caps nesting so a hostile peer cannot exhaust the stack', () => {
    const deep = Buffer.concat([Buffer.alloc(10_000, 0x03).map((_, i) => (i % 4 === 0 ? 0x03 : [0, 1, 0x61][(i % 4) - 1]!))]);
    expect(() => decodeAmf0(deep)).toThrow(Amf0Error);
  });

  it('does not let a "__proto__" key from the wire reach the prototype', () => {
    const bytes = Buffer.concat([Buffer.from([0x03, 0, 9]), Buffer.from('__proto__'), encodeAmf0({ polluted: true }), Buffer.from([0, 0, 9])]);
    const [object] = decodeAmf0(bytes) as [Record<string, unknown>];
    expect(Object.getPrototypeOf(object)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(object)).toEqual(['__proto__']);
  });
});
