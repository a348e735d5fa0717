import { z } from 'zod';
import type { ConnectionTest, SelectedTarget } from '../contract/domains/accounts';

/**
 * `accounts.json` in the data dir: accounts, custom targets and the selected target — never a secret.
 * Access keys and stream keys live in the keychain; this file holds at most their masked forms and
 * the names of the keychain entries the studio created (so removing an account cleans them up).
 */
export interface StoredAccount {
  id: string;
  kind: 'aws' | 'custom-rtmp';
  label: string;
  region?: string;
  auth?: { type: 'default-chain'; profile?: string } | { type: 'access-key'; accessKeyIdHint: string };
  ingestUrl?: string;
  streamKeyMasked?: string;
  /** Keychain accounts (channel ARNs) holding stream keys fetched through this account. */
  keychainEntries: string[];
}

export interface AccountsDocument {
  version: 1;
  accounts: StoredAccount[];
  /** Keychain entries (channel ARNs) of the built-in local channel account. */
  localKeychainEntries: string[];
  selected?: SelectedTarget;
  lastTests: Record<string, ConnectionTest>;
}

const connectionTestSchema = z
  .object({
    ok: z.boolean(),
    testedAt: z.string(),
    region: z.string().optional(),
    credentialSource: z.string().optional(),
    steps: z.array(z.object({ step: z.enum(['credentials', 'region', 'endpoint', 'permissions']), ok: z.boolean(), message: z.string() })),
    channelCount: z.number().optional(),
    error: z
      .object({ code: z.string(), message: z.string(), action: z.string().optional(), fatal: z.boolean(), details: z.string().optional() })
      .optional(),
  })
  .strict();

const channelSchema = z.object({
  arn: z.string(),
  name: z.string(),
  type: z.enum(['STANDARD', 'BASIC', 'ADVANCED_SD', 'ADVANCED_HD']),
  latencyMode: z.enum(['LOW', 'NORMAL']),
  authorized: z.boolean(),
  insecureIngest: z.boolean(),
  recordingConfigurationArn: z.string(),
  tags: z.record(z.string(), z.string()),
  ingestEndpoint: z.string(),
  playbackUrl: z.string(),
});

const selectedSchema = z.object({
  accountId: z.string(),
  accountKind: z.enum(['local', 'aws', 'custom-rtmp']),
  channelArn: z.string().optional(),
  channel: channelSchema.optional(),
  ingestUrl: z.string(),
  streamKeyMasked: z.string().optional(),
  streamKeyArn: z.string().optional(),
  keyFetchedAt: z.string().optional(),
});

const storedAccountSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['aws', 'custom-rtmp']),
    label: z.string(),
    region: z.string().optional(),
    auth: z
      .union([
        z.object({ type: z.literal('default-chain'), profile: z.string().optional() }).strict(),
        z.object({ type: z.literal('access-key'), accessKeyIdHint: z.string().max(8) }).strict(),
      ])
      .optional(),
    ingestUrl: z.string().optional(),
    streamKeyMasked: z.string().optional(),
    keychainEntries: z.array(z.string()),
  })
  .strict();

export const accountsDocumentSchema = z
  .object({
    version: z.literal(1),
    accounts: z.array(storedAccountSchema),
    localKeychainEntries: z.array(z.string()),
    selected: selectedSchema.optional(),
    lastTests: z.record(z.string(), connectionTestSchema),
  })
  .strict() as unknown as z.ZodType<AccountsDocument>;

export const emptyAccountsDocument = (): AccountsDocument => ({ version: 1, accounts: [], localKeychainEntries: [], lastTests: {} });
