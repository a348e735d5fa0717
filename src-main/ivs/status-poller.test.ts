import type { _Stream as IvsStream, StreamSession } from '@aws-sdk/client-ivs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelLiveStatus } from '../contract/domains/accounts';
import { StudioError } from '../core/studio-error';
import { LiveStatusPoller, type StreamStatusSource } from './status-poller';

const channelArn = 'arn:aws:ivs:us-west-2:000000000000:channel/poller123456';

/**
 * A scripted source: the poller's cadence, back-off and session caching are what is under test
 * here; the IVS calls themselves are exercised against the local channel in test/integration.
 */
function scripted(script: (() => IvsStream | undefined | Error)[]) {
  const calls: string[] = [];
  let step = 0;
  const session: StreamSession = {
    streamId: 'st-1AuTyMDASvHUTSb8p5PvbsO',
    ingestConfigurations: {
      videoConfigurations: [{ codec: 'avc1.64001F', videoWidth: 1280, videoHeight: 720, targetFramerate: 30, targetBitrate: 3_000_000, profile: 'High', level: '3.1', encoder: 'Lavf59' }],
      audioConfigurations: [{ codec: 'mp4a.40.2', sampleRate: 48_000, channels: 2, targetBitrate: 160_000 }],
    },
    truncatedEvents: [{ name: 'Stream Start', type: 'IVS Stream State Change', eventTime: new Date('2026-01-01T00:00:01Z') }],
  };
  const source: StreamStatusSource = {
    async getStream() {
      calls.push('GetStream');
      const next = script[Math.min(step++, script.length - 1)]!();
      if (next instanceof Error) throw next;
      return next;
    },
    async getStreamSession(_arn, streamId) {
      calls.push(`GetStreamSession(${streamId ?? 'latest'})`);
      return session;
    },
  };
  return { source, calls };
}

const live: IvsStream = { channelArn, streamId: 'st-1AuTyMDASvHUTSb8p5PvbsO', state: 'LIVE', health: 'HEALTHY', viewerCount: 3, startTime: new Date(Date.now() - 60_000) };
const throttled = () => new StudioError('THROTTLED', { message: 'IVS is throttling GetStream' });

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveStatusPoller', () => {
  it('reports LIVE with health, viewers, ingest configuration, events and the 48 h budget', async () => {
    const { source, calls } = scripted([() => live]);
    const poller = new LiveStatusPoller(source, { accountId: 'local', channelArn });
    const status = (await poller.pollNow())!;
    expect(status).toMatchObject({
      accountId: 'local',
      channelArn,
      state: 'LIVE',
      health: 'HEALTHY',
      viewerCount: 3,
      streamId: live.streamId,
      video: { codec: 'avc1.64001F', videoWidth: 1280, videoHeight: 720, targetFramerate: 30, targetBitrate: 3_000_000 },
      audio: { codec: 'mp4a.40.2', sampleRate: 48_000, channels: 2 },
      events: [{ name: 'Stream Start', type: 'IVS Stream State Change', eventTime: '2026-01-01T00:00:01.000Z' }],
      nextPollMs: 5_000,
    });
    expect(status.sessionLimit?.level).toBe('ok');
    expect(calls).toEqual(['GetStream', `GetStreamSession(${live.streamId})`]);
    // The session is cached for the same stream id within the refresh period.
    await poller.pollNow();
    expect(calls).toEqual(['GetStream', `GetStreamSession(${live.streamId})`, 'GetStream']);
    await poller.dispose();
  });

  it('backs off exponentially on errors (throttling), keeps the last state, and recovers on success', async () => {
    vi.useFakeTimers();
    const { source } = scripted([() => live, throttled, throttled, throttled, () => live]);
    const poller = new LiveStatusPoller(source, { accountId: 'local', channelArn, liveIntervalMs: 1_000, maxBackoffMs: 5_000 });
    const seen: ChannelLiveStatus[] = [];
    poller.onStatus((s) => seen.push(s));
    poller.start();
    for (const ms of [0, 1_000, 2_000, 4_000, 5_000]) await vi.advanceTimersByTimeAsync(ms);
    expect(seen.map((s) => [s.state, s.error?.code ?? null, s.nextPollMs])).toEqual([
      ['LIVE', null, 1_000],
      ['LIVE', 'THROTTLED', 2_000],
      ['LIVE', 'THROTTLED', 4_000],
      ['LIVE', 'THROTTLED', 5_000],
      ['LIVE', null, 1_000],
    ]);
    await poller.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('offline: reads the last session once, polls slower, and leaves no timer after dispose', async () => {
    vi.useFakeTimers();
    const { source, calls } = scripted([() => undefined]);
    const poller = new LiveStatusPoller(source, { accountId: 'local', channelArn, offlineIntervalMs: 10_000 });
    poller.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(poller.latest).toMatchObject({ state: 'OFFLINE', nextPollMs: 10_000, streamId: live.streamId });
    expect(poller.latest?.video).toBeUndefined();
    expect(calls).toEqual(['GetStream', 'GetStreamSession(latest)', 'GetStream']);
    await poller.dispose();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls.length).toBe(3);
  });
});
