/**
 * Going live to the embedded local channel, end to end: GoLiveService resolves the default channel
 * through the channel's own IVS API (real @aws-sdk/client-ivs), publishes over RTMPS with the local CA,
 * and a viewer-side player follows the low-latency HLS output. The playback decodes with ffprobe, the
 * stream key is in no process's argv/environment and no log, and the SEI stamps read back from the
 * played-back MPEG-TS give the same latency as the test's own measurement (within 250 ms).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import type { StreamSnapshot } from '../../src-main/contract/domains/stream';
import { configureLogging } from '../../src-main/core/logger';
import { findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { GoLiveService, type LocalChannelAccess } from '../../src-main/golive/go-live';
import { IvsService } from '../../src-main/ivs/ivs-service';
import { classifyTag } from '../../src-main/output/gop-buffer';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { HlsStampPlayer } from '../support/hls-stamp-player';
import { LiveFlvSource } from '../support/live-flv-source';
import { startEmbeddedLocalChannel, type EmbeddedLocalChannel } from '../support/local-channel-stack';
import { findSecret } from '../support/secret-scan';

let dir: string;
let local: EmbeddedLocalChannel;
let live: LocalChannelLive;
let access: LocalChannelAccess;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-local-'));
  configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
  local = await startEmbeddedLocalChannel(dir);
  live = local.live;
  access = local.access();
});

afterAll(async () => {
  await local?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('go live to the local channel', () => {
  it('publishes over RTMPS; the LL-HLS playback decodes, carries the SEI stamps, and the key is nowhere', async () => {
    let source: LiveFlvSource | undefined;
    const goLive = new GoLiveService({
      createConnection: createRtmpPublisherConnection,
      localChannel: () => access,
      program: {
        // The program starts when go-live asks for it, so the output sees its very first frame.
        acquire: async () => {
          source = new LiveFlvSource({ size: '320x180', gopSeconds: 1 });
          const started = source;
          return { program: { source: started }, release: () => started.stop() };
        },
      },
    });
    const states: StreamSnapshot[] = [];
    goLive.onStateChange((s) => states.push(s));
    const ivs = new IvsService({ region: access.region, endpoint: access.apiEndpoint, credentials: { type: 'static', credentials: access.credentials, label: 'test' }, maxAttempts: 1 });
    let player: HlsStampPlayer | undefined;
    try {
      const snapshot = await goLive.start({ target: { kind: 'local-channel' } });
      expect(snapshot.state).toBe('live');
      expect(snapshot.target).toMatchObject({ kind: 'local-channel', label: 'Local channel · default', ingestUrl: live.rtmpsUrl.replace(/\/$/, '') });
      const arn = snapshot.target!.channelArn!;
      const key = (await ivs.fetchStreamKey(arn)).value;
      expect(JSON.stringify(states)).not.toContain(key);
      expect(snapshot.target!.streamKeyMasked.endsWith(key.slice(-4))).toBe(true);

      player = new HlsStampPlayer((await ivs.getChannel(arn)).playbackUrl);
      player.start();
      await new Promise((r) => setTimeout(r, 5000));
      expect(findSecret(key, [path.join(dir, 'logs')])).toEqual([]);
      // ffprobe reads the live playback as any HLS client would (async: this process serves it).
      const probe = await promisify(execFile)(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name,width,height', '-of', 'csv=p=0', player.mediaPlaylistUrl], { encoding: 'utf8', timeout: 20_000 });
      expect(probe.stderr).toBe('');
      // (ffprobe lists the streams once per HLS program and once on their own; the ID3 track carries cues.)
      expect([...new Set(probe.stdout.split('\n').filter(Boolean))].sort()).toEqual(['aac', 'h264,320,180', 'timed_id3']);
      expect((await ivs.getStream(arn))?.state).toBe('LIVE');
    } finally {
      await goLive.stop();
      await player?.stop();
      ivs.dispose();
      await goLive.dispose();
    }
    expect(states.map((s) => s.state).filter((s, i, all) => s !== all[i - 1])).toEqual(['starting', 'live', 'stopping', 'offline']);
    expect(source!.process.exitCode !== null || source!.process.signalCode !== null).toBe(true);

    // Viewer side: every played frame carries one stamp.
    const frames = player!.frames;
    expect(player!.errors).toEqual([]);
    expect(frames.length).toBeGreaterThan(100);
    expect(frames.every((f) => f.stamps.length === 1)).toBe(true);

    // The test's own measurement: the source is real-time, so the frame at media time t was captured
    // at W0 + t, where W0 is the wall clock of media time 0 (read off when ffmpeg emitted each frame).
    // The first played frame (the stream's first part) is the program's first frame — the output was
    // listening before ffmpeg wrote anything — so its media time is first + (pts − first pts) / 90.
    const produced = source!.produced.map((tag, i) => ({ tag, at: source!.producedAt[i]! })).filter((p) => ['keyframe', 'video'].includes(classifyTag(p.tag)));
    expect(frames[0]!.part).toBe('seg0.0.ts');
    const w0 = Math.min(...produced.map((p) => p.at - p.tag.timestamp));
    const firstPts = frames[0]!.pts;
    const firstTime = produced[0]!.tag.timestamp;
    const own = frames.map((f) => f.arrivedAt - (w0 + firstTime + (f.pts - firstPts) / 90));
    const fromSei = frames.map((f) => f.arrivedAt - f.stamps[0]!);
    const differences = own.map((o, i) => Math.abs(o - fromSei[i]!));
    // eslint-disable-next-line no-console
    console.log(
      `viewer latency: SEI median ${median(fromSei).toFixed(0)} ms, own median ${median(own).toFixed(0)} ms; |difference| median ${median(differences).toFixed(0)}, max ${Math.max(...differences).toFixed(0)} ms over ${frames.length} frames`,
    );
    // The capture-clock estimate settles over the first frames (how far depends on how busy the machine
    // is while ffmpeg starts): from the second second on, every frame agrees; overall, the typical one does.
    const settled = differences.filter((_, i) => (frames[i]!.pts - firstPts) / 90 >= 1000);
    expect(settled.length).toBeGreaterThan(60);
    expect(Math.max(...settled)).toBeLessThan(250);
    expect(median(differences)).toBeLessThan(50);
    expect(Math.max(...differences)).toBeLessThan(1000);
    expect(median(fromSei)).toBeGreaterThan(0);
    expect(median(fromSei)).toBeLessThan(5000);
  }, 60_000);
});
