import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FlvDemuxer, FlvFormatError, encodeFlvHeader, encodeFlvTag, isAvcSequenceHeader, isVideoKeyframe, type FlvTag } from './flv';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';

describe('FlvDemuxer', () => {
  const tags: FlvTag[] = [
    { type: 'script', timestamp: 0, data: Buffer.from([2, 0, 1, 0x61]) },
    { type: 'video', timestamp: 0, data: Buffer.from([0x17, 0, 0, 0, 0, 1, 2, 3]) },
    { type: 'audio', timestamp: 21, data: Buffer.from([0xaf, 1, 9, 9]) },
    { type: 'video', timestamp: 0x01000010, data: Buffer.from([0x27, 1, 0, 0, 0, 4]) },
  ];
  const bytes = Buffer.concat([encodeFlvHeader(true, true), ...tags.map(encodeFlvTag)]);

  it('round-trips tags whatever the chunking, extended timestamps included', () => {
    for (const chunkSize of [1, 3, 7, 13, 64, bytes.length]) {
      const demuxer = new FlvDemuxer();
      const out: FlvTag[] = [];
      for (let i = 0; i < bytes.length; i += chunkSize) out.push(...demuxer.push(bytes.subarray(i, i + chunkSize)));
      expect(out).toEqual(tags);
      expect(demuxer.hasAudio && demuxer.hasVideo).toBe(true);
    }
  });

  it('rejects a stream that is not FLV', () => {
    expect(() => new FlvDemuxer().push(Buffer.from('GIF89a garbage bytes here'))).toThrow(FlvFormatError);
  });

  it('reads what a real ffmpeg writes to a pipe', () => {
    const ffmpeg = findFfmpeg().path;
    const flv = execFileSync(ffmpeg, [
      '-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
      '-t', '1', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '30', '-c:a', 'aac', '-f', 'flv', 'pipe:1',
    ], { maxBuffer: 64 * 1024 * 1024 });
    const out = new FlvDemuxer().push(flv);
    const video = out.filter((t) => t.type === 'video');
    expect(isAvcSequenceHeader(video[0]!.data)).toBe(true);
    expect(isVideoKeyframe(video[1]!.data)).toBe(true);
    expect(video.length).toBeGreaterThanOrEqual(30);
    expect(out.some((t) => t.type === 'audio')).toBe(true);
  });
});
