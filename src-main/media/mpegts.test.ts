import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TS_PACKET_SIZE, TS_PIDS, TsMuxer, crc32Mpeg2, demuxTs } from './mpegts';
import { buildIvsMetadataTag, parseId3Tag } from './id3';
import { parseFlvVideoTag, parseAvcDecoderConfigurationRecord, avccToAnnexB } from './avc';
import { parseFlvAudioTag, parseAudioSpecificConfig, buildAdtsHeader } from './aac';
import { findFfprobe } from '../ffmpeg/resolve-ffmpeg';
import { encodeTestFlv } from '../../test/support/ffmpeg-media';

describe('TsMuxer', () => {
  it('CRC-32/MPEG-2 matches the standard check value', () => {
    expect(crc32Mpeg2(Buffer.from('123456789'))).toBe(0x0376e6e7);
  });

  it('packetizes PES of every size into whole packets that demux back byte for byte', () => {
    const muxer = new TsMuxer({ video: true, audio: true, id3: true });
    for (let size = 1; size <= 600; size += 1) {
      const payload = Buffer.alloc(size, size & 0xff);
      const ts = muxer.audioPes(payload, 90_000 + size);
      expect(ts.length % TS_PACKET_SIZE).toBe(0);
      const [pes] = demuxTs(ts).pes;
      expect(pes!.payload).toEqual(payload);
      expect(pes!.pts).toBe(90_000 + size);
    }
  });

  it('writes PMT with H.264, ADTS AAC and timed ID3 (metadata descriptors) and keeps continuity across calls', () => {
    const muxer = new TsMuxer({ video: true, audio: true, id3: true });
    const tag = buildIvsMetadataTag('{"a":1}');
    const ts = Buffer.concat([muxer.programTables(), muxer.videoPes(Buffer.from([0, 0, 0, 1, 9, 0xf0]), 1000, 900, true), muxer.id3Pes(tag, 1000), muxer.programTables()]);
    const out = demuxTs(ts);
    expect(out.streams).toEqual([
      { pid: TS_PIDS.video, streamType: 0x1b, descriptorTags: [] },
      { pid: TS_PIDS.audio, streamType: 0x0f, descriptorTags: [] },
      { pid: TS_PIDS.id3, streamType: 0x15, descriptorTags: [0x26] },
    ]);
    expect(out.programInfoDescriptorTags).toEqual([0x25]);
    expect(out.continuityErrors).toBe(0);
    const video = out.pes.find((p) => p.pid === TS_PIDS.video)!;
    expect([video.pts, video.dts, video.randomAccess]).toEqual([1000, 900, true]);
    const id3 = out.pes.find((p) => p.pid === TS_PIDS.id3)!;
    expect(id3.streamId).toBe(0xbd);
    expect(parseId3Tag(id3.payload).frames[0]!.data.toString()).toBe('{"a":1}');
  });

  it('muxes a real x264 + AAC stream that ffprobe reads, timed_id3 included', () => {
    const tags = encodeTestFlv({ seconds: 1 });
    // The last FLV video tag is an AVC end-of-sequence marker with no picture: keep pictures only.
    const video = tags.filter((t) => t.type === 'video').map((t) => ({ t, v: parseFlvVideoTag(t.data) })).filter(({ v }, i) => i === 0 || v.packetType === 'nalu');
    const audio = tags.filter((t) => t.type === 'audio').map((t) => ({ t, a: parseFlvAudioTag(t.data) }));
    const config = parseAvcDecoderConfigurationRecord(video[0]!.v.payload);
    const asc = parseAudioSpecificConfig(audio[0]!.a.payload);
    const muxer = new TsMuxer({ video: true, audio: true, id3: true });
    const chunks = [muxer.programTables()];
    for (const { t, v } of video.slice(1)) {
      const dts = 90_000 + t.timestamp * 90;
      chunks.push(muxer.videoPes(avccToAnnexB(v.payload, config.nalLengthSize, v.frameType === 'keyframe' ? config : undefined), dts + v.compositionTimeMs * 90, dts, v.frameType === 'keyframe'));
    }
    for (const { t, a } of audio.slice(1)) chunks.push(muxer.audioPes(Buffer.concat([buildAdtsHeader(asc, a.payload.length), a.payload]), 90_000 + t.timestamp * 90));
    chunks.push(muxer.id3Pes(buildIvsMetadataTag('cue'), 90_000 + 500 * 90));
    const probe = execFileSync(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', '-f', 'mpegts', '-i', 'pipe:0'], { input: Buffer.concat(chunks) }).toString().trim().split('\n');
    // ffprobe lists the streams once under the program and once on their own.
    expect([...new Set(probe.filter(Boolean))]).toEqual(['h264,320,180', 'aac', 'timed_id3']);
  });
});
