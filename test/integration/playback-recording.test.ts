/**
 * Recording to IVS's S3 layout under the recording configuration's folder: a real-time ffmpeg stream
 * is packaged and recorded; once it ends the recording is a VOD that ffprobe plays end to end, with
 * the events JSON and the timed metadata kept.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import type { StreamEvent } from '../../src-main/channel/runtime';
import { readBoxes, parseId3Emsg } from '../../src-main/media/fmp4';
import { parseId3Tag } from '../../src-main/media/id3';
import { TS_PIDS, demuxTs } from '../../src-main/media/mpegts';
import { sleep, startHarness, type Harness } from './playback-harness';

const run = promisify(execFile);
let harness: Harness;
let bucket: string;

beforeEach(async () => {
  harness = await startHarness();
  bucket = fs.mkdtempSync(path.join(os.tmpdir(), 'ivs-recording-'));
});
afterEach(async () => {
  await harness.dispose();
  fs.rmSync(bucket, { recursive: true, force: true });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(path.join(dir, entry.name)) : [path.join(dir, entry.name)]));
}

describe('recording', () => {
  for (const containerFormat of ['TS', 'FRAGMENTED_MP4'] as const) {
    it(`writes ${containerFormat} in IVS's S3 layout and leaves a VOD with the timed metadata once the stream ends`, async () => {
      const configArn = 'arn:aws:ivs:us-west-2:000000000000:recording-configuration/ABcdef34ghIJ';
      harness.directory.folders.set(configArn, bucket);
      const channel = harness.directory.addChannel(containerFormat === 'TS' ? 'recordTs0001' : 'recordMp4001', { recordingConfigurationArn: configArn, containerFormat });
      const events: StreamEvent[] = [];
      const startedAt = new Date();
      const push = harness.push(channel, { seconds: 3.5, hooks: { onEvent: (e) => events.push(e) } });
      await sleep(1500);
      push.stream.insertMetadata('{"recorded":"yes ✓"}');
      await push.done;
      await push.stream.recording!.whenDone();

      const prefix = push.stream.recording!.prefix;
      const d = startedAt;
      expect(prefix).toMatch(new RegExp(`^ivs/v1/000000000000/${channel.id}/${d.getUTCFullYear()}/${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCHours()}/\\d{1,2}/[A-Za-z0-9]{12}$`));
      const root = path.join(bucket, ...prefix.split('/'));
      const files = walk(root).map((f) => path.relative(root, f)).sort();
      const ext = containerFormat === 'TS' ? 'ts' : 'm4s';
      expect(files).toEqual(expect.arrayContaining(['events/recording-started.json', 'events/recording-ended.json', 'media/hls/master.m3u8', 'media/hls/180p30/playlist.m3u8', `media/hls/180p30/0.${ext}`]));
      expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);

      const started = JSON.parse(fs.readFileSync(path.join(root, 'events/recording-started.json'), 'utf8'));
      const ended = JSON.parse(fs.readFileSync(path.join(root, 'events/recording-ended.json'), 'utf8'));
      expect(started).toMatchObject({ channel_arn: channel.arn, recording_status: 'RECORDING_STARTED', media: { hls: { path: 'media/hls', playlist: 'master.m3u8', renditions: [{ path: '180p30', playlist: 'playlist.m3u8', resolution_width: 320, resolution_height: 180 }] } } });
      expect(ended).toMatchObject({ channel_arn: channel.arn, recording_status: 'RECORDING_ENDED', recording_started_at: started.recording_started_at });
      expect(ended.media.hls.duration_ms).toBeGreaterThan(3000);

      const playlist = fs.readFileSync(path.join(root, 'media/hls/180p30/playlist.m3u8'), 'utf8');
      expect(playlist).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
      expect(playlist.trim().endsWith('#EXT-X-ENDLIST')).toBe(true);
      const probe = await run(findFfprobe(), ['-v', 'error', '-show_entries', 'format=duration:stream=codec_name', '-of', 'csv=p=0', path.join(root, 'media/hls/master.m3u8')]);
      const lines = probe.stdout.trim().split('\n');
      expect(lines).toEqual(expect.arrayContaining(['h264', 'aac']));
      expect(Number(lines.at(-1))).toBeGreaterThan(3);

      // The cue is in the recorded media, as the same ID3 PRIV frame viewers got.
      const cues: string[] = [];
      for (const file of files.filter((f) => f.endsWith(`.${ext}`))) {
        const bytes = fs.readFileSync(path.join(root, file));
        const tags = containerFormat === 'TS'
          ? demuxTs(bytes).pes.filter((p) => p.pid === TS_PIDS.id3).map((p) => p.payload)
          : readBoxes(bytes).filter((b) => b.type === 'emsg').map((b) => parseId3Emsg(b.body).data);
        for (const tag of tags) for (const frame of parseId3Tag(tag).frames) if (frame.id === 'PRIV') cues.push(frame.data.toString());
      }
      expect(cues).toEqual(['{"recorded":"yes ✓"}']);

      expect(events.map((e) => e.name)).toEqual(['Stream Start', 'Recording Start', 'Stream End', 'Recording End']);
      expect(events.find((e) => e.name === 'Recording End')!.type).toBe('IVS Recording State Change');
    }, 30_000);
  }
});
