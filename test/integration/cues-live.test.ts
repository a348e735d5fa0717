/**
 * The cue board against the real local channel, live: the studio engine in-process (its embedded
 * local channel, control plane + ingest + LL-HLS packager), the real @aws-sdk/client-ivs behind
 * AccountsService's IvsService, and a real ffmpeg broadcasting a test pattern into the ingest over
 * RTMPS (the program pipeline is not wired into go-live yet, so the broadcaster is ffmpeg itself).
 *
 * Covers: firing while offline explains why (through the API, as a window sees it); a burst of 20
 * fires in one second is delivered within IVS's 5 PutMetadata/s with no throttling surfacing, the
 * log shows all 20 in order, and the stream's segments carry all 20 ID3 PRIV payloads in order;
 * the open poll is re-sent into the stream for late joiners until "Clear overlays".
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CueFire, CuesState, Reply, StudioErrorPayload } from '../../src-main/contract/studio-api';
import { StudioEngine } from '../../src-main/engine/studio-engine';
import { IVS_METADATA_OWNER, parseId3Tag } from '../../src-main/media/id3';
import { TS_PIDS, demuxTs } from '../../src-main/media/mpegts';
import { pushWithFfmpeg, type FfmpegPusher } from '../support/ffmpeg-media';
import { until } from '../support/until';
import { fetchText, mediaPlaylistUrl, sleep } from './playback-harness';

let dir: string;
let engine: StudioEngine;
let pusher: FfmpegPusher | undefined;
const operator = { rights: 'full' as const, transport: 'ws' as const };

async function call<T>(channel: string, ...args: unknown[]): Promise<Reply<T>> {
  return (await engine.router.dispatch(operator, channel, args)) as Reply<T>;
}

/**
 * Every IVS timed-metadata payload in the stream's complete segments, in stream order. Segments are
 * read once and remembered in `seen` (stream id + segment name → payloads): a live playlist slides, so a caller
 * that polls often keeps segments that have since left the window, and one that left between reading
 * the playlist and fetching it (404) is simply read on an earlier or later poll.
 */
async function payloadsInStream(playbackUrl: string, seen = new Map<string, string[]>()): Promise<string[]> {
  const multivariant = await fetchText(playbackUrl);
  if (multivariant.status === 200) {
    const media = mediaPlaylistUrl(playbackUrl, multivariant.text);
    const playlist = await fetchText(media);
    for (const uri of playlist.text.split('\n').filter((l) => /^seg\d+\.ts$/.test(l))) {
      const url = new URL(uri, media);
      // Keyed by stream id + segment name: each multivariant fetch mints a new viewer-session path
      // segment (…/<streamId>/<session>/segN.ts), while the segment is the same.
      const parts = url.pathname.split('/');
      const key = `${parts.at(-3)}/${parts.at(-1)}`;
      if (seen.has(key)) continue;
      const response = await fetch(url);
      if (response.status !== 200) continue;
      const texts: string[] = [];
      for (const pes of demuxTs(Buffer.from(await response.arrayBuffer())).pes.filter((p) => p.pid === TS_PIDS.id3)) {
        for (const frame of parseId3Tag(pes.payload).frames) if (frame.id === 'PRIV' && frame.owner === IVS_METADATA_OWNER) texts.push(frame.data.toString('utf8'));
      }
      seen.set(key, texts);
    }
  }
  return [...seen.values()].flat();
}

/** Polls the stream's segments in the background so none slides out of the window unread. */
function collectPayloads(playbackUrl: string): { seen: Map<string, string[]>; stop(): Promise<void> } {
  const seen = new Map<string, string[]>();
  let running = true;
  const loop = (async () => {
    while (running) {
      await payloadsInStream(playbackUrl, seen).catch(() => undefined);
      await sleep(250);
    }
  })();
  return {
    seen,
    async stop() {
      running = false;
      await loop;
    },
  };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-cues-live-'));
  engine = new StudioEngine({ dataDir: dir, mode: 'browser', version: 'test' });
  await engine.start();
  // The real keychain when test/run-all.sh provides one; otherwise keys stay in memory for this run.
  await engine.accounts.allowSessionSecrets();
}, 60_000);

afterAll(async () => {
  pusher?.kill();
  await pusher?.exited;
  await engine?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('cue board on the live local channel', () => {
  it('targets the local default channel and refuses to fire while it is offline, saying why', async () => {
    await engine.cues.refreshTarget(true);
    const state = (await call<CuesState>('cues:get-state')) as { ok: true; value: CuesState };
    expect(state.value.target).toMatchObject({ accountId: 'local', source: 'local-default', label: 'Local channel · default', live: false });
    expect(state.value.target!.playbackUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/video\/v1\//);

    const disarmed = await call('cues:fire', { cueId: 'poll', via: 'button' });
    expect(disarmed).toMatchObject({ ok: false, error: { code: 'CUES_DISARMED' } });

    expect(await call('cues:set-armed', true)).toEqual({ ok: true, value: true });
    const offline = (await call('cues:fire', { cueId: 'poll', via: 'button' })) as { ok: false; error: StudioErrorPayload };
    expect(offline.ok).toBe(false);
    expect(offline.error.code).toBe('NOT_LIVE');
    expect(offline.error.message).toBe('"Poll: favourite" was not sent: Local channel · default is not live, and IVS only accepts timed metadata during a live stream.');
    expect(offline.error.action).toMatch(/^Go live first/);
    expect(((await call<CueFire[]>('cues:get-log')) as { value: CueFire[] }).value).toEqual([]);
  });

  it('delivers a burst of 20 fires in one second within 5 PutMetadata/s, nothing throttled, all 20 in order in the log and in the stream', async () => {
    const channels = await engine.accounts.listChannels('local');
    const channel = channels.find((c) => c.name === 'default')!;
    await engine.accounts.select('local', channel.arn);
    const target = await engine.accounts.resolveStreamTarget();
    const caFile = path.join(dir, 'local-channel', 'tls', 'ca.pem');
    pusher = pushWithFfmpeg(`${target.ingestUrl}${target.streamKey}`, { seconds: 60, size: '320x180', rate: 30, bitrate: '300k', caFile });
    await until(async () => {
      await engine.cues.refreshTarget(true);
      return engine.cues.getState().target?.live ? true : undefined;
    }, 30_000, 'the channel to go live', 200);
    expect(engine.cues.getState().target).toMatchObject({ channelArn: channel.arn, source: 'selected', live: true });

    const updates: CueFire[] = [];
    const subscription = engine.cues.onFireUpdated((f) => updates.push(f));
    const collector = collectPayloads(engine.cues.getState().target!.playbackUrl!);
    const started = Date.now();
    // 20 presses spread over one second, each through the API as a window sends it.
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sleep(i * 50).then(() => call<CueFire>('cues:fire', { cueId: 'note', via: i % 2 ? 'hotkey' : 'button' }))),
    );
    expect(Date.now() - started).toBeLessThan(1_500);
    for (const reply of replies) expect(reply).toMatchObject({ ok: true, value: { status: 'queued' } });
    await engine.cues.whenIdle();
    subscription.dispose();

    const log = ((await call<CueFire[]>('cues:get-log')) as { value: CueFire[] }).value;
    expect(log.map((f) => f.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(log.map((f) => f.payload.replace(/ at .*/, ''))).toEqual(Array.from({ length: 20 }, (_, i) => `note ${i + 1}`));
    // Nothing failed and nothing reached IVS's throttle (the budget kept every second at ≤ 5 calls).
    expect(log.filter((f) => f.status !== 'accepted' && f.status !== 'seen')).toEqual([]);
    expect(updates.filter((f) => f.status === 'failed' || f.error)).toEqual([]);
    expect(log.reduce((n, f) => n + f.throttled, 0)).toBe(0);
    const accepted = log.map((f) => Date.parse(f.acceptedAt!));
    for (const at of accepted) expect(accepted.filter((t) => t >= at && t < at + 1000).length).toBeLessThanOrEqual(5);
    // 20 calls at 5/s need at least three more seconds after the first five.
    expect(Math.max(...accepted) - Math.min(...accepted)).toBeGreaterThanOrEqual(3_000);

    // The stream itself carries all 20, in the order they were pressed.
    const inStream = await until(async () => {
      const texts = (await payloadsInStream(engine.cues.getState().target!.playbackUrl!, collector.seen)).filter((t) => t.startsWith('note '));
      return texts.length >= 20 ? texts : undefined;
    }, 30_000, 'all 20 cues in complete segments', 200).finally(() => collector.stop());
    expect(inStream).toEqual(log.map((f) => f.payload));

    // The CSV export has the 20 rows in order.
    const csv = ((await call<{ content: string }>('cues:export-log', 'csv')) as { value: { content: string } }).value.content.split('\r\n');
    expect(csv.slice(1, 21).map((row) => row.split(',')[0])).toEqual(log.map((f) => String(f.seq)));
  }, 90_000);

  it('re-sends the open poll for late joiners within the budget: in the stream again, one fire in the log', async () => {
    expect(await call('cues:update-settings', { stateResendSeconds: 2 })).toMatchObject({ ok: true });
    const fired = (await call<CueFire>('cues:fire', { cueId: 'poll', via: 'button' })) as { ok: true; value: CueFire };
    await engine.cues.whenIdle();
    expect(engine.cues.getState().lateJoinerState).toMatchObject([{ kind: 'poll', fid: fired.value.fid }]);
    const copies = await until(async () => {
      const texts = (await payloadsInStream(engine.cues.getState().target!.playbackUrl!)).filter((t) => t === fired.value.payload);
      return texts.length >= 3 ? texts.length : undefined;
    }, 30_000, 'the poll re-sent twice', 200);
    expect(copies).toBeGreaterThanOrEqual(3);
    expect(engine.cues.getLog().filter((f) => f.cueId === 'poll')).toHaveLength(1);
    expect(engine.cues.getState().lateJoinerState[0]!.resends).toBeGreaterThanOrEqual(2);
    // "Clear overlays" ends the re-sends.
    await call('cues:fire', { cueId: 'clear', via: 'button' });
    await engine.cues.whenIdle();
    expect(engine.cues.getState().lateJoinerState).toEqual([]);
  }, 60_000);

  it('after the broadcaster stops, a fire explains that the channel is no longer live', async () => {
    pusher!.kill('SIGTERM');
    await pusher!.exited;
    pusher = undefined;
    const refusal = await until(async () => {
      const reply = (await call('cues:fire', { cueId: 'chapter', via: 'button' })) as Reply<CueFire>;
      if (!reply.ok) return reply.error;
      // Fired in the moment before IVS noticed: the fire itself fails with the same reason.
      await engine.cues.whenIdle();
      const fire = engine.cues.getLog().find((f) => f.fid === reply.value.fid)!;
      return fire.status === 'failed' ? fire.error : undefined;
    }, 30_000, 'a NOT_LIVE refusal', 200);
    expect(refusal.code).toBe('NOT_LIVE');
    expect(refusal.message).toMatch(/not live/);
  }, 60_000);
});
