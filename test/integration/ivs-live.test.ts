/**
 * IVS's view of a live stream, end to end with real parts: the local channel (control plane + live
 * runtime) on 127.0.0.1, a real ffmpeg broadcasting to its ingest with the key the studio put in the
 * keychain, the real @aws-sdk/client-ivs, and the studio's status poller. Covers LIVE with the ingest
 * configuration and events, delete/update refused while live (Conflict explained), throttling
 * (PutMetadata > 5/s per channel), and Stop Stream.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, type AccountsService } from '../../src-main/accounts/accounts-service';
import type { LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import type { LocalChannel } from '../../src-main/channel/local-channel';
import type { ChannelDetails, ChannelLiveStatus } from '../../src-main/contract/domains/accounts';
import { waitForEvent } from '../../src-main/core/emitter';
import { StudioError } from '../../src-main/core/studio-error';
import { IvsService } from '../../src-main/ivs/ivs-service';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { requireSecretService, startLiveStudio, type LiveStudio } from '../support/local-channel-stack';
import { rejection } from '../support/rejection';

let dir: string;
let studio: LiveStudio;
let channel: LocalChannel;
let live: LocalChannelLive;
let accounts: AccountsService;
let target: ChannelDetails;
let pusher: FfmpegPusher | undefined;

function statusWhere(predicate: (s: ChannelLiveStatus) => boolean, timeoutMs = 20_000): Promise<ChannelLiveStatus> {
  const now = accounts.getStatus();
  if (now && predicate(now)) return Promise.resolve(now);
  return waitForEvent(accounts.onDidChangeStatus, predicate, timeoutMs);
}

beforeAll(async () => {
  requireSecretService();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ivs-live-'));
  studio = await startLiveStudio(path.join(dir, 'channel'), {
    dataDir: path.join(dir, 'studio'),
    ivs: { maxAttempts: 1 },
    // Quick cadence so the test does not wait on the production 5 s / 10 s.
    statusPolling: { liveIntervalMs: 400, offlineIntervalMs: 400, sessionRefreshMs: 400 },
  });
  ({ channel, live, accounts } = studio);
  target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'live-status' });
  await accounts.select(LOCAL_ACCOUNT_ID, target.arn);
});

afterAll(async () => {
  pusher?.kill();
  await pusher?.exited;
  await studio?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('live status from IVS', () => {
  it('is OFFLINE before anyone publishes', async () => {
    const status = await statusWhere((s) => s.channelArn === target.arn);
    expect(status.state).toBe('OFFLINE');
    expect(status.error).toBeUndefined();
  });

  it('turns LIVE with health, start time, the ingest configuration IVS received and its events', async () => {
    // The broadcaster gets the key the studio stored in the keychain (this test's own ffmpeg).
    const { streamKey, ingestUrl, ca } = await accounts.resolveStreamTarget();
    expect(ingestUrl).toBe(live.rtmpsUrl);
    expect(ca).toBe(live.caPem);
    pusher = pushWithFfmpeg(`${ingestUrl}${streamKey}`, { seconds: 60, size: '320x180', rate: 30, bitrate: '400k', caFile: live.caFile });
    const status = await statusWhere((s) => s.state === 'LIVE' && !!s.video && !!s.audio);
    expect(status.health).toBe('HEALTHY');
    expect(status.streamId).toMatch(/^st-[a-zA-Z0-9]{23}$/);
    expect(Date.now() - new Date(status.startTime!).getTime()).toBeLessThan(60_000);
    expect(status.video).toMatchObject({ videoWidth: 320, videoHeight: 180, targetFramerate: 30 });
    expect(status.video!.codec).toMatch(/^avc1\./);
    expect(status.audio).toMatchObject({ codec: 'mp4a.40.2', sampleRate: 48_000, channels: 2 });
    expect(status.sessionLimit).toMatchObject({ level: 'ok' });
    expect(status.events.map((e) => e.name)).toEqual(expect.arrayContaining(['Session Created']));
  });

  it('refuses to delete or change the live channel, explaining IVS Conflict', async () => {
    const deletion = await rejection(accounts.deleteChannel(LOCAL_ACCOUNT_ID, target.arn));
    expect(deletion.code).toBe('IVS_CONFLICT');
    expect(deletion.message).toMatch(/live-status|channel\//);
    expect(deletion.message).toMatch(/is live, and IVS does not delete a channel while it is streaming/);
    expect(deletion.action).toBe('Stop the stream (Stop Stream), wait until IVS shows it offline, then try again.');
    const change = await rejection(accounts.setRecording(LOCAL_ACCOUNT_ID, target.arn, ''));
    expect(change.code).toBe('IVS_CONFLICT');
    expect(change.message).toMatch(/does not change a channel while it is streaming/);
    // Still there, still selected, key still in the keychain.
    expect((await accounts.listChannels(LOCAL_ACCOUNT_ID)).some((c) => c.arn === target.arn)).toBe(true);
    expect((await accounts.resolveStreamTarget()).channelArn).toBe(target.arn);
  });

  it('maps IVS throttling: PutMetadata above 5 calls/s per channel', async () => {
    const ivs = new IvsService({ region: channel.region, endpoint: channel.apiEndpoint, credentials: { type: 'static', credentials: channel.credentials, label: 'the local channel' }, maxAttempts: 1 });
    try {
      const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => ivs.putMetadata(target.arn, JSON.stringify({ cue: i }))));
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as StudioError);
      // 5 per sliding second: on a busy machine the burst may straddle a window edge, so only the
      // bound is exact — at most 5 accepted in the first second means at least some refused.
      expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(5);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      for (const error of refused) {
        expect(error).toBeInstanceOf(StudioError);
        expect(error.code).toBe('THROTTLED');
        expect(error.message).toMatch(/^IVS is throttling PutMetadata \(too many requests per second\)/);
        expect(error.details).toMatch(/ThrottlingException \(HTTP 429\) during PutMetadata/);
      }
    } finally {
      ivs.dispose();
    }
  });

  it('Stop Stream disconnects the broadcaster; IVS then reports OFFLINE with the session events, and delete works', async () => {
    await accounts.stopStream(LOCAL_ACCOUNT_ID, target.arn);
    const exit = await Promise.race([pusher!.exited, new Promise((resolve) => setTimeout(() => resolve('still running'), 15_000))]);
    expect(exit).not.toBe('still running');
    pusher = undefined;
    const offline = await statusWhere((s) => s.state === 'OFFLINE' && s.events.some((e) => e.name === 'Session Ended' || e.name === 'Stream End'));
    expect(offline.video).toBeUndefined();
    expect(offline.events.map((e) => e.name)).toEqual(expect.arrayContaining(['Session Created']));
    // Stopping an offline channel is IVS's ChannelNotBroadcasting, in the studio's words.
    const again = await rejection(accounts.stopStream(LOCAL_ACCOUNT_ID, target.arn));
    expect([again.code, again.message]).toEqual(['NOT_LIVE', `${target.arn} is not live.`]);
    await accounts.deleteChannel(LOCAL_ACCOUNT_ID, target.arn);
    expect(accounts.getState().selected).toBeUndefined();
    expect(accounts.getStatus()).toBeNull();
  });
});
