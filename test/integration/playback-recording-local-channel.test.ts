/**
 * Recording through the whole local channel: a recording configuration created with the real SDK,
 * a channel using it, a real ffmpeg RTMPS push, PutMetadata — then, after the stream ends, the IVS S3
 * layout under the configuration's bucket folder, a VOD ffprobe plays, the cue inside, and the
 * Recording Start/End events in GetStreamSession.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateChannelCommand, CreateRecordingConfigurationCommand, GetStreamCommand, GetStreamSessionCommand, IvsClient, PutMetadataCommand } from '@aws-sdk/client-ivs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { parseId3Tag } from '../../src-main/media/id3';
import { TS_PIDS, demuxTs } from '../../src-main/media/mpegts';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';

const run = promisify(execFile);
let dataDir: string;
let local: LocalChannel;
let live: LocalChannelLive;
let ivs: IvsClient;
let pusher: FfmpegPusher | undefined;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recording-local-'));
  local = await startLocalChannel({ dataDir, port: 0 });
  live = await startLiveRuntime(local, { dataDir });
  ivs = new IvsClient({ region: local.region, endpoint: local.apiEndpoint, credentials: local.credentials });
});

afterAll(async () => {
  pusher?.kill('SIGKILL');
  await live?.dispose();
  await local?.dispose();
  ivs?.destroy();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('recording through the local channel', () => {
  it('records a pushed stream into the configuration bucket as an IVS-layout VOD with its cue and events', async () => {
    const { recordingConfiguration } = await ivs.send(new CreateRecordingConfigurationCommand({ name: 'rec', destinationConfiguration: { s3: { bucketName: 'studio-recordings' } } }));
    const created = await ivs.send(new CreateChannelCommand({ name: 'recorded', recordingConfigurationArn: recordingConfiguration!.arn! }));
    const arn = created.channel!.arn!;
    pusher = pushWithFfmpeg(live.rtmpsUrl + created.streamKey!.value!, { seconds: 4, caFile: live.caFile });
    const streamId = await vi.waitFor(async () => (await ivs.send(new GetStreamCommand({ channelArn: arn }))).stream!.streamId!, { timeout: 15_000, interval: 100 });
    await vi.waitFor(() => expect(live.playback.stream(arn)?.timeline.latest()).toBeDefined(), { timeout: 10_000, interval: 50 });
    await ivs.send(new PutMetadataCommand({ channelArn: arn, metadata: 'recorded cue ✓' }));
    await pusher.exited;
    await vi.waitFor(async () => {
      const events = (await ivs.send(new GetStreamSessionCommand({ channelArn: arn, streamId }))).streamSession!.truncatedEvents!.map((e) => e.name);
      expect(events).toContain('Recording End');
    }, { timeout: 15_000, interval: 100 });

    const session = (await ivs.send(new GetStreamSessionCommand({ channelArn: arn, streamId }))).streamSession!;
    const names = [...session.truncatedEvents!].reverse().map((e) => e.name);
    expect(names.filter((n) => n?.startsWith('Recording'))).toEqual(['Recording Start', 'Recording End']);
    expect(names.indexOf('Stream Start')).toBeLessThan(names.indexOf('Recording Start'));

    const bucket = path.join(dataDir, 'local-channel', 's3', 'studio-recordings');
    const channelId = arn.split('/').pop()!;
    const files = walk(bucket).map((f) => path.relative(bucket, f));
    const started = files.find((f) => f.endsWith('events/recording-started.json'))!;
    expect(started).toMatch(new RegExp(`^ivs/v1/000000000000/${channelId}/\\d{4}/\\d{1,2}/\\d{1,2}/\\d{1,2}/\\d{1,2}/[A-Za-z0-9]{12}/events/recording-started\\.json$`));
    const root = path.join(bucket, path.dirname(path.dirname(started)));
    const master = path.join(root, 'media', 'hls', 'master.m3u8');
    const probe = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', master]);
    expect(Number(probe.stdout.trim())).toBeGreaterThan(3);
    const cues = walk(path.join(root, 'media', 'hls'))
      .filter((f) => f.endsWith('.ts'))
      .flatMap((f) => demuxTs(fs.readFileSync(f)).pes.filter((p) => p.pid === TS_PIDS.id3))
      .flatMap((p) => parseId3Tag(p.payload).frames.filter((frame) => frame.id === 'PRIV').map((frame) => frame.data.toString()));
    expect(cues).toEqual(['recorded cue ✓']);
  }, 45_000);
});
