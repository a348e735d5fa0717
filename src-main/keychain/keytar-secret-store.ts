import type { KeychainStatus } from '../contract/domains/accounts';
import { registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import { KEYCHAIN_SERVICE, type SecretStore } from './secret-store';

/** The subset of keytar the studio uses (keytar 7.x). */
export interface KeytarApi {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/**
 * keytar is a native module: loading it can fail (not built for this platform). That is one more way
 * for the keychain to be unavailable, so it is loaded lazily and the failure reported, not thrown.
 */
export function loadKeytar(): KeytarApi | Error {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- native module, loaded on demand
    return require('keytar') as KeytarApi;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** A keytar failure in plain words; keytar's own text (D-Bus, Secret Service) is kept as the reason. */
export function keychainUnavailableError(cause: unknown, doing: string): StudioError {
  const reason = describeKeychainFailure(cause);
  return new StudioError('KEYCHAIN_UNAVAILABLE', {
    message: `The OS keychain could not ${doing}: ${reason}`,
    cause,
  });
}

export function describeKeychainFailure(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  if (/autolaunch D-Bus|Could not connect|DBUS_SESSION_BUS_ADDRESS|No such file or directory/i.test(text)) {
    return `no D-Bus session / Secret Service is running (${text}).`;
  }
  if (/org\.freedesktop\.secrets|Object does not exist|collection/i.test(text)) {
    return `the Secret Service has no usable keyring (${text}); unlock or create the login keyring.`;
  }
  if (/prompt|dismissed|cancel/i.test(text)) return `the keyring is locked and the unlock prompt failed (${text}).`;
  if (/Cannot find module|\.node|dlopen/i.test(text)) return `the keychain module could not be loaded (${text}).`;
  return text;
}

/** SecretStore over the OS keychain. Every secret read or written is registered for redaction. */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly keytar: KeytarApi,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}

  async get(account: string): Promise<string | undefined> {
    let value: string | null;
    try {
      value = await this.keytar.getPassword(this.service, account);
    } catch (error) {
      throw keychainUnavailableError(error, 'read a secret');
    }
    if (value === null) return undefined;
    registerSecret(value);
    return value;
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    try {
      await this.keytar.setPassword(this.service, account, secret);
    } catch (error) {
      throw keychainUnavailableError(error, 'store a secret');
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.keytar.deletePassword(this.service, account);
    } catch (error) {
      throw keychainUnavailableError(error, 'delete a secret');
    }
  }

  /**
   * Round-trips a marker entry (not a secret): on Linux a read can succeed while writes fail (no
   * collection), so only a write proves the keychain is usable.
   */
  async probe(): Promise<KeychainStatus> {
    const marker = `probe:${process.pid}:${Date.now()}`;
    try {
      await this.keytar.setPassword(this.service, '__studio_probe__', marker);
      const back = await this.keytar.getPassword(this.service, '__studio_probe__');
      await this.keytar.deletePassword(this.service, '__studio_probe__');
      if (back !== marker) return { state: 'unavailable', reason: 'the keychain did not return what was stored.' };
      return { state: 'available' };
    } catch (error) {
      return { state: 'unavailable', reason: describeKeychainFailure(error) };
    }
  }
}
