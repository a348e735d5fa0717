/**
 * Going live to the *selected* target, as the Go Live button does: a channel of the real local channel
 * picked in Channel (its key in the real keychain), published over RTMPS — which only verifies with the
 * local channel's own CA — after a preflight of the program's encoder settings against the channel
 * type, with IVS's status refreshed the moment the stream starts and stops. Needs the Secret Service:
 * run through `bash test/run-all.sh test/integration/golive-selected.test.ts`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, type AccountsService } from '../../src-main/accounts/accounts-service';
import type { LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import type { EncoderSettings } from '../../src-main/contract/domains/program';
import type { Canvas } from '../../src-main/contract/domains/scenes';
import { configureLogging } from '../../src-main/core/logger';
import { defaultEncoderSettings } from '../../src-main/encode/encoder-profile';
import { GoLiveService, type EncoderPort, type ProgramPort } from '../../src-main/golive/go-live';
import type { SecretVault } from '../../src-main/keychain/secret-vault';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { LiveFlvSource } from '../support/live-flv-source';
import { requireSecretService, startLiveStudio, type LiveStudio } from '../support/local-channel-stack';
import { until } from '../support/until';

let dir: string;
let studio: LiveStudio;
let live: LocalChannelLive;
let vault: SecretVault;
let accounts: AccountsService;

beforeAll(async () => {
  requireSecretService();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'golive-selected-'));
  configureLogging({ dir: path.join(dir, 'logs'), consoleLevel: 'silent' });
  // Accounts wired as the engine wires them: the running ingest and the CA that signed its RTMPS certificate.
  studio = await startLiveStudio(path.join(dir, 'channel'), {
    dataDir: path.join(dir, 'studio'),
    // The poller's own cadence is far beyond the test: a status that follows at once came from go-live.
    statusPolling: { liveIntervalMs: 600_000, offlineIntervalMs: 600_000, sessionRefreshMs: 600_000 },
  });
  ({ live, vault, accounts } = studio);
});

afterAll(async () => {
  await studio?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A real ffmpeg program (320x180 test pattern); counts how often go-live asked for it. */
function programPort(): ProgramPort & { acquired: number; sources: LiveFlvSource[] } {
  const port = {
    acquired: 0,
    sources: [] as LiveFlvSource[],
    acquire: async () => {
      port.acquired++;
      const source = new LiveFlvSource({ size: '320x180', gopSeconds: 1 });
      port.sources.push(source);
      return { program: { source }, release: () => source.stop() };
    },
  };
  return port;
}

/** Go-live as the engine wires it for the selected target: the real RTMP(S) publisher, the keychain, the program's encoder settings. */
function goLiveToSelected(program: ProgramPort, encoder: EncoderPort['current']): GoLiveService {
  return new GoLiveService({ createConnection: createRtmpPublisherConnection, program, accounts, secrets: vault, encoder: { current: encoder } });
}

async function selectNew(name: string, type: 'STANDARD' | 'BASIC'): Promise<string> {
  const created = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name, type });
  await accounts.select(LOCAL_ACCOUNT_ID, created.arn);
  // The poller's first poll on selection (offline); after it, nothing polls on its own for 10 minutes.
  await until(() => (accounts.getStatus()?.channelArn === created.arn ? accounts.getStatus() : undefined), 30_000, 'the first status poll');
  expect(accounts.getStatus()?.state).toBe('OFFLINE');
  return created.arn;
}

describe('go live to the selected target', () => {
  it('publishes to a selected local channel over RTMPS with its CA; IVS status LIVE at once, OFFLINE at once after stop', async () => {
    const arn = await selectNew('selected1', 'STANDARD');
    const canvas: Canvas = { width: 320, height: 180, fps: 30 };
    const program = programPort();
    const goLive = goLiveToSelected(program, () => ({ settings: defaultEncoderSettings('STANDARD', canvas), canvas }));
    try {
      const snapshot = await goLive.start({ target: { kind: 'selected' } });
      expect(snapshot.state).toBe('live');
      expect(snapshot.target).toMatchObject({ kind: 'local-channel', channelArn: arn, label: 'selected1' });
      // RTMPS to the local ingest: the TLS check passed with the local channel's CA (and only with it).
      expect(snapshot.target!.ingestUrl).toBe(live.rtmpsUrl!.replace(/\/$/, ''));
      expect(program.acquired).toBe(1);

      // Go-live asked IVS right away: LIVE without waiting for the poller's 10-minute cadence.
      await goLive.settled();
      expect(accounts.getStatus()).toMatchObject({ channelArn: arn, state: 'LIVE' });
    } finally {
      await goLive.stop();
    }
    await goLive.settled();
    expect(accounts.getStatus()).toMatchObject({ channelArn: arn, state: 'OFFLINE' });
    expect(goLive.snapshot().state).toBe('offline');
    expect(program.sources.every((s) => s.process.exitCode !== null || s.process.signalCode !== null)).toBe(true);
    await goLive.dispose();
  }, 90_000);

  it('refuses with PREFLIGHT_FAILED, naming the limit, when the profile is over a BASIC channel\'s; nothing starts', async () => {
    const arn = await selectNew('basic1', 'BASIC');
    const canvas: Canvas = { width: 1920, height: 1080, fps: 30 };
    let settings: EncoderSettings = { ...defaultEncoderSettings('STANDARD', canvas), channelType: 'STANDARD' };
    settings = { ...settings, video: { ...settings.video, bitrateKbps: 6_000 } };
    const program = programPort();
    const goLive = goLiveToSelected(program, () => ({ settings, canvas }));
    try {
      const refusal = await goLive.start({ target: { kind: 'selected' } }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(refusal).toMatchObject({ code: 'PREFLIGHT_FAILED' });
      expect((refusal as Error).message).toMatch(/basic1/);
      expect((refusal as Error).message).toMatch(/above the 3500 kbps this channel takes at 1080p/);
      // Refused before the program was asked for and before a byte went out.
      expect(program.acquired).toBe(0);
      expect(goLive.snapshot()).toMatchObject({ state: 'offline', lastError: { code: 'PREFLIGHT_FAILED' } });
      await goLive.settled();
      expect(accounts.getStatus()).toMatchObject({ channelArn: arn, state: 'OFFLINE' });

      // The same channel with a profile that fits it goes live: the refusal was about the profile.
      settings = defaultEncoderSettings('BASIC', canvas);
      expect((await goLive.start({ target: { kind: 'selected' } })).state).toBe('live');
      expect(program.acquired).toBe(1);
    } finally {
      await goLive.stop();
      await goLive.dispose();
    }
  }, 90_000);
});
