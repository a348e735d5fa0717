/**
 * Run in a child process with no D-Bus session (see keychain.test.ts): the studio must say the
 * keychain is unavailable, refuse to store secrets, and only keep them in memory after consent.
 * Prints one JSON line with what happened. Secrets come in on stdin, never in argv.
 */
import * as fs from 'node:fs';
import { AccountsService } from '../../src-main/accounts/accounts-service';
import { configureLogging } from '../../src-main/core/logger';
import { StudioError } from '../../src-main/core/studio-error';
import { SecretVault } from '../../src-main/keychain/secret-vault';

async function attempt(fn: () => Promise<unknown>): Promise<{ ok: true } | { ok: false; code: string; message: string; action?: string }> {
  try {
    await fn();
    return { ok: true };
  } catch (error) {
    if (error instanceof StudioError) return { ok: false, code: error.code, message: error.message, action: error.action };
    return { ok: false, code: 'THROWN', message: String(error) };
  }
}

async function main(): Promise<void> {
  const dataDir = process.argv[2]!;
  const { streamKey, secretAccessKey } = JSON.parse(fs.readFileSync(0, 'utf8')) as { streamKey: string; secretAccessKey: string };
  configureLogging({ dir: dataDir, consoleLevel: 'silent' });
  const vault = new SecretVault();
  const accounts = new AccountsService({ dataDir, secrets: vault, statusPolling: false });
  await accounts.start();
  const stateBefore = accounts.getState().keychain;
  const addTarget = await attempt(() => accounts.addCustomTarget({ label: 'Other service', ingestUrl: 'rtmps://live.example.com/app', streamKey }));
  const addAws = await attempt(() =>
    accounts.addAws({ label: 'Work', region: 'us-east-1', auth: { type: 'access-key', accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey } }),
  );
  const accountsAfterRefusal = accounts.getState().accounts.length;
  const consent = await accounts.allowSessionSecrets();
  let revealed = '';
  const addAfterConsent = await attempt(async () => {
    const target = await accounts.addCustomTarget({ label: 'Other service', ingestUrl: 'rtmps://live.example.com/app', streamKey });
    revealed = await accounts.revealKey(target.id);
  });
  await accounts.dispose();
  vault.dispose();
  process.stdout.write(
    `${JSON.stringify({ stateBefore, addTarget, addAws, accountsAfterRefusal, consent, addAfterConsent, revealedMatches: revealed === streamKey })}\n`,
  );
}

void main();
