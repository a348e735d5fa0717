import { describe, expect, it } from 'vitest';
import { IVS_METADATA_OWNER, Id3FormatError, buildId3Frame, buildId3Tag, buildIvsMetadataTag, buildPrivFrame, parseId3Tag } from './id3';

describe('ID3v2.4 tags for timed metadata', () => {
  it('wraps a PutMetadata payload in a PRIV frame owned by metadata.live-video.net', () => {
    const text = '{"question":"¿Qué tal? 🎉","n":1}';
    const tag = buildIvsMetadataTag(text);
    expect(tag.subarray(0, 5)).toEqual(Buffer.from([0x49, 0x44, 0x33, 4, 0]));
    const { frames, size } = parseId3Tag(tag);
    expect(size).toBe(tag.length);
    expect(frames).toEqual([{ id: 'PRIV', owner: IVS_METADATA_OWNER, data: Buffer.from(text, 'utf8') }]);
  });

  it('writes syncsafe sizes for 1 KB payloads (every size byte below 0x80)', () => {
    const tag = buildIvsMetadataTag('x'.repeat(1024));
    for (const at of [6, 7, 8, 9, 14, 15, 16, 17]) expect(tag[at]! & 0x80).toBe(0);
    expect(parseId3Tag(tag).frames[0]!.data.length).toBe(1024);
  });

  it('parses TXXX and several frames, and refuses broken tags by name', () => {
    const txxx = buildId3Frame('TXXX', Buffer.concat([Buffer.from([3]), Buffer.from('desc\0value')]));
    const tag = buildId3Tag([buildPrivFrame('a.b', Buffer.from([1, 2])), txxx]);
    expect(parseId3Tag(tag).frames.map((f) => [f.id, f.owner, f.data.toString('latin1')])).toEqual([['PRIV', 'a.b', '\x01\x02'], ['TXXX', 'desc', 'value']]);
    expect(() => parseId3Tag(Buffer.from('nothing here'))).toThrow(Id3FormatError);
    expect(() => parseId3Tag(tag.subarray(0, tag.length - 3))).toThrow(/overruns/);
    expect(() => buildId3Frame('priv', Buffer.alloc(0))).toThrow(/frame id/);
  });
});
