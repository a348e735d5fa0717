import { describe, expect, it } from 'vitest';
import { encodeTestFlv } from '../../../test/support/ffmpeg-media';
import { AAC_FRAME_SAMPLES, parseAdtsHeader } from '../../media/aac';
import { readBoxes, parseId3Emsg } from '../../media/fmp4';
import type { FlvTag } from '../../media/flv';
import { parseId3Tag } from '../../media/id3';
import { TS_PIDS, demuxTs } from '../../media/mpegts';
import { LiveTimeline } from './live-timeline';
import { LlHlsPackager } from './ll-hls-packager';

const tags30 = encodeTestFlv({ seconds: 3, rate: 30 }); // 1 s GOP
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function packager(container: 'TS' | 'FRAGMENTED_MP4', warnings: string[] = []) {
  const timeline = new LiveTimeline(container === 'TS' ? 'ts' : 'm4s', 100);
  let clock = T0;
  const p = new LlHlsPackager(timeline, { container, partTargetSec: 0.2, minSegmentSec: 1, now: () => clock, onWarning: (w) => warnings.push(w) });
  return { timeline, p, advance: (ms: number) => (clock += ms) };
}

function feed(p: LlHlsPackager, tags: FlvTag[], onVideo?: (index: number) => void): void {
  let videoIndex = 0;
  for (const tag of tags) {
    p.pushTag(tag);
    if (tag.type === 'video') onVideo?.(videoIndex++);
  }
}

describe('LlHlsPackager (TS)', () => {
  it('cuts ~0.2 s parts and keyframe-aligned segments; every part starts PAT, PMT, then a video PES', () => {
    const { timeline, p, advance } = packager('TS');
    feed(p, tags30, () => advance(1000 / 30)); // the wall clock runs with the media, as in a live push
    p.end();
    const segments = timeline.segments;
    expect(timeline.ended).toBe(true);
    expect(segments.length).toBe(3);
    for (const segment of segments) {
      expect(segment.complete).toBe(true);
      expect(segment.duration).toBeCloseTo(1, 1);
      expect(segment.parts.length).toBe(5);
      expect(segment.parts.map((part) => part.independent)).toEqual([true, false, false, false, false]);
      for (const part of segment.parts) {
        expect(part.duration).toBeGreaterThanOrEqual(0.19);
        expect(part.duration).toBeLessThanOrEqual(0.21);
        const ts = demuxTs(part.data);
        expect(ts.patPacketIndexes[0]).toBe(0);
        expect(ts.pes[0]!.pid).toBe(TS_PIDS.video);
        expect(ts.pes[0]!.randomAccess).toBe(part.independent);
        expect(ts.continuityErrors).toBe(0);
      }
      // An audio frame stays in the part where it starts: a part's audio begins within one AAC frame
      // after its first video frame, and the segment's audio runs to its end (buffered end = segment end).
      for (const part of segment.parts) {
        if (segment.msn === 0 && part.index === 0) continue; // audio before the first keyframe is dropped
        const pes = demuxTs(part.data).pes;
        const firstVideo = pes.find((p) => p.pid === TS_PIDS.video)!.pts!;
        const firstAudio = pes.find((p) => p.pid === TS_PIDS.audio)!.pts!;
        expect(firstAudio).toBeGreaterThanOrEqual(firstVideo);
        expect(firstAudio - firstVideo).toBeLessThan(1920); // less than one AAC frame (1024 samples at 48 kHz) in 90 kHz ticks
      }
      const segmentPes = demuxTs(timeline.segmentBytes(segment)).pes;
      const videoPts = segmentPes.filter((p) => p.pid === TS_PIDS.video).map((p) => p.pts!);
      const videoEnd = Math.max(...videoPts) + 3000; // 30 fps
      const lastAudioPes = segmentPes.filter((p) => p.pid === TS_PIDS.audio).at(-1)!;
      const audioEnd = lastAudioPes.pts! + (adtsFrameCount(lastAudioPes.payload) * AAC_FRAME_SAMPLES * 90000) / 48000;
      expect(audioEnd).toBeGreaterThanOrEqual(videoEnd - 1);
      // Parts concatenate into a valid segment (continuity counters run across parts).
      expect(demuxTs(timeline.segmentBytes(segment)).continuityErrors).toBe(0);
    }
    // PROGRAM-DATE-TIME follows media time from the ingest wall clock.
    expect(segments.map((s) => Math.round((s.programDateTime - segments[0]!.programDateTime) / 10) * 10)).toEqual([0, 1000, 2000]);
    expect(p.describe()).toEqual({ width: 320, height: 180, frameRate: 30, videoCodec: expect.stringMatching(/^avc1\.[0-9A-F]{6}$/), audioCodec: 'mp4a.40.2', sampleRate: 48000, channels: 2 });
  });

  it('puts a PutMetadata tag into the open part at the newest video PTS, and a segmentmetadata TXXX at each segment start', () => {
    const { timeline, p } = packager('TS');
    let videoPts = 0;
    feed(p, tags30, (index) => {
      if (index === 40) {
        videoPts = timeline.segments.length; // marker: insert during segment 1
        p.insertMetadata('{"cue":"go ✓"}');
      }
    });
    p.end();
    expect(videoPts).toBe(2);
    const id3 = timeline.segments.flatMap((s) => s.parts.map((part) => ({ msn: s.msn, index: part.index, ts: demuxTs(part.data) })))
      .flatMap(({ msn, index, ts }) => ts.pes.filter((pes) => pes.pid === TS_PIDS.id3).map((pes) => ({ msn, index, pes, video: ts.pes.filter((v) => v.pid === TS_PIDS.video) })));
    const cues = id3.filter(({ pes }) => parseId3Tag(pes.payload).frames[0]!.id === 'PRIV');
    expect(cues.length).toBe(1);
    const cue = cues[0]!;
    expect(parseId3Tag(cue.pes.payload).frames[0]).toEqual({ id: 'PRIV', owner: 'metadata.live-video.net', data: Buffer.from('{"cue":"go ✓"}') });
    expect(cue.video.map((v) => v.pts)).toContain(cue.pes.pts);
    const segmentMarkers = id3.filter(({ pes }) => parseId3Tag(pes.payload).frames[0]!.owner === 'segmentmetadata');
    expect(segmentMarkers.map(({ msn, index }) => [msn, index])).toEqual([[0, 0], [1, 0], [2, 0]]);
  });

  it('drops frames before the first keyframe and keeps the timeline continuous across an FLV timestamp jump', () => {
    const warnings: string[] = [];
    const { timeline, p } = packager('TS', warnings);
    const headers = tags30.filter((t) => t.data[1] === 0 && t.type !== 'script').slice(0, 2);
    const media = tags30.filter((t) => !headers.includes(t) && t.type !== 'script');
    // Start mid-GOP: the first 10 video frames are not keyframes and must be dropped.
    const keyframes = media.flatMap((t, i) => (t.type === 'video' && t.data[0]! >> 4 === 1 ? [i] : []));
    const secondKey = keyframes[1]!;
    const jumped = media.map((t, i) => (i > media.length / 2 ? { ...t, timestamp: t.timestamp + 60_000 } : t));
    feed(p, [...headers, ...jumped.slice(secondKey - 15)]);
    p.end();
    const parts = timeline.segments.flatMap((s) => s.parts);
    expect(timeline.segments[0]!.parts[0]!.independent).toBe(true);
    for (const part of parts.slice(0, -1)) expect(part.duration).toBeLessThan(0.25);
    expect(warnings.some((w) => /jumped by 6\d{4} ms/.test(w))).toBe(true);
  });
});

describe('LlHlsPackager (fMP4)', () => {
  it('publishes an init segment and one moof+mdat per part, with the cue as an id3 emsg', () => {
    const { timeline, p } = packager('FRAGMENTED_MP4');
    feed(p, tags30, (index) => index === 20 && p.insertMetadata('fmp4 cue'));
    p.end();
    expect(readBoxes(timeline.init(0)!).map((b) => b.type)).toEqual(['ftyp', 'moov']);
    const parts = timeline.segments.flatMap((s) => s.parts);
    const emsgs = parts.flatMap((part) => readBoxes(part.data).filter((b) => b.type === 'emsg').map((b) => parseId3Emsg(b.body)));
    for (const part of parts) expect(readBoxes(part.data).map((b) => b.type).filter((t) => t !== 'emsg')).toEqual(['moof', 'mdat']);
    const priv = emsgs.map((e) => parseId3Tag(e.data).frames[0]!).filter((f) => f.id === 'PRIV');
    expect(priv.map((f) => f.data.toString())).toEqual(['fmp4 cue']);
    expect(emsgs.every((e) => e.scheme === 'https://aomedia.org/emsg/ID3' && e.timescale === 90_000)).toBe(true);
  });

  it('a new SPS mid-stream starts a new segment behind a discontinuity with a new init segment', () => {
    const small = encodeTestFlv({ seconds: 1, size: '160x90', rate: 30 });
    const offset = tags30.at(-1)!.timestamp + 33;
    const { timeline, p } = packager('FRAGMENTED_MP4');
    feed(p, tags30.filter((t) => !(t.type === 'video' && t.data[1] === 2)));
    feed(p, small.filter((t) => t.type !== 'script').map((t) => ({ ...t, timestamp: t.timestamp + offset })));
    p.end();
    const changed = timeline.segments.find((s) => s.initVersion === 1)!;
    expect(changed.discontinuity).toBe(true);
    expect(changed.parts[0]!.independent).toBe(true);
    expect(timeline.init(1)).toBeDefined();
    expect(p.describe()).toMatchObject({ width: 160, height: 90 });
  });
});

/** ADTS frames in one audio PES payload. */
function adtsFrameCount(payload: Buffer): number {
  let count = 0;
  for (let offset = 0; offset < payload.length; offset += parseAdtsHeader(payload.subarray(offset)).frameLength) count++;
  return count;
}
