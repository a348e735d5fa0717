/**
 * The studio's side of a live test, in this process: the local channel (control plane + live runtime)
 * on 127.0.0.1, and an AccountsService whose keys go to the real keychain (the Secret Service that
 * test/run-all.sh starts).
 */
import { AccountsService, type AccountsServiceOptions, type LocalChannelConnection } from '../../src-main/accounts/accounts-service';
import { startLiveRuntime, type LocalChannelLive } from '../../src-main/channel/live/start-live-runtime';
import { startLocalChannel, type LocalChannel } from '../../src-main/channel/local-channel';
import type { LocalChannelAccess } from '../../src-main/golive/go-live';
import { SecretVault } from '../../src-main/keychain/secret-vault';

export interface EmbeddedLocalChannel {
  channel: LocalChannel;
  live: LocalChannelLive;
  /** As the engine wires it: the channel's API and credentials, the running ingest and the CA that signed its RTMPS certificate. */
  access: () => LocalChannelAccess & LocalChannelConnection;
  dispose(): Promise<void>;
}

/** The local channel and its live runtime (ingest, LL-HLS) on any free ports, keeping their state in `dataDir`. */
export async function startEmbeddedLocalChannel(dataDir: string): Promise<EmbeddedLocalChannel> {
  const channel = await startLocalChannel({ dataDir, port: 0 });
  const live = await startLiveRuntime(channel, { dataDir });
  return {
    channel,
    live,
    access: () => ({ apiEndpoint: channel.apiEndpoint, region: channel.region, credentials: channel.credentials, ingest: { rtmp: live.rtmpUrl, rtmps: live.rtmpsUrl }, caPem: live.caPem }),
    dispose: async () => {
      await live.dispose();
      await channel.dispose();
    },
  };
}

/** Throws unless the test runs inside test/run-all.sh's D-Bus session (the keychain lives there). */
export function requireSecretService(): void {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('Run through test/run-all.sh: these tests need the Secret Service it starts.');
}

export interface KeychainAccounts {
  vault: SecretVault;
  accounts: AccountsService;
  dispose(): Promise<void>;
}

/** A started AccountsService on the real keychain. */
export async function startKeychainAccounts(options: Omit<AccountsServiceOptions, 'secrets'>): Promise<KeychainAccounts> {
  const vault = new SecretVault();
  const accounts = new AccountsService({ ...options, secrets: vault });
  try {
    await accounts.start();
  } catch (error) {
    await accounts.dispose();
    vault.dispose();
    throw error;
  }
  return {
    vault,
    accounts,
    dispose: async () => {
      await accounts.dispose();
      vault.dispose();
    },
  };
}

export interface LiveStudio extends EmbeddedLocalChannel {
  vault: SecretVault;
  accounts: AccountsService;
}

/**
 * Both: the local channel in `channelDir`, and keychain accounts wired to it as the engine wires them
 * (its API, the running ingest and the CA that signed its RTMPS certificate). `dispose` stops both.
 */
export async function startLiveStudio(channelDir: string, accounts: Omit<AccountsServiceOptions, 'secrets' | 'localChannel'>): Promise<LiveStudio> {
  const local = await startEmbeddedLocalChannel(channelDir);
  let keychain: KeychainAccounts;
  try {
    keychain = await startKeychainAccounts({ ...accounts, localChannel: local.access });
  } catch (error) {
    await local.dispose();
    throw error;
  }
  return {
    ...local,
    vault: keychain.vault,
    accounts: keychain.accounts,
    dispose: async () => {
      await keychain.dispose();
      await local.dispose();
    },
  };
}
