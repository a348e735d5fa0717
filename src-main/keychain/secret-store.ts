/**
 * Where secrets live: the OS keychain (keytar: macOS Keychain, Windows Credential Manager, the Secret
 * Service on Linux), or — only after the user agreed — engine memory for this session. There is no
 * third option: a secret is never written to a file by the studio.
 *
 * Keychain entries: service "IVS Studio", account = a channel ARN (its stream key), a custom target id
 * (its stream key) or `aws-account:<id>` (an access key, as JSON).
 */
export const KEYCHAIN_SERVICE = 'IVS Studio';

export interface SecretStore {
  /** 'keychain' persists across runs; 'session' forgets everything when the engine stops. */
  readonly kind: 'keychain' | 'session';
  /** The secret, registered with the redaction layer before it is returned; undefined if absent. */
  get(account: string): Promise<string | undefined>;
  /** Stores (replaces) a secret; the value is registered with the redaction layer. */
  set(account: string, secret: string): Promise<void>;
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>;
}

/** Keychain account for the access key of an AWS account the studio stores. */
export function awsAccountSecretName(accountId: string): string {
  return `aws-account:${accountId}`;
}
