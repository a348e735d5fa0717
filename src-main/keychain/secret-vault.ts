import type { KeychainStatus } from '../contract/domains/accounts';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import { KeytarSecretStore, loadKeytar, describeKeychainFailure, type KeytarApi } from './keytar-secret-store';
import type { SecretStore } from './secret-store';
import { SessionSecretStore } from './session-secret-store';

const log = createLogger('keychain');

/**
 * The studio's one door to secrets. Uses the OS keychain when it works; when it does not, it refuses
 * every write with KEYCHAIN_UNAVAILABLE until the user explicitly agrees to keep secrets in memory for
 * this session (`allowSessionOnly`). It never falls back to a file.
 */
export class SecretVault implements SecretStore {
  private keychain?: KeytarSecretStore;
  private readonly session = new SessionSecretStore();
  private current: KeychainStatus = { state: 'unknown' };
  private probing?: Promise<KeychainStatus>;
  private readonly changed = new Emitter<KeychainStatus>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly options: { keytar?: KeytarApi; service?: string } = {}) {}

  get kind(): 'keychain' | 'session' {
    return this.current.state === 'session-only' ? 'session' : 'keychain';
  }

  get status(): KeychainStatus {
    return { ...this.current };
  }

  /** Checks the keychain once (later calls reuse the answer). */
  probe(): Promise<KeychainStatus> {
    this.probing ??= this.runProbe();
    return this.probing;
  }

  private async runProbe(): Promise<KeychainStatus> {
    const keytar = this.options.keytar ?? loadKeytar();
    if (keytar instanceof Error) {
      this.setStatus({ state: 'unavailable', reason: describeKeychainFailure(keytar) });
      return this.status;
    }
    const store = new KeytarSecretStore(keytar, this.options.service);
    const status = await store.probe();
    if (status.state === 'available') this.keychain = store;
    // The user may already have agreed to the session fallback while the probe ran.
    if (this.current.state !== 'session-only') this.setStatus(status);
    if (status.state === 'unavailable') log.warn(`OS keychain unavailable: ${status.reason}`);
    return this.status;
  }

  /** The user's consent: keep secrets in memory only. Refused while a keychain is available. */
  async allowSessionOnly(): Promise<KeychainStatus> {
    const status = await this.probe();
    if (status.state === 'available') return status;
    if (status.state !== 'session-only') {
      this.setStatus({
        state: 'session-only',
        reason: `${status.reason ?? 'No keychain.'} Secrets are kept in memory until the studio quits.`,
      });
    }
    return this.status;
  }

  async get(account: string): Promise<string | undefined> {
    return (await this.store('read a secret')).get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    return (await this.store('store a secret')).set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return (await this.store('delete a secret')).delete(account);
  }

  private async store(doing: string): Promise<SecretStore> {
    const status = await this.probe();
    if (this.current.state === 'session-only') return this.session;
    if (status.state === 'available' && this.keychain) return this.keychain;
    throw new StudioError('KEYCHAIN_UNAVAILABLE', {
      message: `The OS keychain could not ${doing}: ${status.reason ?? 'no keychain'}`,
      action:
        'On Linux, install and unlock a Secret Service (GNOME Keyring or KWallet), or allow the studio to keep secrets in memory for this session only.',
    });
  }

  private setStatus(status: KeychainStatus): void {
    this.current = status;
    this.changed.fire(this.status);
  }

  dispose(): void {
    this.session.clear();
    this.changed.dispose();
  }
}
