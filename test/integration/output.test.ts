/**
 * The stream output for real: a live ffmpeg program → StreamOutput → the studio's RTMP(S) publisher →
 * the local channel's ingest server on 127.0.0.1. What arrives must decode, carry our SEI wall-clock
 * stamps, survive the ingest going away for 5 s, and end with a proper unpublish — and the stream key
 * must be in no process's command line or environment and in no log file.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestServer, type IngestEndReason } from '../../src-main/channel/ingest/ingest-server';
import { ensureIngestTls, type IngestTlsMaterial } from '../../src-main/channel/ingest/tls-material';
import type { OutputStats } from '../../src-main/contract/domains/stream';
import { waitForEvent } from '../../src-main/core/emitter';
import { configureLogging } from '../../src-main/core/logger';
import { findFfmpeg, findFfprobe } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { splitAvccNalUnits } from '../../src-main/media/avc';
import { encodeFlvHeader, encodeFlvTag, type FlvTag } from '../../src-main/media/flv';
import { classifyTag } from '../../src-main/output/gop-buffer';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { readStudioStampsFromNals } from '../../src-main/output/sei-stamp';
import { StreamOutput, type ConnectionFactory } from '../../src-main/output/stream-output';
import { LiveFlvSource } from '../support/live-flv-source';
import { findSecret } from '../support/secret-scan';
import { until } from '../support/until';

const KEY = 'sk_us-west-2_outputTest_0123456789abcdefghijklmnopqrstuv';

interface Session {
  tags: FlvTag[];
  ended: Promise<IngestEndReason>;
}

let dir: string;
let tlsMaterial: IngestTlsMaterial;
let server: IngestServer;
const sessions: Session[] = [];

async function startIngest(ports: { rtmpPort?: number; rtmpsPort?: number } = {}): Promise<IngestServer> {
  const ingest = new IngestServer({
    tls: tlsMaterial,
    ...ports,
    handler: {
      publish(publisher) {
        if (publisher.request.streamName !== KEY) return { accept: false, code: 'NetStream.Publish.BadName', description: 'Invalid stream key.' };
        const tags: FlvTag[] = [];
        publisher.onTag((t) => tags.push(t));
        sessions.push({ tags, ended: new Promise((resolve) => publisher.onEnd(resolve)) });
        return { accept: true };
      },
    },
  });
  await ingest.start();
  return ingest;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-test-'));
  configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
  tlsMaterial = await ensureIngestTls(dir);
  server = await startIngest();
});

afterAll(async () => {
  await server?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeFlv(file: string, tags: FlvTag[]): string {
  fs.writeFileSync(file, Buffer.concat([encodeFlvHeader(true, true), ...tags.map(encodeFlvTag)]));
  return file;
}

/** ffmpeg decodes every frame; any decoder error fails. Returns the number of video frames. */
function decodeFrames(file: string): number {
  const run = spawnSync(findFfmpeg().path, ['-hide_banner', '-v', 'error', '-xerror', '-i', file, '-map', '0:v', '-f', 'framemd5', '-'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout.split('\n').filter((l) => /^0,/.test(l)).length;
}

const isFrame = (t: FlvTag) => ['keyframe', 'video'].includes(classifyTag(t)) && t.data[1] === 1;
const framesOf = (s: Session | undefined) => s?.tags.filter(isFrame).length ?? 0;
const keyframesOf = (s: Session | undefined) => s?.tags.filter((t) => classifyTag(t) === 'keyframe').length ?? 0;

const stampsOf = (t: FlvTag) => readStudioStampsFromNals(splitAvccNalUnits(t.data.subarray(5), 4));

describe('stream output → RTMP(S) ingest', () => {
  it('goes live over RTMPS: decodable, stamped, stats every second, no key anywhere, clean unpublish', async () => {
    const source = new LiveFlvSource();
    const output = new StreamOutput({
      source,
      target: { ingestUrl: server.rtmpsUrl!.replace(/\/$/, ''), streamKey: KEY, ca: tlsMaterial.caPem },
      createConnection: createRtmpPublisherConnection,
    });
    const stats: OutputStats[] = [];
    output.onStats((s) => stats.push(s));
    try {
      await output.start();
      expect(output.state).toBe('live');
      await waitForEvent(output.onStats, (s) => s.bytesAcked > 0 && stats.length >= 3, 10_000);
      expect(findSecret(KEY, [path.join(dir, 'logs')])).toEqual([]);
      expect(fs.readFileSync(path.join(dir, 'logs', 'studio.log'), 'utf8')).toMatch(/publishing to rtmps:\/\/127\.0\.0\.1/);
    } finally {
      await output.stop();
      await source.stop();
    }
    const session = sessions.at(-1)!;
    expect(await session.ended).toEqual({ kind: 'unpublished' });
    await new Promise((r) => setTimeout(r, 50));
    expect(server.connectionCount).toBe(0);

    expect(session.tags.slice(0, 4).map(classifyTag)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe']);
    const frames = decodeFrames(writeFlv(path.join(dir, 'rtmps.flv'), session.tags));
    expect(frames).toBe(session.tags.filter(isFrame).length);
    expect(frames).toBeGreaterThan(30);
    const probe = spawnSync(findFfprobe(), ['-v', 'error', '-show_entries', 'stream=codec_name', '-of', 'csv=p=0', path.join(dir, 'rtmps.flv')], { encoding: 'utf8' });
    expect(probe.stdout.trim().split('\n').sort()).toEqual(['aac', 'h264']);

    // Every frame carries one stamp: after ffmpeg started, before the test ended, and in step with the
    // media time (capture-time estimates may settle by a few tens of ms at the start).
    const stamped = session.tags.filter(isFrame);
    const stamps = stamped.map(stampsOf);
    expect(stamps.every((s) => s.length === 1)).toBe(true);
    const times = stamps.map((s) => s[0]!);
    expect(times[0]).toBeGreaterThanOrEqual(source.spawnedAt);
    expect(Math.max(...times)).toBeLessThanOrEqual(Date.now());
    // Judged against the median offset (stamp − media time), so a first estimate that had not settled
    // does not shift every frame; the first second of media is the settling time and only bounded loosely.
    const offsets = times.map((t, i) => t - stamped[i]!.timestamp);
    const median = [...offsets].sort((a, b) => a - b)[Math.floor(offsets.length / 2)]!;
    const drift = offsets.map((o) => Math.abs(o - median));
    const settledFrom = stamped.findIndex((tag) => tag.timestamp - stamped[0]!.timestamp >= 1000);
    expect(settledFrom).toBeGreaterThan(0);
    expect(Math.max(...drift.slice(settledFrom))).toBeLessThan(250);
    expect(Math.max(...drift.slice(0, settledFrom))).toBeLessThan(1000);
    const sortedDrift = [...drift.slice(settledFrom)].sort((a, b) => a - b);
    expect(sortedDrift[Math.floor(sortedDrift.length / 2)]!).toBeLessThan(50);

    const last = stats.at(-1)!;
    expect(last.bytesSent).toBeGreaterThan(0);
    expect(last.bytesAcked).toBeGreaterThan(0);
    expect(last.bytesAcked).toBeLessThanOrEqual(last.bytesSent);
    expect(Math.max(...stats.map((s) => s.bitrateBps))).toBeGreaterThan(100_000);
    expect(last.droppedFrames.total).toBe(0);
  });

  it('survives the ingest going away for 5 s: back within 3 s of its return, whole GOPs, continuous timeline, reconnect in the stats', async () => {
    const source = new LiveFlvSource({ gopSeconds: 1 });
    // What the output handed each real connection (a recording pass-through, not a stand-in): frames
    // written just before the ingest vanished may die in the socket, so continuity is judged on what
    // was sent, and the ingest must have received the resumed run exactly as sent.
    const sent: FlvTag[][] = [];
    const recording: ConnectionFactory = (target) => {
      const connection = createRtmpPublisherConnection(target);
      const tags: FlvTag[] = [];
      sent.push(tags);
      const send = connection.send.bind(connection);
      connection.send = (tag) => {
        tags.push(tag);
        return send(tag);
      };
      return connection;
    };
    // A buffer shorter than the outage: the frames it cannot hold are lost, and must be counted.
    const output = new StreamOutput({
      source,
      target: { ingestUrl: server.rtmpUrl, streamKey: KEY },
      createConnection: recording,
      bufferLimits: { maxBytes: 8 * 1024 * 1024, maxDurationMs: 2000 },
    });
    const states: string[] = [];
    // Reconnect progress (attempts, next attempt time) is announced too: keep the transitions only.
    output.onStateChange((s) => states.at(-1) !== s.state && states.push(s.state));
    const first = sessions.length;
    let cameBackAt = 0;
    let liveAgainAt = 0;
    try {
      await output.start();
      // Away only once the ingest has received real frames (two GOPs): on a busy machine ffmpeg may take
      // seconds to produce its first one, and a session with no frames proves nothing about continuity.
      await until(() => framesOf(sessions[first]) >= 60 && keyframesOf(sessions[first]) >= 2, 30_000, 'two GOPs before the outage');
      const ports = { rtmpPort: server.rtmpPort, rtmpsPort: server.rtmpsPort };
      await server.stop(); // the ingest is gone
      await waitForEvent(output.onStateChange, (s) => s.state === 'reconnecting', 5000);
      await new Promise((r) => setTimeout(r, 5000));
      server = await startIngest(ports);
      cameBackAt = Date.now();
      await waitForEvent(output.onStateChange, (s) => s.state === 'live', 10_000);
      liveAgainAt = Date.now();
      await until(() => framesOf(sessions[first + 1]) > 60, 30_000, 'two seconds of frames after the return');
    } finally {
      await output.stop();
      await source.stop();
    }
    const stats = output.stats();
    expect(liveAgainAt - cameBackAt).toBeLessThan(3000);
    expect(states).toEqual(['starting', 'live', 'reconnecting', 'live', 'stopping', 'offline']);
    expect(stats.reconnects.count).toBe(1);
    expect(stats.reconnects.durationsMs[0]).toBeGreaterThanOrEqual(5000);
    expect(stats.reconnects.durationsMs[0]).toBeLessThan(5000 + 3000 + 1000);

    const [before, after] = sessions.slice(first);
    expect(after).toBeDefined();
    // The second session starts decodable: headers, then a keyframe, and decodes without an error.
    expect(after!.tags.slice(0, 4).map(classifyTag)).toEqual(['metadata', 'video-header', 'audio-header', 'keyframe']);
    expect(decodeFrames(writeFlv(path.join(dir, 'after.flv'), after!.tags))).toBeGreaterThan(30);
    // The timeline continues: the first frame after the gap is one frame interval after the last one
    // sent before it (and after everything the ingest received before it).
    const [sentBefore, sentAfter] = [sent[0]!, sent.at(-1)!];
    expect(sentAfter.length).toBeGreaterThan(0);
    expect(after!.tags.map((t) => t.timestamp)).toEqual(sentAfter.slice(0, after!.tags.length).map((t) => t.timestamp));
    const lastBefore = Math.max(...sentBefore.filter(isFrame).map((t) => t.timestamp));
    const firstAfter = sentAfter.find(isFrame)!.timestamp;
    expect(firstAfter - lastBefore).toBeGreaterThan(0);
    expect(firstAfter - lastBefore).toBeLessThanOrEqual(50);
    expect(firstAfter).toBeGreaterThan(Math.max(...before!.tags.filter(isFrame).map((t) => t.timestamp)));
    const afterTimes = after!.tags.slice(3).map((t) => t.timestamp);
    expect(afterTimes.every((t, i) => i === 0 || t >= afterTimes[i - 1]! - 30)).toBe(true);
    // The encoder never waited for the network: its own timeline has no hole anywhere near the 5 s
    // outage (a frame or two may slip on a loaded machine; waiting on the socket would leave seconds).
    const produced = source.produced.filter(isFrame).map((t) => t.timestamp);
    expect(Math.max(...produced.slice(1).map((t, i) => t - produced[i]!))).toBeLessThan(500);
    // Frames lost while away are counted, by cause.
    expect(stats.droppedFrames.total).toBeGreaterThan(0);
  }, 120_000);

  it('refuses a wrong key with STREAM_KEY_REJECTED and leaves nothing running', async () => {
    const source = new LiveFlvSource({ seconds: 3 });
    const output = new StreamOutput({ source, target: { ingestUrl: server.rtmpUrl, streamKey: 'sk_us-west-2_wrongKey_0000000000' }, createConnection: createRtmpPublisherConnection });
    try {
      await expect(output.start()).rejects.toMatchObject({ code: 'STREAM_KEY_REJECTED' });
      expect(output.state).toBe('offline');
    } finally {
      await source.stop();
    }
  });
});
