import { describe, expect, it } from 'vitest';
import type { PublishedSegment } from './live-timeline';
import { renderMediaPlaylist, renderMultivariantPlaylist } from './playlists';

function segment(msn: number, parts: number, complete: boolean, extra: Partial<PublishedSegment> = {}): PublishedSegment {
  return {
    msn,
    complete,
    parts: Array.from({ length: parts }, (_, index) => ({ msn, index, duration: 0.2, independent: index === 0, data: Buffer.alloc(0) })),
    duration: parts * 0.2,
    programDateTime: Date.UTC(2026, 10, 29, 12, 0, msn),
    initVersion: 0,
    discontinuity: false,
    ...extra,
  };
}

describe('media playlist', () => {
  it('renders LL-HLS tags: server control, part info, PDT, parts, full segments and the preload hint', () => {
    const text = renderMediaPlaylist({ segments: [segment(7, 5, true), segment(8, 2, false)], extension: 'ts', partTargetSec: 0.2, minTargetDurationSec: 1, ended: false });
    expect(text).toBe([
      '#EXTM3U',
      '#EXT-X-VERSION:6',
      '#EXT-X-TARGETDURATION:1',
      '#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600',
      '#EXT-X-PART-INF:PART-TARGET=0.200',
      '#EXT-X-MEDIA-SEQUENCE:7',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-29T12:00:07.000Z',
      '#EXT-X-PART:DURATION=0.20000,URI="seg7.0.ts",INDEPENDENT=YES',
      '#EXT-X-PART:DURATION=0.20000,URI="seg7.1.ts"',
      '#EXT-X-PART:DURATION=0.20000,URI="seg7.2.ts"',
      '#EXT-X-PART:DURATION=0.20000,URI="seg7.3.ts"',
      '#EXT-X-PART:DURATION=0.20000,URI="seg7.4.ts"',
      '#EXTINF:1.00000,',
      'seg7.ts',
      '#EXT-X-PROGRAM-DATE-TIME:2026-11-29T12:00:08.000Z',
      '#EXT-X-PART:DURATION=0.20000,URI="seg8.0.ts",INDEPENDENT=YES',
      '#EXT-X-PART:DURATION=0.20000,URI="seg8.1.ts"',
      '#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg8.2.ts"',
      '',
    ].join('\n'));
  });

  it('lists parts only near the live edge, hints the next segment after a complete one, and ends with ENDLIST', () => {
    const segments = [0, 1, 2, 3, 4, 5].map((msn) => segment(msn, 10, true));
    const live = renderMediaPlaylist({ segments, extension: 'm4s', partTargetSec: 0.2, minTargetDurationSec: 1, ended: false });
    expect(live).toContain('#EXT-X-TARGETDURATION:2');
    expect(live).not.toContain('seg0.0.m4s');
    expect(live).toContain('seg3.0.m4s');
    expect(live).toContain('#EXT-X-MAP:URI="init0.mp4"');
    expect(live.trim().split('\n').at(-1)).toBe('#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg6.0.m4s"');
    const ended = renderMediaPlaylist({ segments, extension: 'm4s', partTargetSec: 0.2, minTargetDurationSec: 1, ended: true });
    expect(ended).not.toContain('PRELOAD-HINT');
    expect(ended.trim().split('\n').at(-1)).toBe('#EXT-X-ENDLIST');
  });

  it('marks discontinuities with a new EXT-X-MAP, and renders recordings as EVENT/VOD playlists without parts', () => {
    const segments = [segment(0, 5, true), segment(1, 5, true, { discontinuity: true, initVersion: 1 })];
    const live = renderMediaPlaylist({ segments, extension: 'm4s', partTargetSec: 0.2, minTargetDurationSec: 1, ended: false, discontinuitySequence: 3 });
    expect(live).toContain('#EXT-X-DISCONTINUITY-SEQUENCE:3');
    expect(live).toMatch(/#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init1.mp4"/);
    const vod = renderMediaPlaylist({ segments, extension: 'm4s', partTargetSec: 0.2, minTargetDurationSec: 1, ended: true, recording: { playlistType: 'VOD', segmentUri: (msn) => `${msn}.m4s`, initUri: (v) => `init${v}.mp4` } });
    expect(vod).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(vod).not.toMatch(/EXT-X-PART|SERVER-CONTROL|PRELOAD/);
    expect(vod.match(/#EXT-X-ENDLIST/g)).toHaveLength(1);
    expect(vod).toContain('\n1.m4s\n');
  });
});

describe('preload hint', () => {
  const hint = (segments: PublishedSegment[]) => /PRELOAD-HINT:TYPE=PART,URI="([^"]+)"/.exec(renderMediaPlaylist({ segments, extension: 'ts', partTargetSec: 0.2, minTargetDurationSec: 1, ended: false }))![1];
  it('names the next segment\'s first part once the open segment is as long as the last GOP', () => {
    expect(hint([segment(3, 5, true), segment(4, 3, false)])).toBe('seg4.3.ts');
    expect(hint([segment(3, 5, true), segment(4, 5, false)])).toBe('seg5.0.ts');
    expect(hint([segment(4, 5, false)])).toBe('seg4.5.ts');
  });
});

describe('multivariant playlist', () => {
  it('names one variant with bandwidth, codecs, resolution and frame rate', () => {
    expect(renderMultivariantPlaylist({ uri: 'a/b/media.m3u8', bandwidth: 2_500_000.4, averageBandwidth: 2e6, codecs: ['avc1.64001F', 'mp4a.40.2'], width: 1280, height: 720, frameRate: 29.97 })).toBe(
      '#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-INDEPENDENT-SEGMENTS\n#EXT-X-STREAM-INF:BANDWIDTH=2500000,AVERAGE-BANDWIDTH=2000000,CODECS="avc1.64001F,mp4a.40.2",RESOLUTION=1280x720,FRAME-RATE=29.970\na/b/media.m3u8\n',
    );
  });
});
