/**
 * Accounts and channels end to end, with real parts only: the local channel's IVS control plane on
 * 127.0.0.1, the real @aws-sdk/client-ivs, and the real Secret Service (gnome-keyring inside the
 * D-Bus session of test/run-all.sh). Keys are read back with libsecret's `secret-tool`.
 */
import { IvsClient, ListStreamKeysCommand, GetStreamKeyCommand } from '@aws-sdk/client-ivs';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService, LOCAL_ACCOUNT_ID, type LocalChannelConnection } from '../../src-main/accounts/accounts-service';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import { KEYCHAIN_SERVICE } from '../../src-main/keychain/secret-store';
import type { SecretVault } from '../../src-main/keychain/secret-vault';
import { requireSecretService, startKeychainAccounts, type KeychainAccounts } from '../support/local-channel-stack';
import { rejection } from '../support/rejection';

const run = promisify(execFile);
const secretTool = (account: string) => run('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'account', account]).then((r) => r.stdout);

let dataDir: string;
let studioDir: string;
let channel: LocalChannel;
let keychain: KeychainAccounts;
let vault: SecretVault;
let accounts: AccountsService;
let sdk: IvsClient;
const cleanups: (() => unknown)[] = [];

const connection = (): LocalChannelConnection => ({ apiEndpoint: channel.apiEndpoint, region: channel.region, credentials: channel.credentials });

/** A second studio whose local-channel credentials are altered (bad secret, unknown key, region). */
function studioWith(alter: (c: LocalChannelConnection) => LocalChannelConnection): AccountsService {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ivs-alt-'));
  const service = new AccountsService({ dataDir: dir, secrets: vault, localChannel: () => alter(connection()), ivs: { maxAttempts: 1 }, statusPolling: false });
  cleanups.push(() => service.dispose(), () => fs.rmSync(dir, { recursive: true, force: true }));
  return service;
}

beforeAll(async () => {
  requireSecretService();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ivs-channel-'));
  studioDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ivs-studio-'));
  channel = await startLocalChannel({ dataDir, port: 0 });
  keychain = await startKeychainAccounts({ dataDir: studioDir, localChannel: connection, ivs: { maxAttempts: 1 }, statusPolling: false });
  ({ vault, accounts } = keychain);
  sdk = new IvsClient({ region: channel.region, endpoint: channel.apiEndpoint, credentials: channel.credentials, maxAttempts: 1 });
});

afterAll(async () => {
  for (const fn of cleanups.reverse()) await fn();
  sdk?.destroy();
  await keychain?.dispose();
  await channel?.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(studioDir, { recursive: true, force: true });
});

describe('the built-in local channel account', () => {
  it('is listed first, and "Test connection" passes every step', async () => {
    const state = accounts.getState();
    expect(state.accounts[0]).toMatchObject({ id: LOCAL_ACCOUNT_ID, kind: 'local', label: 'Local channel', region: channel.region });
    expect(state.keychain.state).toBe('available');
    expect(state.regions.map((r) => r.id)).toEqual(['us-east-1', 'us-west-2', 'eu-central-1', 'eu-west-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2']);
    const test = await accounts.testConnection(LOCAL_ACCOUNT_ID);
    expect(test.ok).toBe(true);
    expect(test.steps.map((s) => [s.step, s.ok])).toEqual([
      ['region', true],
      ['credentials', true],
      ['endpoint', true],
      ['permissions', true],
    ]);
    expect(test.channelCount).toBeGreaterThanOrEqual(1); // the local channel's default channel
    expect(accounts.getState().accounts[0]!.lastTest?.ok).toBe(true);
  });
});

describe('channels', () => {
  it('creates channels with name, type, latency mode, authorized and tags, and lists every page', async () => {
    const created = await accounts.createChannel(LOCAL_ACCOUNT_ID, {
      name: 'show-basic',
      type: 'BASIC',
      latencyMode: 'NORMAL',
      authorized: true,
      tags: { show: 'friday', team: 'studio' },
    });
    expect(created).toMatchObject({ name: 'show-basic', type: 'BASIC', latencyMode: 'NORMAL', authorized: true, tags: { show: 'friday', team: 'studio' } });
    expect(created.arn).toMatch(/^arn:aws:ivs:us-west-2:000000000000:channel\//);
    // CreateChannel's first key went straight to the keychain.
    expect((await secretTool(created.arn)).length).toBeGreaterThan(10);

    // More than one page of ListChannels (100 per page).
    const before = (await accounts.listChannels(LOCAL_ACCOUNT_ID)).length;
    for (let i = before; i < 103; i++) await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: `bulk-${i}` });
    const all = await accounts.listChannels(LOCAL_ACCOUNT_ID);
    expect(all.length).toBe(Math.max(before, 103));
    expect(new Set(all.map((c) => c.arn)).size).toBe(all.length);
    expect(all.find((c) => c.arn === created.arn)).toMatchObject({ name: 'show-basic', type: 'BASIC', authorized: true });
  });

  it('selecting a channel fetches ingest + key into the keychain; the state and accounts.json hold only a masked key', async () => {
    const target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'select-me' });
    const selected = await accounts.select(LOCAL_ACCOUNT_ID, target.arn);
    const ivsKeys = await sdk.send(new ListStreamKeysCommand({ channelArn: target.arn }));
    const ivsKey = await sdk.send(new GetStreamKeyCommand({ arn: ivsKeys.streamKeys![0]!.arn! }));
    const value = ivsKey.streamKey!.value!;
    expect(await secretTool(target.arn)).toBe(value);
    expect(selected).toMatchObject({ accountId: LOCAL_ACCOUNT_ID, accountKind: 'local', channelArn: target.arn, streamKeyArn: ivsKey.streamKey!.arn });
    expect(selected.ingestUrl).toBe(`rtmps://${target.ingestEndpoint}/app/`);
    expect(selected.streamKeyMasked).toBe(`••••••••${value.slice(-4)}`);
    expect(JSON.stringify(accounts.getState())).not.toContain(value);
    const onDisk = fs.readFileSync(path.join(studioDir, 'accounts.json'), 'utf8');
    expect(onDisk).toContain(target.arn);
    expect(onDisk).not.toContain(value);
    expect(await accounts.revealKey(LOCAL_ACCOUNT_ID, target.arn)).toBe(value);
    // A fresh studio on the same data dir remembers the selection; the key is still only in the keychain.
    const again = new AccountsService({ dataDir: studioDir, secrets: vault, localChannel: connection, statusPolling: false });
    expect(again.getState().selected?.channelArn).toBe(target.arn);
    expect((await again.resolveStreamTarget()).streamKey).toBe(value);
    await again.dispose();
  });

  it('rotating a key deletes and recreates it at IVS and updates the keychain in one step', async () => {
    const target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'rotate-me' });
    await accounts.select(LOCAL_ACCOUNT_ID, target.arn);
    const oldValue = await secretTool(target.arn);
    const oldArn = (await sdk.send(new ListStreamKeysCommand({ channelArn: target.arn }))).streamKeys![0]!.arn!;
    const rotated = await accounts.rotateKey(LOCAL_ACCOUNT_ID, target.arn);
    const keys = (await sdk.send(new ListStreamKeysCommand({ channelArn: target.arn, maxResults: 50 }))).streamKeys!;
    expect(keys.length).toBe(1);
    expect(keys[0]!.arn).not.toBe(oldArn);
    expect(rotated.streamKeyArn).toBe(keys[0]!.arn);
    const newValue = (await sdk.send(new GetStreamKeyCommand({ arn: keys[0]!.arn! }))).streamKey!.value!;
    expect(newValue).not.toBe(oldValue);
    expect(await secretTool(target.arn)).toBe(newValue);
    expect(rotated.streamKeyMasked).toBe(`••••••••${newValue.slice(-4)}`);
    expect(accounts.getState().selected?.streamKeyArn).toBe(keys[0]!.arn);
    // The old key is gone at IVS.
    const gone = await sdk.send(new GetStreamKeyCommand({ arn: oldArn })).catch((e: { name: string }) => e.name);
    expect(gone).toBe('ResourceNotFoundException');
  });

  it('deletes a channel and its keychain entry; the selection is cleared', async () => {
    const target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'delete-me' });
    await accounts.select(LOCAL_ACCOUNT_ID, target.arn);
    await accounts.deleteChannel(LOCAL_ACCOUNT_ID, target.arn);
    expect((await accounts.listChannels(LOCAL_ACCOUNT_ID)).some((c) => c.arn === target.arn)).toBe(false);
    await expect(secretTool(target.arn)).rejects.toThrow();
    expect(accounts.getState().selected).toBeUndefined();
  });

  it('records to S3: creates a recording configuration for a bucket, attaches and detaches it', async () => {
    const target = await accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'record-me' });
    const config = await accounts.createRecordingConfiguration(LOCAL_ACCOUNT_ID, { bucketName: 'studio-recordings', name: 'nightly' });
    expect(config).toMatchObject({ name: 'nightly', bucketName: 'studio-recordings' });
    expect(config.arn).toMatch(/:recording-configuration\//);
    expect((await accounts.listRecordingConfigurations(LOCAL_ACCOUNT_ID)).map((c) => c.arn)).toContain(config.arn);
    expect((await accounts.setRecording(LOCAL_ACCOUNT_ID, target.arn, config.arn)).recordingConfigurationArn).toBe(config.arn);
    expect((await accounts.setRecording(LOCAL_ACCOUNT_ID, target.arn, '')).recordingConfigurationArn).toBe('');
  });
});

describe('errors mapped at the edge', () => {
  it('not found: a channel that does not exist', async () => {
    const missing = 'arn:aws:ivs:us-west-2:000000000000:channel/doesNotExist1';
    const error = await rejection(accounts.select(LOCAL_ACCOUNT_ID, missing));
    expect(error.code).toBe('IVS_NOT_FOUND');
    expect(error.message).toContain(missing);
    expect((await rejection(accounts.deleteChannel(LOCAL_ACCOUNT_ID, missing))).code).toBe('IVS_NOT_FOUND');
  });

  it('access denied: a wrong secret key gets a bad-signature 403, explained; Test connection blames the credentials', async () => {
    const wrongSecret = studioWith((c) => ({ ...c, credentials: { ...c.credentials, secretAccessKey: `${c.credentials.secretAccessKey.slice(0, -4)}XXXX` } }));
    const error = await rejection(wrongSecret.listChannels(LOCAL_ACCOUNT_ID));
    expect(error.code).toBe('ACCESS_DENIED');
    expect(error.message).toMatch(/rejected the request signature for ListChannels: the secret access key does not match the access key ID/);
    expect(error.details).toMatch(/InvalidSignatureException \(HTTP 403\)/);
    const test = await wrongSecret.testConnection(LOCAL_ACCOUNT_ID);
    expect(test.ok).toBe(false);
    expect(test.steps.at(-1)).toMatchObject({ step: 'credentials', ok: false });
    expect(test.error?.code).toBe('ACCESS_DENIED');
  });

  it('access denied: an unknown access key ID', async () => {
    const unknownKey = studioWith((c) => ({ ...c, credentials: { ...c.credentials, accessKeyId: 'AKIAUNKNOWNKEY000000' } }));
    const error = await rejection(unknownKey.listChannels(LOCAL_ACCOUNT_ID));
    expect([error.code, error.message]).toEqual(['ACCESS_DENIED', 'AWS does not recognise the access key ID (the local channel).']);
  });

  it('wrong region: requests signed for another region', async () => {
    const otherRegion = studioWith((c) => ({ ...c, region: 'eu-west-1' }));
    const test = await otherRegion.testConnection(LOCAL_ACCOUNT_ID);
    expect(test.error?.code).toBe('WRONG_REGION');
    expect(test.steps.at(-1)).toMatchObject({ step: 'region', ok: false });
    expect(test.error?.message).toMatch(/signed for region eu-west-1/);
  });

  it('unreachable endpoint: nothing listening', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const nowhere = studioWith((c) => ({ ...c, apiEndpoint: `http://127.0.0.1:${closedPort}` }));
    const test = await nowhere.testConnection(LOCAL_ACCOUNT_ID);
    expect(test.error?.code).toBe('ENDPOINT_UNREACHABLE');
    expect(test.steps.map((s) => [s.step, s.ok])).toEqual([
      ['region', true],
      ['credentials', true],
      ['endpoint', false],
    ]);
    expect(test.error?.message).toBe(`Could not reach http://127.0.0.1:${closedPort} for ListChannels (ECONNREFUSED).`);
  });

  it('validation: IVS refuses a bad channel name with its own reason', async () => {
    const error = await rejection(accounts.createChannel(LOCAL_ACCOUNT_ID, { name: 'x'.repeat(129) }));
    expect(error.code).toBe('IVS_VALIDATION');
    expect(error.message).toMatch(/IVS rejected CreateChannel/);
  });
});

describe('custom RTMP(S) targets', () => {
  it('stores the key in the keychain under the target id, and tests reachability over TCP', async () => {
    const server = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const key = `live_${Math.random().toString(36).slice(2)}_custom`;
    try {
      const target = await accounts.addCustomTarget({ label: 'Other platform', ingestUrl: `rtmp://127.0.0.1:${port}/live`, streamKey: key });
      expect(target).toMatchObject({ kind: 'custom-rtmp', ingestUrl: `rtmp://127.0.0.1:${port}/live/`, streamKeyMasked: `••••••••${key.slice(-4)}` });
      expect(await secretTool(target.id)).toBe(key);
      expect((await accounts.testConnection(target.id)).ok).toBe(true);
      const selected = await accounts.select(target.id);
      expect(selected).toMatchObject({ accountKind: 'custom-rtmp', ingestUrl: `rtmp://127.0.0.1:${port}/live/` });
      expect((await accounts.resolveStreamTarget()).streamKey).toBe(key);
      expect(fs.readFileSync(path.join(studioDir, 'accounts.json'), 'utf8')).not.toContain(key);
      await accounts.remove(target.id);
      await expect(secretTool(target.id)).rejects.toThrow();
      expect(accounts.getState().selected).toBeUndefined();
    } finally {
      server.close();
    }
    const bad = await rejection(accounts.addCustomTarget({ label: 'x', ingestUrl: 'https://example.com/app', streamKey: 'abc' }));
    expect([bad.code, bad.message]).toEqual(['BAD_REQUEST', '"https://example.com/app" is not an RTMP(S) URL (it starts with https://).']);
  });
});
