/**
 * The SecretStore against a real Secret Service: gnome-keyring-daemon inside the D-Bus session that
 * test/run-all.sh starts. What the studio stores is read back with libsecret's own `secret-tool`, and
 * the "no keychain" case runs in a child process with D-Bus pointed at nothing.
 */
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { redact } from '../../src-main/core/redact';
import { StudioError } from '../../src-main/core/studio-error';
import { KeytarSecretStore, loadKeytar } from '../../src-main/keychain/keytar-secret-store';
import { KEYCHAIN_SERVICE } from '../../src-main/keychain/secret-store';
import { SecretVault } from '../../src-main/keychain/secret-vault';

const run = promisify(execFile);
const arn = `arn:aws:ivs:us-west-2:000000000000:channel/kc${Date.now().toString(36)}`;
const dirs: string[] = [];

function secretToolLookup(account: string): Promise<string> {
  return run('secret-tool', ['lookup', 'service', KEYCHAIN_SERVICE, 'account', account]).then((r) => r.stdout);
}

function secretToolStore(account: string, secret: string): Promise<void> {
  return new Promise((resolve, reject) => {
    // The secret goes in on stdin, as it must never appear in a command line; keytar looks up items
    // of the generic schema, so say which one.
    const child = spawn('secret-tool', ['store', '--label', 'IVS Studio test', 'xdg:schema', 'org.freedesktop.Secret.Generic', 'service', KEYCHAIN_SERVICE, 'account', account], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`secret-tool store failed: ${stderr}`))));
    child.stdin.end(secret);
  });
}

beforeAll(() => {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
    throw new Error('No D-Bus session: run the keychain tests through test/run-all.sh (it starts gnome-keyring in dbus-run-session).');
  }
});

afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('KeytarSecretStore on the Secret Service', () => {
  it('stores a stream key under service "IVS Studio" / account <channel ARN>, readable by secret-tool', async () => {
    const keytar = loadKeytar();
    if (keytar instanceof Error) throw keytar;
    const store = new KeytarSecretStore(keytar);
    const key = `sk_us-west-2_${Math.random().toString(36).slice(2)}ABCDEFGHIJ`;
    await store.set(arn, key);
    expect(await secretToolLookup(arn)).toBe(key);
    // Registered for redaction the moment the studio held it.
    expect(redact(`publishing to rtmps://host/app/${key}`)).toBe('publishing to rtmps://host/app/[redacted]');

    const rotated = `sk_us-west-2_${Math.random().toString(36).slice(2)}ROTATED123`;
    await store.set(arn, rotated);
    expect(await secretToolLookup(arn)).toBe(rotated);
    expect(await store.delete(arn)).toBe(true);
    await expect(secretToolLookup(arn)).rejects.toThrow();
    expect(await store.get(arn)).toBeUndefined();
  });

  it('reads what another libsecret client stored, and registers it for redaction on read', async () => {
    const keytar = loadKeytar();
    if (keytar instanceof Error) throw keytar;
    const account = `${arn}-external`;
    const external = `external-secret-${Math.random().toString(36).slice(2)}`;
    await secretToolStore(account, external);
    expect(redact(external)).toBe(external);
    const store = new KeytarSecretStore(keytar);
    expect(await store.get(account)).toBe(external);
    expect(redact(`key=${external}`)).toBe('key=[redacted]');
    await store.delete(account);
  });

  it('the vault probes the keychain as available and uses it', async () => {
    const vault = new SecretVault();
    expect(vault.status.state).toBe('unknown');
    expect((await vault.probe()).state).toBe('available');
    await vault.set(`${arn}-vault`, 'vault-secret-123456');
    expect(await secretToolLookup(`${arn}-vault`)).toBe('vault-secret-123456');
    expect(await vault.delete(`${arn}-vault`)).toBe(true);
    // Consent to the session fallback changes nothing while a keychain works.
    expect((await vault.allowSessionOnly()).state).toBe('available');
    expect(vault.kind).toBe('keychain');
    vault.dispose();
  });
});

describe('no keychain available', () => {
  it('a broken Secret Service is reported as KEYCHAIN_UNAVAILABLE with the OS reason', async () => {
    const failing = {
      getPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      setPassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
      deletePassword: () => Promise.reject(new Error('Cannot autolaunch D-Bus without X11 $DISPLAY')),
    };
    const vault = new SecretVault({ keytar: failing });
    const status = await vault.probe();
    expect(status.state).toBe('unavailable');
    expect(status.reason).toMatch(/no D-Bus session \/ Secret Service/);
    const error = await vault.set('x', 'secret-value-1234').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StudioError);
    expect((error as StudioError).code).toBe('KEYCHAIN_UNAVAILABLE');
    vault.dispose();
  });

  it('with D-Bus pointing at nothing: the studio says so, refuses, asks, and never writes a secret to disk', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-nokeychain-'));
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-nokeychain-home-'));
    dirs.push(dataDir, home);
    const streamKey = `sk_custom_${Math.random().toString(36).slice(2)}NOKEYCHAIN`;
    const secretAccessKey = `wJalrXUtnFEMI/K7MDENG/${Math.random().toString(36).slice(2)}`;
    const fixture = path.join(__dirname, 'keychain-no-service.fixture.ts');
    const env: NodeJS.ProcessEnv = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bus', HOME: home, XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: path.join(home, 'config') };
    delete env.DISPLAY;
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir], { env, stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`fixture exited ${code}: ${err}`))));
      child.stdin.end(JSON.stringify({ streamKey, secretAccessKey }));
    });
    const result = JSON.parse(output.trim().split('\n').pop()!);
    expect(result.stateBefore.state).toBe('unavailable');
    expect(result.stateBefore.reason).toMatch(/D-Bus|Secret Service/);
    expect(result.addTarget).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(result.addTarget.action).toMatch(/allow the studio to keep secrets in memory for this session only/);
    expect(result.addAws).toMatchObject({ ok: false, code: 'KEYCHAIN_UNAVAILABLE' });
    expect(result.accountsAfterRefusal).toBe(1); // only the built-in local channel: nothing half-added
    expect(result.consent.state).toBe('session-only');
    expect(result.addAfterConsent).toEqual({ ok: true });
    expect(result.revealedMatches).toBe(true);

    // Nothing the child wrote — accounts.json, the log, anything under its HOME — holds a secret.
    const files = [...walk(dataDir), ...walk(home)];
    expect(files.some((f) => f.endsWith('accounts.json'))).toBe(true);
    expect(files.some((f) => f.endsWith('studio.log'))).toBe(true);
    for (const file of files) {
      const text = fs.readFileSync(file, 'latin1');
      expect(text.includes(streamKey), `${file} contains the stream key`).toBe(false);
      expect(text.includes(secretAccessKey), `${file} contains the AWS secret`).toBe(false);
    }
  });
});

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}
