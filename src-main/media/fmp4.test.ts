import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AUDIO_TRACK_ID, ID3_EMSG_SCHEME, VIDEO_TRACK_ID, buildFragment, buildId3Emsg, buildInitSegment, parseId3Emsg, readBoxes } from './fmp4';
import { buildIvsMetadataTag, parseId3Tag } from './id3';
import { buildAvcDecoderConfigurationRecord, parseAvcDecoderConfigurationRecord, parseFlvVideoTag } from './avc';
import { parseAudioSpecificConfig, parseFlvAudioTag } from './aac';
import { findFfprobe } from '../ffmpeg/resolve-ffmpeg';
import { encodeTestFlv } from '../../test/support/ffmpeg-media';

describe('fragmented MP4', () => {
  it('init + one fragment per part from a real x264/AAC stream is read by ffprobe with codec, size and duration', () => {
    const tags = encodeTestFlv({ seconds: 1 });
    // The last FLV video tag is an AVC end-of-sequence marker with no picture: keep pictures only.
    const video = tags.filter((t) => t.type === 'video').map((t) => ({ t, v: parseFlvVideoTag(t.data) })).filter(({ v }, i) => i === 0 || v.packetType === 'nalu');
    const audio = tags.filter((t) => t.type === 'audio').map((t) => ({ t, a: parseFlvAudioTag(t.data) }));
    const config = parseAvcDecoderConfigurationRecord(video[0]!.v.payload);
    const asc = parseAudioSpecificConfig(audio[0]!.a.payload);
    const init = buildInitSegment({ width: 320, height: 180, avcC: buildAvcDecoderConfigurationRecord(config.sps, config.pps) }, { sampleRate: asc.sampleRate, channels: asc.channels, audioSpecificConfig: asc.raw });
    expect(readBoxes(init).map((b) => b.type)).toEqual(['ftyp', 'moov']);
    const frames = video.slice(1);
    const fragments: Buffer[] = [];
    for (let i = 0; i < frames.length; i += 6) {
      const group = frames.slice(i, i + 6);
      const next = frames[i + 6]?.t.timestamp ?? group.at(-1)!.t.timestamp + 33;
      const audioGroup = audio.slice(1).filter(({ t }) => t.timestamp >= group[0]!.t.timestamp && t.timestamp < next);
      fragments.push(buildFragment(i / 6 + 1, [
        { trackId: VIDEO_TRACK_ID, video: true, baseMediaDecodeTime: group[0]!.t.timestamp * 90, samples: group.map(({ t, v }, k) => ({ duration: ((group[k + 1]?.t.timestamp ?? next) - t.timestamp) * 90, compositionOffset: v.compositionTimeMs * 90, keyframe: v.frameType === 'keyframe', data: v.payload })) },
        { trackId: AUDIO_TRACK_ID, video: false, baseMediaDecodeTime: Math.round((audioGroup[0]?.t.timestamp ?? 0) * 48), samples: audioGroup.map(({ a }) => ({ duration: 1024, data: a.payload })) },
      ]));
    }
    // A file, not a pipe: ffprobe only reads every fragment's duration when it can seek.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fmp4-test-'));
    const file = path.join(dir, 'stream.mp4');
    fs.writeFileSync(file, Buffer.concat([init, ...fragments]));
    const probe = execFileSync(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name,width,height,profile:format=duration', '-of', 'csv=p=0', file]).toString().trim().split('\n');
    expect(probe[0]).toMatch(/^h264,.*,320,180$/);
    expect(probe[1]).toMatch(/^aac,LC/);
    expect(Number(probe.at(-1))).toBeGreaterThan(0.9);
    const decoded = execFileSync(findFfprobe(), ['-v', 'error', '-count_frames', '-select_streams', 'v', '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', file]).toString().trim();
    fs.rmSync(dir, { recursive: true, force: true });
    expect(Number(decoded)).toBe(frames.length);
  });

  it('carries an ID3 tag in an AOM id3 emsg (version 1, absolute time)', () => {
    const tag = buildIvsMetadataTag('{"x":"y"}');
    const emsg = buildId3Emsg(tag, 2 ** 33 + 5, 90_000, 7);
    const [box] = readBoxes(emsg);
    expect(box!.type).toBe('emsg');
    const parsed = parseId3Emsg(box!.body);
    expect({ ...parsed, data: undefined }).toEqual({ timescale: 90_000, presentationTime: 2 ** 33 + 5, id: 7, scheme: ID3_EMSG_SCHEME, value: '', data: undefined });
    expect(parseId3Tag(parsed.data).frames[0]!.data.toString()).toBe('{"x":"y"}');
  });
});
