/**
 * AWS accounts through the SDK's real credential chain (shared config files, SSO token cache) and
 * access keys kept in the real keychain. Only failures that need no network are exercised here: the
 * chain itself decides, offline, that an SSO session has expired or that nothing is configured.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountsService } from '../../src-main/accounts/accounts-service';
import { StudioError } from '../../src-main/core/studio-error';
import { KEYCHAIN_SERVICE, awsAccountSecretName } from '../../src-main/keychain/secret-store';
import { SecretVault } from '../../src-main/keychain/secret-vault';

const run = promisify(execFile);
const secretTool = (account: string) => run('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'account', account]).then((r) => r.stdout);

const AWS_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_EC2_METADATA_DISABLED', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'HOME'];
const savedEnv: Record<string, string | undefined> = {};
let home: string;
let dataDir: string;
let vault: SecretVault;
let accounts: AccountsService;

function writeAwsFiles(): void {
  const aws = path.join(home, '.aws');
  fs.mkdirSync(path.join(aws, 'sso', 'cache'), { recursive: true });
  fs.writeFileSync(
    path.join(aws, 'config'),
    [
      '[profile legacy-sso]',
      'sso_start_url = https://studio-test.awsapps.com/start',
      'sso_region = us-east-1',
      'sso_account_id = 123456789012',
      'sso_role_name = Streamer',
      '',
      '[profile corp-sso]',
      'sso_session = corp',
      'sso_account_id = 123456789012',
      'sso_role_name = Streamer',
      '',
      '[sso-session corp]',
      'sso_start_url = https://corp-test.awsapps.com/start',
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  // Expired SSO tokens, as `aws sso login` leaves them a day later (the cache file name is the SHA-1
  // of the start URL for legacy profiles, of the session name for sso-session profiles).
  const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
  const expired = '2020-01-01T00:00:00Z';
  fs.writeFileSync(path.join(aws, 'sso', 'cache', `${sha1('https://studio-test.awsapps.com/start')}.json`), JSON.stringify({ accessToken: 'expired-token', expiresAt: expired, region: 'us-east-1', startUrl: 'https://studio-test.awsapps.com/start' }));
  fs.writeFileSync(
    path.join(aws, 'sso', 'cache', `${sha1('corp')}.json`),
    JSON.stringify({ accessToken: 'expired-token', expiresAt: expired, region: 'us-east-1', startUrl: 'https://corp-test.awsapps.com/start', clientId: 'c', clientSecret: 's', registrationExpiresAt: expired, refreshToken: 'r' }),
  );
}

beforeAll(async () => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through test/run-all.sh: these tests need the Secret Service it starts.');
  for (const name of AWS_VARS) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-aws-home-'));
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-aws-data-'));
  process.env.HOME = home;
  // No instance metadata service on a desktop; without this the chain waits for IMDS timeouts.
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  writeAwsFiles();
  vault = new SecretVault();
  accounts = new AccountsService({ dataDir, secrets: vault, ivs: { maxAttempts: 1 }, statusPolling: false });
  await accounts.start();
});

afterAll(async () => {
  await accounts?.dispose();
  vault?.dispose();
  for (const name of AWS_VARS) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  fs.rmSync(home, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('AWS accounts on the standard credential chain', () => {
  it('lists the profiles from ~/.aws/config', () => {
    expect(accounts.listAwsProfiles()).toEqual(['corp-sso', 'legacy-sso']);
  });

  it.each(['legacy-sso', 'corp-sso'])('an expired SSO session (%s) fails the credentials step with the login command', async (profile) => {
    const account = await accounts.addAws({ label: `SSO ${profile}`, region: 'us-west-2', auth: { type: 'default-chain', profile } });
    expect(account.auth).toEqual({ type: 'default-chain', profile });
    const test = await accounts.testConnection(account.id);
    expect(test.ok).toBe(false);
    expect(test.credentialSource).toBe(`profile ${profile}`);
    expect(test.steps.map((s) => [s.step, s.ok])).toEqual([
      ['region', true],
      ['credentials', false],
    ]);
    expect(test.error?.code).toBe('CREDENTIALS_EXPIRED');
    expect(test.error?.message).toBe(`The AWS SSO session for profile ${profile} has expired or is no longer valid.`);
    expect(test.error?.action).toBe(`Run "aws sso login --profile ${profile}", then test the connection again.`);
    // The outcome is kept with the account, for the UI.
    expect(accounts.getState().accounts.find((a) => a.id === account.id)?.lastTest?.error?.code).toBe('CREDENTIALS_EXPIRED');
  });

  it('no credentials anywhere: NO_CREDENTIALS, saying where it looked', async () => {
    const account = await accounts.addAws({ label: 'Default chain', region: 'eu-west-1', auth: { type: 'default-chain' } });
    const test = await accounts.testConnection(account.id);
    expect(test.error?.code).toBe('NO_CREDENTIALS');
    expect(test.error?.message).toMatch(/No AWS credentials were found for the default AWS credential chain \(looked in environment variables/);
    expect(test.steps.at(-1)).toMatchObject({ step: 'credentials', ok: false });
  });

  it('refuses a profile that does not exist, and a region IVS does not serve', async () => {
    const before = accounts.getState().accounts.length;
    const noProfile = await accounts.addAws({ label: 'Ghost', region: 'us-east-1', auth: { type: 'default-chain', profile: 'ghost' } }).catch((e: unknown) => e);
    expect(noProfile).toBeInstanceOf(StudioError);
    expect((noProfile as StudioError).code).toBe('NO_CREDENTIALS');
    expect((noProfile as StudioError).message).toBe('AWS profile "ghost" is not in ~/.aws/config or ~/.aws/credentials.');
    const badRegion = await accounts.addAws({ label: 'Brazil', region: 'sa-east-1', auth: { type: 'default-chain' } }).catch((e: unknown) => e);
    expect((badRegion as StudioError).code).toBe('WRONG_REGION');
    expect((badRegion as StudioError).action).toMatch(/us-east-1, us-west-2, eu-central-1/);
    expect(accounts.getState().accounts.length).toBe(before);
  });
});

describe('AWS accounts with an access key entered in the studio', () => {
  it('keeps the key pair in the keychain (never in accounts.json) and removes it with the account', async () => {
    const secretAccessKey = `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${Math.random().toString(36).slice(2, 12)}`;
    const account = await accounts.addAws({ label: 'Work', region: 'us-east-1', auth: { type: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey } });
    expect(account.auth).toEqual({ type: 'access-key', accessKeyIdHint: 'MPLE' });
    const stored = JSON.parse(await secretTool(awsAccountSecretName(account.id)));
    expect(stored).toEqual({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey });
    const onDisk = fs.readFileSync(path.join(dataDir, 'accounts.json'), 'utf8');
    expect(onDisk).not.toContain(secretAccessKey);
    expect(onDisk).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(accounts.getState())).not.toContain(secretAccessKey);

    // The key pair vanished from the keychain (another tool deleted it): the studio says so plainly.
    await vault.delete(awsAccountSecretName(account.id));
    const test = await accounts.testConnection(account.id);
    expect(test.error?.code).toBe('NO_CREDENTIALS');
    expect(test.error?.message).toBe('The access key of "Work" is not in the keychain.');

    await accounts.remove(account.id);
    expect(accounts.getState().accounts.some((a) => a.id === account.id)).toBe(false);
    await expect(secretTool(awsAccountSecretName(account.id))).rejects.toThrow();
  });

  it('refuses a malformed access key without storing anything', async () => {
    const before = accounts.getState().accounts.length;
    const error = await accounts.addAws({ label: 'Typo', region: 'us-east-1', auth: { type: 'access-key', accessKeyId: 'akia-lowercase', secretAccessKey: 'x'.repeat(40) } }).catch((e: unknown) => e);
    expect((error as StudioError).code).toBe('BAD_REQUEST');
    expect((error as StudioError).message).toMatch(/access key ID/);
    expect(accounts.getState().accounts.length).toBe(before);
  });
});
