import { describe, expect, it } from 'vitest';
import { FlvDemuxer, type FlvTag } from '../media/flv';
import { buildRecorderArgs, recordingFormatFor } from './recorder';
import { RecordingGate, StreamHeaderCache } from './recording-gate';

const script: FlvTag = { type: 'script', timestamp: 0, data: Buffer.from([2, 0, 10]) };
const avcConfig: FlvTag = { type: 'video', timestamp: 0, data: Buffer.from([0x17, 0, 0, 0, 0, 1]) };
const aacConfig: FlvTag = { type: 'audio', timestamp: 0, data: Buffer.from([0xaf, 0, 0x11, 0x90]) };
const key = (t: number): FlvTag => ({ type: 'video', timestamp: t, data: Buffer.from([0x17, 1, 0, 0, 0, 9]) });
const inter = (t: number): FlvTag => ({ type: 'video', timestamp: t, data: Buffer.from([0x27, 1, 0, 0, 0, 8]) });
const audio = (t: number): FlvTag => ({ type: 'audio', timestamp: t, data: Buffer.from([0xaf, 1, 7]) });

describe('RecordingGate', () => {
  it('starts at the next keyframe with the headers, timestamps from 0', () => {
    const cache = new StreamHeaderCache();
    for (const tag of [script, avcConfig, aacConfig]) cache.observe(tag);
    const gate = new RecordingGate(() => cache.tags());
    const bytes: Buffer[] = [];
    for (const tag of [inter(4000), audio(4010), key(4033), audio(4030), inter(4066), audio(4050)]) bytes.push(...gate.push(tag));
    const demuxer = new FlvDemuxer();
    const tags = demuxer.push(Buffer.concat(bytes));
    expect(demuxer.hasAudio && demuxer.hasVideo).toBe(true);
    expect(tags.map((t) => [t.type, t.timestamp])).toEqual([
      ['script', 0],
      ['video', 0],
      ['audio', 0],
      ['video', 0],
      // audio from before the keyframe is dropped; after it, rebased
      ['video', 33],
      ['audio', 17],
    ]);
    expect(tags[1]!.data).toEqual(avcConfig.data);
  });

  it('writes nothing before a keyframe', () => {
    const gate = new RecordingGate(() => []);
    expect(gate.push(inter(10))).toEqual([]);
    expect(gate.push(avcConfig)).toEqual([]);
    expect(gate.started).toBe(false);
  });
});

describe('recorder command line', () => {
  it('fragmented MP4 by default, Matroska for .mkv; copies, never overwrites', () => {
    expect(buildRecorderArgs('/r/a.mp4', 'mp4')).toEqual([
      '-hide_banner', '-loglevel', 'level+warning', '-nostdin', '-f', 'flv', '-i', 'pipe:0', '-map', '0', '-c', 'copy',
      '-f', 'mp4', '-movflags', '+frag_keyframe+empty_moov+default_base_moof', '-n', '/r/a.mp4',
    ]);
    expect(buildRecorderArgs('/r/a.mkv', 'mkv')).toContain('matroska');
    expect(recordingFormatFor('/r/show.MKV')).toBe('mkv');
    expect(recordingFormatFor('/r/show.mp4')).toBe('mp4');
  });
});
