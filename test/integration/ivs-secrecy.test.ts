/**
 * Secrets stay secret during a live stream. The studio's own path end to end: an AWS access key and
 * the selected channel's stream key go into the real keychain, go-live publishes the selected target
 * over RTMPS to the local channel, IVS reports LIVE — and meanwhile no /proc/<pid>/cmdline or environ,
 * no log file and no file in the studio's data dir (accounts.json, settings.json …) holds either.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_ACCOUNT_ID, type AccountsService } from '../../src-main/accounts/accounts-service';
import type { LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import type { ChannelLiveStatus } from '../../src-main/contract/domains/accounts';
import { waitForEvent } from '../../src-main/core/emitter';
import { configureLogging, createLogger } from '../../src-main/core/logger';
import { GoLiveService } from '../../src-main/golive/go-live';
import type { SecretVault } from '../../src-main/keychain/secret-vault';
import { awsAccountSecretName } from '../../src-main/keychain/secret-store';
import { createRtmpPublisherConnection } from '../../src-main/output/rtmp-publisher-connection';
import { SettingsService } from '../../src-main/settings/settings-service';
import { LiveFlvSource } from '../support/live-flv-source';
import { requireSecretService, startLiveStudio, type LiveStudio } from '../support/local-channel-stack';
import { findSecret } from '../support/secret-scan';

let dir: string;
let studioDir: string;
let logDir: string;
let studio: LiveStudio;
let live: LocalChannelLive;
let vault: SecretVault;
let accounts: AccountsService;

beforeAll(async () => {
  requireSecretService();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-secrecy-'));
  studioDir = path.join(dir, 'studio');
  logDir = path.join(studioDir, 'logs');
  configureLogging({ dir: logDir, consoleLevel: 'silent', fileLevel: 'debug' });
  studio = await startLiveStudio(path.join(dir, 'channel'), {
    dataDir: studioDir,
    statusPolling: { liveIntervalMs: 500, offlineIntervalMs: 500, sessionRefreshMs: 500 },
  });
  ({ live, vault, accounts } = studio);
});

afterAll(async () => {
  await studio?.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('secrets during a live stream', () => {
  it('the stream key and the AWS secret are in no command line, environment, log or settings file', async () => {
    // An AWS account with an access key typed into the studio: its secret goes to the keychain only.
    const awsSecret = `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${Math.random().toString(36).slice(2, 12)}`;
    const aws = await accounts.addAws({ label: 'Production', region: 'us-east-1', auth: { type: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: awsSecret } });
    new SettingsService(studioDir).update({ theme: 'dark' });
    const log = createLogger('secrecy-test');
    // Even a careless log line with the secret in it is redacted on the way to the file.
    log.warn(`debugging the account ${aws.id} with ${awsSecret}`);

    const target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'secrecy' });
    const selected = await accounts.select(LOCAL_ACCOUNT_ID, target.arn);
    const streamKey = await vault.get(target.arn);
    expect(streamKey).toBeDefined();
    expect(selected.streamKeyMasked).toBe(`••••••••${streamKey!.slice(-4)}`);
    log.info(`publishing to ${live.rtmpsUrl}${streamKey}`);

    let source: LiveFlvSource | undefined;
    const goLive = new GoLiveService({
      createConnection: createRtmpPublisherConnection,
      localChannel: studio.access,
      accounts,
      secrets: vault,
      program: {
        acquire: async () => {
          source = new LiveFlvSource({ size: '320x180', gopSeconds: 1 });
          const started = source;
          return { program: { source: started }, release: () => started.stop() };
        },
      },
    });
    try {
      // (By ARN, through the local channel's own API; the key published is the same one the studio put in
      // the keychain when the channel was selected. The 'selected' path is golive-selected.test.ts.)
      const snapshot = await goLive.start({ target: { kind: 'ivs-channel', channelArn: target.arn } });
      expect(snapshot.target?.streamKeyMasked).toBe(selected.streamKeyMasked);
      expect(snapshot.state).toBe('live');
      await accounts.refreshStatus();
      const status: ChannelLiveStatus = await waitForEvent(accounts.onDidChangeStatus, (s) => s.state === 'LIVE' && !!s.video, 20_000);
      expect(status.channelArn).toBe(target.arn);
      expect(status.video).toMatchObject({ videoWidth: 320, videoHeight: 180 });

      // While live: the ffmpeg encoder, this process, every process the machine lets us read.
      expect(source!.process.pid).toBeGreaterThan(0);
      for (const [name, secret] of [
        ['stream key', streamKey!],
        ['AWS secret', awsSecret],
      ] as const) {
        expect(findSecret(secret, [studioDir]), name).toEqual([]);
      }
      // The scan is not vacuous: it finds the key where it legitimately lives — the local channel's
      // own store, standing in for IVS's side — and the scanned files exist and have content.
      expect(findSecret(streamKey!, [path.join(dir, 'channel')]).length).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(logDir, 'studio.log'), 'utf8')).toContain('[redacted]');
      expect(fs.readFileSync(path.join(studioDir, 'accounts.json'), 'utf8')).toContain(target.arn);
      expect(fs.existsSync(path.join(studioDir, 'settings.json'))).toBe(true);
      // And the keychain really holds them.
      expect(JSON.parse((await vault.get(awsAccountSecretName(aws.id)))!).secretAccessKey).toBe(awsSecret);
    } finally {
      await goLive.stop();
      await goLive.dispose();
    }
  });
});
