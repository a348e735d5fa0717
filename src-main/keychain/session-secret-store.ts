import { registerSecret } from '../core/redact';
import type { SecretStore } from './secret-store';

/**
 * The fallback the user may agree to when there is no OS keychain: secrets in engine memory only,
 * gone when the studio stops. Nothing is ever written to disk.
 */
export class SessionSecretStore implements SecretStore {
  readonly kind = 'session' as const;
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | undefined> {
    return this.secrets.get(account);
  }

  async set(account: string, secret: string): Promise<void> {
    registerSecret(secret);
    this.secrets.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    return this.secrets.delete(account);
  }

  clear(): void {
    this.secrets.clear();
  }
}
