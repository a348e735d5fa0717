/**
 * Low-latency HLS over a real HTTP server, fed by a real ffmpeg encoding in real time: blocking
 * playlist reload, preload-hinted parts, CORS, ffprobe/ffmpeg reading the live playlist (timed ID3
 * included), ENDLIST when the stream ends, viewer counting, private-channel tokens, and cleanup.
 */
import { execFile } from 'node:child_process';
import * as crypto from 'node:crypto';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { signPlaybackToken } from '../../src-main/channel/playback/playback-token';
import { parseId3Tag } from '../../src-main/media/id3';
import { TS_PIDS, demuxTs } from '../../src-main/media/mpegts';
import { until } from '../support/until';
import { fetchBytes, fetchText, mediaPlaylistUrl, sleep, startHarness, type Harness } from './playback-harness';

const run = promisify(execFile);
let harness: Harness;

beforeEach(async () => {
  harness = await startHarness({ viewerWindowMs: 1_500 });
});
afterEach(async () => {
  await harness.dispose();
});

function preloadHint(playlist: string): string {
  const match = /#EXT-X-PRELOAD-HINT:TYPE=PART,URI="([^"]+)"/.exec(playlist);
  if (!match) throw new Error(`no preload hint in\n${playlist}`);
  return match[1]!;
}

describe('low-latency HLS playback over HTTP', () => {
  it('holds blocking reloads and hinted parts until the part exists, and plain clients play it', async () => {
    const channel = harness.directory.addChannel('blockingTest1');
    // The stream stays live until this test ends it: on a busy machine the plain clients below may
    // take many seconds, and a stream that ended on its own would answer them 404 (offline).
    const push = harness.push(channel, { seconds: 120 });
    await until(() => push.stream.timeline.latest(), 30_000, 'the first part');

    const multivariant = await fetchText(channel.playbackUrl, { headers: { Origin: 'http://viewer.example' } });
    expect(multivariant.status).toBe(200);
    expect(multivariant.headers.get('access-control-allow-origin')).toBe('*');
    expect(multivariant.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(multivariant.text).toMatch(/#EXT-X-STREAM-INF:BANDWIDTH=\d+,.*CODECS="avc1\.[0-9A-F]{6},mp4a\.40\.2",RESOLUTION=320x180/);
    const media = mediaPlaylistUrl(channel.playbackUrl, multivariant.text);

    // Blocking reload: ask for the part after the newest one (it does not exist yet); the answer must
    // come once a new part is published, and list it.
    const first = await fetchText(media);
    expect(first.text).toContain('#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=0.600');
    expect(first.text).toContain('#EXT-X-PART-INF:PART-TARGET=0.200');
    expect(first.text).toMatch(/#EXT-X-PROGRAM-DATE-TIME:\d{4}-\d\d-\d\dT/);
    expect(first.text).toMatch(/#EXT-X-PRELOAD-HINT:TYPE=PART,URI="seg\d+\.\d+\.ts"/);
    const timeline = push.stream.timeline;
    const newest = timeline.latest()!;
    let firstNew: { uri: string; at: number } | undefined;
    const watch = timeline.onChange((change) => {
      if (change.kind === 'part' && !firstNew) firstNew = { uri: `seg${change.part.msn}.${change.part.index}.ts`, at: performance.now() };
    });
    const blocked = await fetchText(`${media}?_HLS_msn=${newest.msn}&_HLS_part=${newest.part + 1}`);
    const answeredAt = performance.now();
    watch.dispose();
    expect(blocked.status).toBe(200);
    expect(firstNew, `no part was published while the reload for ${newest.msn}.${newest.part + 1} was held (${Math.round(blocked.ms)} ms)`).toBeDefined();
    expect(blocked.text).toContain(`URI="${firstNew!.uri}"`);
    expect(answeredAt).toBeGreaterThanOrEqual(firstNew!.at);
    const target = newest.msn + 1;

    // hls.js asks for one past the last part of a finished segment: answered by the next segment.
    const segmentPartCounts = push.stream.timeline.segments.filter((s) => s.complete).map((s) => [s.msn, s.parts.length] as const);
    const [doneMsn, doneParts] = segmentPartCounts.at(-1) ?? (await until(() => push.stream.timeline.segments.filter((s) => s.complete).map((s) => [s.msn, s.parts.length] as const).at(-1), 10_000, 'a complete segment'));
    const pastEnd = await fetchText(`${media}?_HLS_msn=${doneMsn}&_HLS_part=${doneParts}`);
    expect(pastEnd.text).toContain(`seg${doneMsn + 1}.0.ts`);

    // A GET for the preload-hinted part is held until the part is published, then gets its bytes.
    const next = preloadHint((await fetchText(media)).text);
    const [, nextMsn, nextIndex] = /^seg(\d+)\.(\d+)\.ts$/.exec(next)!.map(Number) as [number, number, number];
    const bytes = await fetchBytes(new URL(next, media).toString()).catch((error: Error) => {
      throw new Error(`hinted part ${next} (segments: ${timeline.segments.map((s) => `${s.msn}:${s.parts.length}${s.complete ? '' : '+'}`).join(' ')}): ${error.message}`);
    });
    const published = timeline.part(nextMsn, nextIndex) ?? timeline.part(nextMsn + 1, 0);
    expect(published).toBeDefined();
    expect(bytes).toEqual(timeline.part(nextMsn, nextIndex)!.data);
    const ts = demuxTs(bytes);
    expect(ts.patPacketIndexes[0]).toBe(0);
    expect(ts.pes[0]!.pid).toBe(TS_PIDS.video);

    // Too far ahead is a client error; malformed directives too.
    expect((await fetchText(`${media}?_HLS_msn=${target + 50}`)).status).toBe(400);
    expect((await fetchText(`${media}?_HLS_part=1`)).status).toBe(400);

    // ffprobe and ffmpeg (plain HLS clients) read the live playlist, timed metadata stream included.
    const cue = setInterval(() => push.stream.insertMetadata('{"probe":true}'), 300);
    try {
      const probe = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_type,codec_name', '-of', 'csv=p=0', channel.playbackUrl], { timeout: 40_000 });
      expect([...new Set(probe.stdout.trim().split('\n').filter(Boolean))].sort()).toEqual(['h264,video', 'aac,audio', 'timed_id3,data'].sort());
      await run(findFfmpeg().path, ['-v', 'error', '-i', channel.playbackUrl, '-t', '1', '-f', 'null', '-'], { timeout: 40_000 });
    } finally {
      clearInterval(cue);
    }

    await push.stop();
    const ended = await fetchText(media);
    expect(ended.text.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
    expect(ended.text).not.toContain('PRELOAD-HINT');
    // Everything inserted is in the segments, as ID3 PRIV frames a parser reads back intact.
    const segmentUris = ended.text.split('\n').filter((l) => /^seg\d+\.ts$/.test(l));
    const texts: string[] = [];
    for (const uri of segmentUris) {
      for (const pes of demuxTs(await fetchBytes(new URL(uri, media).toString())).pes.filter((p) => p.pid === TS_PIDS.id3)) {
        const frame = parseId3Tag(pes.payload).frames[0]!;
        if (frame.id === 'PRIV') texts.push(`${frame.owner}:${frame.data.toString()}`);
      }
    }
    expect(texts.length).toBeGreaterThan(0);
    expect(new Set(texts)).toEqual(new Set(['metadata.live-video.net:{"probe":true}']));
    // The multivariant playlist of an ended stream says offline.
    expect((await fetchText(channel.playbackUrl)).status).toBe(404);
  }, 120_000);

  it('answers CORS preflights, 404s unknown channels and offline ones, and counts distinct recent sessions', async () => {
    const channel = harness.directory.addChannel('corsViewers01');
    const preflight = await fetch(channel.playbackUrl, { method: 'OPTIONS', headers: { Origin: 'http://a.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toBe('range');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('GET');
    expect((await fetchText(channel.playbackUrl)).status).toBe(404); // offline
    const unknown = await fetchText(channel.playbackUrl.replace('corsViewers01', 'noSuchChan01'));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('access-control-allow-origin')).toBe('*');

    const push = harness.push(channel, { seconds: 60 }); // stopped below; long enough for a busy machine
    await until(() => push.stream.timeline.latest(), 30_000, 'the first part');
    expect(harness.service.viewerCount(channel.arn)).toBe(0);
    const a = mediaPlaylistUrl(channel.playbackUrl, (await fetchText(channel.playbackUrl)).text);
    const b = mediaPlaylistUrl(channel.playbackUrl, (await fetchText(channel.playbackUrl)).text);
    expect(a).not.toBe(b);
    await fetchText(a);
    await fetchText(a);
    expect(harness.service.viewerCount(channel.arn)).toBe(2);
    // Session b goes quiet; a keeps playing. After the 1.5 s window only a counts.
    for (let i = 0; i < 4; i++) {
      await sleep(500);
      await fetchText(a);
    }
    expect(harness.service.viewerCount(channel.arn)).toBe(1);
    await push.stop();
  }, 90_000);

  it('private channels: 403 for missing, expired, foreign, badly signed or wrong-origin tokens; a valid token plays', async () => {
    const mine = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const other = crypto.generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    harness.directory.keys.push({ arn: 'arn:aws:ivs:us-west-2:000000000000:playback-key/k1', publicKeyPem: mine.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const pem = (k: crypto.KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
    const channel = harness.directory.addChannel('privateChan1', { authorized: true });
    const push = harness.push(channel, { seconds: 60 }); // stopped below; long enough for a busy machine
    await until(() => push.stream.timeline.latest(), 30_000, 'the first part');
    const exp = Math.floor(Date.now() / 1000) + 300;
    const url = (token?: string) => (token ? `${channel.playbackUrl}?token=${token}` : channel.playbackUrl);

    const refusals = {
      missing: await fetchText(url()),
      expired: await fetchText(url(signPlaybackToken({ 'aws:channel-arn': channel.arn, exp: exp - 600 }, pem(mine.privateKey)))),
      foreign: await fetchText(url(signPlaybackToken({ 'aws:channel-arn': channel.arn.replace('privateChan1', 'otherChannel'), exp }, pem(mine.privateKey)))),
      badlySigned: await fetchText(url(signPlaybackToken({ 'aws:channel-arn': channel.arn, exp }, pem(other.privateKey)))),
      wrongOrigin: await fetchText(url(signPlaybackToken({ 'aws:channel-arn': channel.arn, exp, 'aws:access-control-allow-origin': 'https://fans.example' }, pem(mine.privateKey))), { headers: { Origin: 'https://evil.example' } }),
    };
    for (const [name, response] of Object.entries(refusals)) {
      expect([name, response.status]).toEqual([name, 403]);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(JSON.parse(response.text)[0].error_code).toBe('invalid_playback_auth_token');
    }
    expect(refusals.expired.text).toContain('expired');

    const valid = await fetchText(url(signPlaybackToken({ 'aws:channel-arn': channel.arn, exp, 'aws:access-control-allow-origin': 'https://fans.example' }, pem(mine.privateKey))), { headers: { Origin: 'https://fans.example' } });
    expect(valid.status).toBe(200);
    const media = mediaPlaylistUrl(channel.playbackUrl, valid.text);
    expect((await fetchText(media)).status).toBe(200);
    // A made-up session id cannot skip the token on a private channel.
    const forged = media.replace(/\/[A-Za-z0-9_-]{22}\/media\.m3u8$/, `/${crypto.randomBytes(16).toString('base64url')}/media.m3u8`);
    expect((await fetchText(forged)).status).toBe(403);
    await push.stop();
  }, 90_000);

  it('disposing the service mid-stream answers held requests and leaves no timers or waiters', async () => {
    const channel = harness.directory.addChannel('disposeTest1');
    const push = harness.push(channel, { seconds: 60 }); // stopped below
    await until(() => push.stream.timeline.latest(), 30_000, 'the first part');
    const media = mediaPlaylistUrl(channel.playbackUrl, (await fetchText(channel.playbackUrl)).text);
    const latest = push.stream.timeline.latest()!;
    const held = fetchText(`${media}?_HLS_msn=${latest.msn + 2}&_HLS_part=0`);
    await until(() => push.stream.timeline.waiterCount === 1, 10_000, 'the held request'); // the request reached the server and is held
    await harness.service.dispose();
    const answer = await held;
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('#EXT-X-ENDLIST');
    expect(push.stream.timeline.waiterCount).toBe(0);
    // The service no longer answers; the HTTP server's other handlers would get the request.
    expect(await harness.service.handler({ url: channel.playbackUrl } as never, {} as never)).toBe(false);
    await push.stop();
    expect(push.ffmpeg.exitCode !== null || push.ffmpeg.signalCode !== null).toBe(true);
  }, 90_000);
});
