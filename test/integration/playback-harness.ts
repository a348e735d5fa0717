/**
 * Test harness for the playback service on its own (before/without the RTMP ingest): a real ffmpeg
 * encodes a test pattern to FLV on a pipe in real time, FlvDemuxer splits the tags, the packager
 * serves them over a real HTTP server on 127.0.0.1. The channel directory is a small in-memory one
 * (the control plane is not under test here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { FlvDemuxer } from '../../src-main/media/flv';
import { createPlaybackService, type PlaybackService, type PlaybackServiceOptions, type PlaybackStream, type StreamHooks } from '../../src-main/channel/playback/playback-service';
import type { ChannelDirectory, ChannelRecord, PlaybackPublicKey } from '../../src-main/channel/runtime';

export const ACCOUNT = '000000000000';
export const REGION = 'us-west-2';

export class TestDirectory implements ChannelDirectory {
  readonly accountId = ACCOUNT;
  readonly region = REGION;
  readonly channels = new Map<string, ChannelRecord>();
  readonly keys: PlaybackPublicKey[] = [];
  readonly folders = new Map<string, string>();
  constructor(private readonly baseUrl: () => string) {}

  addChannel(id: string, overrides: Partial<ChannelRecord> = {}): ChannelRecord {
    const channel: ChannelRecord = {
      arn: `arn:aws:ivs:${REGION}:${ACCOUNT}:channel/${id}`,
      id,
      name: id,
      type: 'STANDARD',
      latencyMode: 'LOW',
      authorized: false,
      insecureIngest: false,
      containerFormat: 'TS',
      recordingConfigurationArn: '',
      playbackUrl: `${this.baseUrl()}/api/video/v1/${REGION}.${ACCOUNT}.channel.${id}.m3u8`,
      ...overrides,
    };
    this.channels.set(id, channel);
    return channel;
  }
  channelForStreamKey(): ChannelRecord | undefined {
    return undefined;
  }
  channelById(id: string): ChannelRecord | undefined {
    return this.channels.get(id);
  }
  playbackPublicKeys(): PlaybackPublicKey[] {
    return this.keys;
  }
  recordingFolder(arn: string): string | undefined {
    return this.folders.get(arn);
  }
}

export interface Harness {
  baseUrl: string;
  directory: TestDirectory;
  service: PlaybackService;
  server: http.Server;
  /** Encodes `seconds` of test pattern in real time into a new stream of `channel`. */
  push(channel: ChannelRecord, options?: PushOptions): Push;
  dispose(): Promise<void>;
}

export interface PushOptions {
  seconds?: number;
  size?: string;
  fps?: number;
  gop?: number;
  hooks?: StreamHooks;
  streamId?: string;
  /** Extra ffmpeg video filter (e.g. drawtext) applied before encoding. */
  videoFilter?: string;
}

export interface Push {
  stream: PlaybackStream;
  ffmpeg: ChildProcess;
  /** Resolves when ffmpeg exits and the stream has ended. */
  done: Promise<void>;
  /** Stops early (kills ffmpeg) and ends the stream. */
  stop(): Promise<void>;
}

export async function startHarness(options: Partial<PlaybackServiceOptions> = {}): Promise<Harness> {
  let baseUrl = '';
  const directory = new TestDirectory(() => baseUrl);
  const service = createPlaybackService({ directory, ...options });
  const server = http.createServer((req, res) => {
    void service.handler(req, res).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pushes = new Set<Push>();
  let counter = 0;

  return {
    baseUrl,
    directory,
    service,
    server,
    push(channel, push = {}) {
      const seconds = push.seconds ?? 3;
      const fps = push.fps ?? 30;
      const gop = push.gop ?? fps;
      const streamId = push.streamId ?? `st-test${String(++counter).padStart(19, '0')}`;
      const stream = service.startStream(channel, streamId, push.hooks);
      const ffmpeg = spawn(findFfmpeg().path, [
        '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
        '-f', 'lavfi', '-i', `testsrc2=size=${push.size ?? '320x180'}:rate=${fps}`,
        '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
        '-t', String(seconds),
        ...(push.videoFilter ? ['-vf', push.videoFilter] : []),
        '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p',
        '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
        '-c:a', 'aac', '-b:a', '64k', '-f', 'flv', '-flvflags', 'no_duration_filesize', 'pipe:1',
      ], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      ffmpeg.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      const demuxer = new FlvDemuxer();
      ffmpeg.stdout!.on('data', (chunk: Buffer) => {
        for (const tag of demuxer.push(chunk)) stream.pushTag(tag);
      });
      const done = new Promise<void>((resolve, reject) => {
        ffmpeg.on('close', (code, signal) => {
          stream.end();
          pushes.delete(entry);
          if (code === 0 || signal === 'SIGTERM') resolve();
          else reject(new Error(`ffmpeg exited ${code ?? signal}: ${stderr}`));
        });
      });
      const entry: Push = {
        stream,
        ffmpeg,
        done,
        async stop() {
          if (ffmpeg.exitCode === null && ffmpeg.signalCode === null) ffmpeg.kill('SIGTERM');
          await done.catch(() => undefined);
        },
      };
      pushes.add(entry);
      return entry;
    },
    async dispose() {
      await Promise.all([...pushes].map((p) => p.stop()));
      await service.dispose();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function fetchText(url: string, init?: RequestInit): Promise<{ status: number; text: string; headers: Headers; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, text, headers: response.headers, ms: performance.now() - started };
}

export async function fetchBytes(url: string): Promise<Buffer> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`GET ${url} → ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** Resolves the media playlist URL from a multivariant playlist body. */
export function mediaPlaylistUrl(multivariantUrl: string, body: string): string {
  const line = body.split('\n').find((l) => l && !l.startsWith('#'));
  if (!line) throw new Error(`no variant in ${body}`);
  return new URL(line, multivariantUrl).toString();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
