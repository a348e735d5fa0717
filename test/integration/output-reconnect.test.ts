/**
 * The ingest dies mid-stream: the local channel runs in its own process, is killed with SIGKILL while
 * the studio is live, and comes back 5 s later on the same ports and data dir. The engine must be live
 * again within 3 s of the ingest's return, the stats must show the reconnect and its duration, and the
 * program (and so a recording of it) must run on without a gap: capture and encoding never wait for the
 * network.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OutputStats, StreamSnapshot } from '../../src-main/contract/domains/stream';
import { waitForEvent } from '../../src-main/core/emitter';
import { configureLogging } from '../../src-main/core/logger';
import { findFfmpeg } from '../../src-main/ffmpeg/resolve-ffmpeg';
import { GoLiveService, type LocalChannelAccess } from '../../src-main/golive/go-live';
import { IvsService } from '../../src-main/ivs/ivs-service';
import { encodeFlvHeader, encodeFlvTag } from '../../src-main/media/flv';
import { classifyTag } from '../../src-main/output/gop-buffer';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { LiveFlvSource } from '../support/live-flv-source';
import { localChannelAccess, startLocalChannelOnFixedPorts, startLocalChannelProcess } from '../support/local-channel-process';

const children = new Set<ChildProcess>();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'output-reconnect-'));

afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('ingest killed for 5 s mid-stream', () => {
  it('reconnects within 3 s of its return, reports it, and the program never stops', async () => {
    configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
    let channel = await startLocalChannelOnFixedPorts(path.join(dir, 'channel'), { children });
    const ports = channel.ready.ports;
    const access = (): LocalChannelAccess => localChannelAccess(channel.ready);
    let source: LiveFlvSource | undefined;
    const goLive = new GoLiveService({
      createConnection: createRtmpPublisherConnection,
      localChannel: access,
      program: {
        acquire: async () => {
          const started = new LiveFlvSource({ gopSeconds: 1 });
          source = started;
          return { program: { source: started }, release: () => started.stop() };
        },
      },
    });
    const states: StreamSnapshot[] = [];
    goLive.onStateChange((s) => states.push(s));
    let lastStats: OutputStats | undefined;
    goLive.onStats((s) => (lastStats = s));
    let reconnectMs = 0;
    let killedAt = 0;
    let liveAgainAt = 0;
    try {
      const started = await goLive.start({ target: { kind: 'local-channel' } });
      expect(started.target?.ingestUrl).toMatch(/^rtmps:/);
      await new Promise((r) => setTimeout(r, 3000));

      killedAt = Date.now();
      channel.child.kill('SIGKILL');
      await waitForEvent(goLive.onStateChange, (s) => s.state === 'reconnecting', 5000);
      await new Promise((r) => setTimeout(r, 5000));
      channel = await startLocalChannelProcess(path.join(dir, 'channel'), ports, { children });
      await waitForEvent(goLive.onStateChange, (s) => s.state === 'live', 10_000);
      liveAgainAt = Date.now();
      reconnectMs = liveAgainAt - channel.readyAt;
      await new Promise((r) => setTimeout(r, 2500));

      // The new ingest process really has our stream.
      const ivs = new IvsService({ region: channel.ready.region, endpoint: channel.ready.apiEndpoint, credentials: { type: 'static', credentials: access().credentials, label: 'test' }, maxAttempts: 1 });
      try {
        expect((await ivs.getStream(started.target!.channelArn!))?.state).toBe('LIVE');
      } finally {
        ivs.dispose();
      }
    } finally {
      await goLive.stop();
      await goLive.dispose();
      channel.child.kill('SIGTERM');
    }
    // eslint-disable-next-line no-console
    console.log(`reconnect: live ${reconnectMs} ms after the ingest came back; outage as the stats saw it ${lastStats?.reconnects.durationsMs[0]} ms`);
    expect(reconnectMs).toBeLessThan(3000);
    const transitions = states.map((s) => s.state).filter((s, i, all) => s !== all[i - 1]);
    expect(transitions).toEqual(['starting', 'live', 'reconnecting', 'live', 'stopping', 'offline']);
    const reconnecting = states.filter((s) => s.state === 'reconnecting');
    expect(reconnecting.at(-1)?.reconnect?.attempt).toBeGreaterThan(1);
    expect(reconnecting.some((s) => s.reconnect?.lastError?.code === 'INGEST_UNREACHABLE')).toBe(true);

    expect(lastStats!.reconnects.count).toBe(1);
    // The duration runs from the drop to live again: what the test saw, give or take detection time.
    expect(lastStats!.reconnects.durationsMs[0]).toBeGreaterThanOrEqual(5000);
    expect(Math.abs(lastStats!.reconnects.durationsMs[0]! - (liveAgainAt - killedAt))).toBeLessThan(1000);

    // The program ran straight through: a recording of it has no gap and decodes.
    const frames = source!.produced.filter((t) => ['keyframe', 'video'].includes(classifyTag(t)) && t.data[1] === 1);
    const gaps = frames.slice(1).map((t, i) => t.timestamp - frames[i]!.timestamp);
    expect(Math.max(...gaps)).toBeLessThan(500);
    const recording = path.join(dir, 'program.flv');
    fs.writeFileSync(recording, Buffer.concat([encodeFlvHeader(true, true), ...source!.produced.map(encodeFlvTag)]));
    const decode = spawnSync(findFfmpeg().path, ['-v', 'error', '-xerror', '-i', recording, '-f', 'null', '-'], { encoding: 'utf8' });
    expect(decode.stderr).toBe('');
    expect(frames.at(-1)!.timestamp - frames[0]!.timestamp).toBeGreaterThan(10_000);
  }, 60_000);
});
