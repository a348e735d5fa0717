/**
 * Issue 4 item 1 acceptance: the local channel (control plane + live runtime) taking real ffmpeg
 * pushes over RTMP and RTMPS (verification on), checked through the real @aws-sdk/client-ivs:
 * LIVE with health and startTime, the session's ingest configuration and IVS event names, StopStream,
 * wrong-key and second-publisher refusals, STARVING when the pusher stalls (SIGSTOP), the 30 s idle
 * end (shortened here), limit breaches and non-H.264 input.
 */
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CreateChannelCommand,
  GetStreamCommand,
  GetStreamSessionCommand,
  IvsClient,
  ListStreamSessionsCommand,
  ListStreamsCommand,
  StopStreamCommand,
  type StreamEvent,
} from '@aws-sdk/client-ivs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';

let dataDir: string;
let channel: LocalChannel;
let live: LocalChannelLive;
let ivs: IvsClient;
const pushers: FfmpegPusher[] = [];

const IDLE_TIMEOUT_MS = 6000;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingest-live-'));
  channel = await startLocalChannel({ dataDir, port: 0 });
  live = await startLiveRuntime(channel, { dataDir, starvingAfterMs: 1500, idleTimeoutMs: IDLE_TIMEOUT_MS, bitrateWindowMs: 2000 });
  ivs = new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: channel.credentials });
});

afterAll(async () => {
  for (const p of pushers) p.kill('SIGKILL');
  await live?.dispose();
  await channel?.dispose();
  ivs?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function push(url: string, options: Parameters<typeof pushWithFfmpeg>[1] = {}): FfmpegPusher {
  const pusher = pushWithFfmpeg(url, options);
  pushers.push(pusher);
  return pusher;
}

async function newChannel(name: string, extra: { type?: 'STANDARD' | 'BASIC'; insecureIngest?: boolean } = {}) {
  const created = await ivs.send(new CreateChannelCommand({ name, ...extra }));
  return { arn: created.channel!.arn!, key: created.streamKey!.value! };
}

async function waitLive(arn: string) {
  return vi.waitFor(async () => {
    const { stream } = await ivs.send(new GetStreamCommand({ channelArn: arn }));
    expect(stream?.state).toBe('LIVE');
    return stream!;
  }, { timeout: 15_000, interval: 100 });
}

async function waitOffline(arn: string) {
  await vi.waitFor(async () => {
    await expect(ivs.send(new GetStreamCommand({ channelArn: arn }))).rejects.toMatchObject({ name: 'ChannelNotBroadcasting' });
  }, { timeout: 15_000, interval: 100 });
}

async function session(arn: string, streamId?: string) {
  const { streamSession } = await ivs.send(new GetStreamSessionCommand({ channelArn: arn, streamId }));
  return streamSession!;
}

const names = (events: StreamEvent[] | undefined) => [...(events ?? [])].reverse().map((e) => (e.code ? `${e.name}:${e.code}` : e.name));

describe('local channel ingest (real ffmpeg, real IVS SDK)', () => {
  it('announces both ingest URLs and the CA in the ready line', () => {
    const ready = channel.readyInfo();
    expect(ready.ingest).toEqual({
      rtmp: expect.stringMatching(/^rtmp:\/\/127\.0\.0\.1:\d+\/app\/$/),
      rtmps: expect.stringMatching(/^rtmps:\/\/127\.0\.0\.1:\d+\/app\/$/),
      caFile: path.join(dataDir, 'local-channel', 'tls', 'ca.pem'),
    });
    expect(fs.readFileSync(live.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('goes LIVE over RTMPS with verification, records the ingest configuration, refuses a second publisher, and StopStream ends it', async () => {
    const { arn, key } = await newChannel('rtmps-live');
    const before = Date.now();
    const ffmpeg = push(live.rtmpsUrl + key, { seconds: 60, size: '640x360', rate: 30, bitrate: '800k', caFile: live.caFile });
    const stream = await waitLive(arn);
    expect(stream.health).toBe('HEALTHY');
    expect(stream.streamId).toMatch(/^st-[a-zA-Z0-9]{23}$/);
    expect(stream.startTime!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(stream.viewerCount).toBe(0);
    const { streams } = await ivs.send(new ListStreamsCommand({}));
    expect(streams?.map((s) => s.channelArn)).toContain(arn);

    // The real configuration, once the first bitrate window is in.
    const configured = await vi.waitFor(async () => {
      const s = await session(arn);
      expect(s.ingestConfigurations?.videoConfigurations?.[0]?.targetBitrate).toBeGreaterThan(0);
      expect(names(s.truncatedEvents)).toContain('Stream Start');
      return s;
    }, { timeout: 15_000, interval: 200 });
    expect(configured.streamId).toBe(stream.streamId);
    expect(configured.endTime).toBeUndefined();
    const video = configured.ingestConfigurations!.videoConfigurations![0]!;
    expect(video).toMatchObject({ codec: expect.stringMatching(/^avc1\.[0-9A-F]{6}$/), videoWidth: 640, videoHeight: 360, targetFramerate: 30, track: 'Track0' });
    expect(video.encoder).toMatch(/^Lavf/);
    expect(video.targetBitrate).toBeGreaterThan(300_000);
    expect(video.targetBitrate).toBeLessThan(1_500_000);
    expect(configured.ingestConfiguration?.video).toMatchObject({ avcProfile: expect.any(String), avcLevel: expect.stringMatching(/^\d\.\d$/) });
    expect(configured.ingestConfigurations!.audioConfigurations![0]).toMatchObject({ codec: 'mp4a.40.2', sampleRate: 48000, channels: 2 });
    expect(names(configured.truncatedEvents).slice(0, 2)).toEqual(['Session Created', 'Stream Start']);

    // A second encoder on the same key is refused; the first stays live.
    const second = push(live.rtmpsUrl + key, { seconds: 5, caFile: live.caFile });
    expect(await second.exited).not.toBe(0);
    expect(second.stderr()).toMatch(/already publishing/);
    expect((await ivs.send(new GetStreamCommand({ channelArn: arn }))).stream?.streamId).toBe(stream.streamId);

    await ivs.send(new StopStreamCommand({ channelArn: arn }));
    expect(await ffmpeg.exited).not.toBe(0);
    await waitOffline(arn);
    const ended = await session(arn, stream.streamId);
    expect(ended.endTime).toBeInstanceOf(Date);
    expect(names(ended.truncatedEvents)).toEqual(['Session Created', 'Stream Start', 'Stream End', 'Session Ended:StreamStopped']);
  });

  it('goes LIVE over plain RTMP on an insecureIngest channel and ends cleanly when the encoder stops; refuses a wrong key and plain RTMP on an RTMPS-only channel', async () => {
    const { arn, key } = await newChannel('rtmp-live', { insecureIngest: true });
    const ffmpeg = push(live.rtmpUrl + key, { seconds: 3 });
    const stream = await waitLive(arn);
    expect(await ffmpeg.exited).toBe(0);
    await waitOffline(arn);
    expect(names((await session(arn, stream.streamId)).truncatedEvents)).toEqual(['Session Created', 'Stream Start', 'Stream End', 'Session Ended']);

    const sessionsBefore = (await ivs.send(new ListStreamSessionsCommand({ channelArn: arn }))).streamSessions!.length;
    const wrong = push(`${live.rtmpUrl}sk_us-west-2_notAKey12345_abcdefghijklmnopqrstuvwxyz01234`, { seconds: 2 });
    expect(await wrong.exited).not.toBe(0);
    expect(wrong.stderr()).toMatch(/Invalid stream key/);
    expect((await ivs.send(new ListStreamSessionsCommand({ channelArn: arn }))).streamSessions!.length).toBe(sessionsBefore);

    const secureOnly = await newChannel('rtmps-only');
    const plain = push(live.rtmpUrl + secureOnly.key, { seconds: 2 });
    expect(await plain.exited).not.toBe(0);
    expect(plain.stderr()).toMatch(/accepts RTMPS only/);
    expect((await ivs.send(new ListStreamSessionsCommand({ channelArn: secureOnly.arn }))).streamSessions).toEqual([]);
  });

  it('turns STARVING when the pusher stalls (SIGSTOP), HEALTHY when it resumes, and ends the session after the idle timeout', async () => {
    const { arn, key } = await newChannel('starving');
    const ffmpeg = push(live.rtmpsUrl + key, { seconds: 120, caFile: live.caFile });
    const stream = await waitLive(arn);
    await vi.waitFor(async () => expect(names((await session(arn)).truncatedEvents)).toContain('Stream Start'), { timeout: 10_000, interval: 200 });

    ffmpeg.process.kill('SIGSTOP');
    await vi.waitFor(async () => {
      expect((await ivs.send(new GetStreamCommand({ channelArn: arn }))).stream?.health).toBe('STARVING');
    }, { timeout: 10_000, interval: 200 });
    const { streams } = await ivs.send(new ListStreamsCommand({ filterBy: { health: 'STARVING' } }));
    expect(streams?.map((s) => s.channelArn)).toEqual([arn]);

    ffmpeg.process.kill('SIGCONT');
    await vi.waitFor(async () => {
      expect((await ivs.send(new GetStreamCommand({ channelArn: arn }))).stream?.health).toBe('HEALTHY');
    }, { timeout: 10_000, interval: 200 });

    ffmpeg.process.kill('SIGSTOP');
    const stalledAt = Date.now();
    await waitOffline(arn);
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(IDLE_TIMEOUT_MS - 1000);
    ffmpeg.process.kill('SIGCONT');
    ffmpeg.kill('SIGKILL');
    const s = await session(arn, stream.streamId);
    expect(s.endTime).toBeInstanceOf(Date);
    expect(names(s.truncatedEvents)).toEqual([
      'Session Created', 'Stream Start', 'Starvation Start', 'Starvation End', 'Starvation Start', 'Stream End', 'Session Ended:IdleTimeout',
    ]);
  });

  it('disconnects input above the channel type limit with a Limit Breach event saying why', async () => {
    const { arn, key } = await newChannel('basic-breach', { type: 'BASIC' });
    const ffmpeg = push(live.rtmpsUrl + key, { seconds: 30, size: '640x360', bitrate: '3000k', extra: ['-x264-params', 'nal-hrd=cbr'], caFile: live.caFile });
    const stream = await waitLive(arn);
    expect(await ffmpeg.exited).not.toBe(0);
    expect(ffmpeg.stderr()).toMatch(/exceeds the BASIC channel limit of 1\.5 Mbps/);
    await waitOffline(arn);
    const s = await session(arn, stream.streamId);
    expect(names(s.truncatedEvents)).toContain('Limit Breach:IngestBitrateExceeded');
    expect(names(s.truncatedEvents).at(-1)).toBe('Session Ended:IngestBitrateExceeded');
    expect(s.truncatedEvents!.find((e) => e.name === 'Limit Breach')?.type).toBe('IVS Limit Breach');
    const { streamSessions } = await ivs.send(new ListStreamSessionsCommand({ channelArn: arn }));
    expect(streamSessions![0]).toMatchObject({ streamId: stream.streamId, hasErrorEvent: true });
  });

  it('ends non-H.264 input with a Stream Failure naming the codec, while another channel keeps streaming', async () => {
    const healthy = await newChannel('keeps-going');
    const good = push(live.rtmpsUrl + healthy.key, { seconds: 8, caFile: live.caFile });
    const goodStream = await waitLive(healthy.arn);

    const { arn, key } = await newChannel('not-h264');
    const bad = push(live.rtmpsUrl + key, { seconds: 10, videoCodec: 'flv1', caFile: live.caFile });
    expect(await bad.exited).not.toBe(0);
    expect(bad.stderr()).toMatch(/Video must be H\.264 \(AVC\); this encoder sends Sorenson H\.263/);
    await waitOffline(arn);
    const { streamSessions } = await ivs.send(new ListStreamSessionsCommand({ channelArn: arn }));
    const failed = await session(arn, streamSessions![0]!.streamId);
    expect(names(failed.truncatedEvents)).toEqual(['Session Created', 'Stream Failure:UnsupportedVideoCodec', 'Stream End', 'Session Ended:UnsupportedVideoCodec']);

    // Garbage on a socket does not disturb the live channel either.
    const garbage = net.connect(live.runtime.ingest.rtmpPort, '127.0.0.1', () => garbage.end(Buffer.alloc(4000, 0xff)));
    garbage.on('error', () => undefined);
    expect((await ivs.send(new GetStreamCommand({ channelArn: healthy.arn }))).stream?.streamId).toBe(goodStream.streamId);
    expect(await good.exited).toBe(0);
    await waitOffline(healthy.arn);
    expect(names((await session(healthy.arn, goodStream.streamId)).truncatedEvents).at(-1)).toBe('Session Ended');
  });

  it('dispose() ends live sessions (recorded as ServerShutdown), disconnects encoders and closes both ports', async () => {
    const { arn, key } = await newChannel('shutdown');
    const ffmpeg = push(live.rtmpsUrl + key, { seconds: 60, caFile: live.caFile });
    const stream = await waitLive(arn);
    const ports = [live.runtime.ingest.rtmpPort, live.runtime.ingest.rtmpsPort];
    await live.dispose();
    expect(await ffmpeg.exited).not.toBe(0);
    const s = await session(arn, stream.streamId);
    expect(s.endTime).toBeInstanceOf(Date);
    expect(names(s.truncatedEvents).at(-1)).toBe('Session Ended:ServerShutdown');
    await expect(ivs.send(new GetStreamCommand({ channelArn: arn }))).rejects.toMatchObject({ name: 'ChannelNotBroadcasting' });
    expect(live.runtime.ingest.connectionCount).toBe(0);
    for (const port of ports) {
      await expect(new Promise((resolve, reject) => net.connect(port, '127.0.0.1').on('connect', resolve).on('error', reject))).rejects.toThrow(/ECONNREFUSED/);
    }
  });
});
