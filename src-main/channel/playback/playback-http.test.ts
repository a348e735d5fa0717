import { describe, expect, it } from 'vitest';
import { parseMediaFile, parsePlaybackPath } from './playback-http';

describe('parsePlaybackPath', () => {
  it('recognises the multivariant playback URL and the session-scoped media paths', () => {
    expect(parsePlaybackPath('/api/video/v1/us-west-2.000000000000.channel.abcdABCDefgh.m3u8')).toEqual({ kind: 'multivariant', region: 'us-west-2', accountId: '000000000000', channelId: 'abcdABCDefgh' });
    const base = '/api/video/v1/us-west-2.000000000000.channel.abcdABCDefgh/st-1AuTyMDASvHUTSb8p5PvbsO/AAAAAAAAAAAAAAAAAAAAAA';
    expect(parsePlaybackPath(`${base}/media.m3u8`)).toMatchObject({ kind: 'media', streamId: 'st-1AuTyMDASvHUTSb8p5PvbsO', sessionId: 'AAAAAAAAAAAAAAAAAAAAAA', file: { kind: 'playlist' } });
    expect(parsePlaybackPath(`${base}/seg12.3.ts`)).toMatchObject({ file: { kind: 'part', msn: 12, part: 3, extension: 'ts' } });
    expect(parsePlaybackPath(`${base}/seg12.m4s`)).toMatchObject({ file: { kind: 'segment', msn: 12, extension: 'm4s' } });
    expect(parsePlaybackPath(`${base}/init0.mp4`)).toMatchObject({ file: { kind: 'init', version: 0 } });
  });

  it.each([
    '/api/video/v1/us-west-2.000000000000.channel.abc.m3u8x',
    '/api/video/v1/us-west-2.0000.channel.abc.m3u8',
    '/api/video/v1/us-west-2.000000000000.channel.abc/st-1/short/media.m3u8',
    '/api/video/v1/us-west-2.000000000000.channel.abc/st-1/AAAAAAAAAAAAAAAAAAAAAA/../../etc/passwd',
    '/api/video/v1/us-west-2.000000000000.channel.abc/st-1/AAAAAAAAAAAAAAAAAAAAAA/seg1.mp3',
  ])('refuses %s', (path) => {
    expect(parsePlaybackPath(path)).toBeUndefined();
  });

  it('parses media file names strictly', () => {
    expect(parseMediaFile('seg1.2.ts')).toEqual({ kind: 'part', msn: 1, part: 2, extension: 'ts' });
    expect(parseMediaFile('seg-1.ts')).toBeUndefined();
    expect(parseMediaFile('media.m3u8?x')).toBeUndefined();
  });
});
