/**
 * Accounts, channels and IVS's live status. Snapshot: accounts:get-state + channels:get-status;
 * events: accounts:state-changed, channels:status-changed. Stream keys never live here except the
 * one the user explicitly revealed, until they hide it or select another channel.
 */
import type {
  AccountsState,
  AddAwsAccountInput,
  AddCustomTargetInput,
  ChannelLiveStatus,
  ChannelSummary,
  ConnectionTest,
  CreateChannelInput,
  RecordingConfigurationSummary,
  StudioErrorPayload,
} from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

export interface ChannelSlice {
  accounts: AccountsState | undefined;
  /** The account whose channels the pane shows. */
  browsingAccountId: string;
  channelsByAccount: Record<string, ChannelSummary[] | undefined>;
  /** Why the last listing failed, shown in the list itself (a background refresh is not worth a notice). */
  channelListErrors: Record<string, StudioErrorPayload | undefined>;
  recordingConfigsByAccount: Record<string, RecordingConfigurationSummary[] | undefined>;
  channelStatus: ChannelLiveStatus | null;
  /** Only after the user pressed Reveal; cleared on hide or when the selection changes. */
  revealedKey: { target: string; key: string } | undefined;
  /** Which request is in flight, for disabled buttons and spinners. */
  channelBusy: string | undefined;
  loadAccounts(): Promise<void>;
  browseAccount(accountId: string): void;
  refreshChannels(accountId: string): Promise<void>;
  addAwsAccount(input: AddAwsAccountInput): Promise<boolean>;
  addCustomTarget(input: AddCustomTargetInput): Promise<boolean>;
  removeAccount(accountId: string): Promise<void>;
  setAccountRegion(accountId: string, region: string): Promise<void>;
  testConnection(accountId: string): Promise<ConnectionTest | undefined>;
  allowSessionSecrets(): Promise<void>;
  createChannel(accountId: string, input: CreateChannelInput): Promise<boolean>;
  deleteChannel(accountId: string, channelArn: string): Promise<boolean>;
  selectChannel(accountId: string, channelArn?: string): Promise<boolean>;
  rotateKey(accountId: string, channelArn: string): Promise<boolean>;
  revealKey(accountId: string, channelArn?: string): Promise<void>;
  hideKey(): void;
  stopStream(accountId: string, channelArn: string): Promise<boolean>;
  loadRecordingConfigs(accountId: string): Promise<void>;
  createRecordingConfig(accountId: string, bucketName: string, name?: string): Promise<boolean>;
  setRecording(accountId: string, channelArn: string, recordingConfigurationArn: string): Promise<boolean>;
}

export const channelSlice: StudioSliceModule<ChannelSlice> = {
  create: (client) => (set, get) => {
    /** Runs a request with the busy flag set; a refusal becomes a notice. */
    async function request<T>(busy: string, context: string, call: () => Promise<{ ok: true; value: T } | { ok: false; error: StudioErrorPayload }>): Promise<T | undefined> {
      set({ channelBusy: busy });
      try {
        const reply = await call();
        if (reply.ok) return reply.value;
        get().reportError(reply.error, context);
        return undefined;
      } finally {
        if (get().channelBusy === busy) set({ channelBusy: undefined });
      }
    }

    return {
      accounts: undefined,
      browsingAccountId: 'local',
      channelsByAccount: {},
      channelListErrors: {},
      recordingConfigsByAccount: {},
      channelStatus: null,
      revealedKey: undefined,
      channelBusy: undefined,
      async loadAccounts() {
        const [state, status] = await Promise.all([client.invoke('accounts:get-state'), client.invoke('channels:get-status')]);
        if (state.ok) {
          set({ accounts: state.value });
          const browsing = get().browsingAccountId;
          if (!state.value.accounts.some((a) => a.id === browsing)) set({ browsingAccountId: state.value.selected?.accountId ?? 'local' });
        } else if (state.error.code !== 'FORBIDDEN') get().reportError(state.error, 'Reading the accounts failed');
        if (status.ok) set({ channelStatus: status.value });
      },
      browseAccount(accountId) {
        set({ browsingAccountId: accountId });
      },
      async refreshChannels(accountId) {
        set({ channelBusy: 'list' });
        try {
          const reply = await client.invoke('channels:list', accountId);
          if (reply.ok) {
            set({ channelsByAccount: { ...get().channelsByAccount, [accountId]: reply.value }, channelListErrors: { ...get().channelListErrors, [accountId]: undefined } });
          } else {
            set({ channelListErrors: { ...get().channelListErrors, [accountId]: reply.error } });
          }
        } finally {
          if (get().channelBusy === 'list') set({ channelBusy: undefined });
        }
      },
      async addAwsAccount(input) {
        const account = await request('add-aws', 'The AWS account was not added', () => client.invoke('accounts:add-aws', input));
        if (account) set({ browsingAccountId: account.id });
        return !!account;
      },
      async addCustomTarget(input) {
        const account = await request('add-target', 'The RTMP target was not added', () => client.invoke('accounts:add-custom-target', input));
        if (account) set({ browsingAccountId: account.id });
        return !!account;
      },
      async removeAccount(accountId) {
        const done = await request('remove', 'The account was not removed', async () => {
          const reply = await client.invoke('accounts:remove', accountId);
          return reply.ok ? { ok: true as const, value: true } : reply;
        });
        if (done) set({ browsingAccountId: 'local' });
      },
      async setAccountRegion(accountId, region) {
        const account = await request('region', 'The region was not changed', () => client.invoke('accounts:set-region', accountId, region));
        if (account) await get().refreshChannels(accountId);
      },
      testConnection: (accountId) => request('test', 'Testing the connection failed', () => client.invoke('accounts:test-connection', accountId)),
      async allowSessionSecrets() {
        await request('consent', 'The session-only keychain was not enabled', () => client.invoke('accounts:allow-session-secrets'));
      },
      async createChannel(accountId, input) {
        const channel = await request('create', 'The channel was not created', () => client.invoke('channels:create', accountId, input));
        if (channel) await get().refreshChannels(accountId);
        return !!channel;
      },
      async deleteChannel(accountId, channelArn) {
        const done = await request(`delete:${channelArn}`, 'The channel was not deleted', async () => {
          const reply = await client.invoke('channels:delete', accountId, channelArn);
          return reply.ok ? { ok: true as const, value: true } : reply;
        });
        if (done) await get().refreshChannels(accountId);
        return !!done;
      },
      async selectChannel(accountId, channelArn) {
        set({ revealedKey: undefined });
        const selected = await request(`select:${channelArn ?? accountId}`, 'The channel was not selected', () =>
          channelArn ? client.invoke('channels:select', accountId, channelArn) : client.invoke('channels:select', accountId),
        );
        return !!selected;
      },
      async rotateKey(accountId, channelArn) {
        set({ revealedKey: undefined });
        return !!(await request('rotate', 'The stream key was not rotated', () => client.invoke('channels:rotate-key', accountId, channelArn)));
      },
      async revealKey(accountId, channelArn) {
        const key = await request('reveal', 'The stream key could not be shown', () =>
          channelArn ? client.invoke('channels:reveal-key', accountId, channelArn) : client.invoke('channels:reveal-key', accountId),
        );
        if (key !== undefined) set({ revealedKey: { target: channelArn ?? accountId, key } });
      },
      hideKey: () => set({ revealedKey: undefined }),
      async stopStream(accountId, channelArn) {
        const done = await request('stop', 'IVS did not stop the stream', async () => {
          const reply = await client.invoke('channels:stop-stream', accountId, channelArn);
          return reply.ok ? { ok: true as const, value: true } : reply;
        });
        return !!done;
      },
      async loadRecordingConfigs(accountId) {
        const configs = await request('recordings', 'Listing the recording configurations failed', () => client.invoke('channels:list-recording-configurations', accountId));
        if (configs) set({ recordingConfigsByAccount: { ...get().recordingConfigsByAccount, [accountId]: configs } });
      },
      async createRecordingConfig(accountId, bucketName, name) {
        const config = await request('create-recording', 'The recording configuration was not created', () =>
          client.invoke('channels:create-recording-configuration', accountId, name ? { bucketName, name } : { bucketName }),
        );
        if (config) await get().loadRecordingConfigs(accountId);
        return !!config;
      },
      async setRecording(accountId, channelArn, recordingConfigurationArn) {
        const channel = await request('set-recording', 'Recording was not changed', () => client.invoke('channels:set-recording', accountId, channelArn, recordingConfigurationArn));
        if (channel) await get().refreshChannels(accountId);
        return !!channel;
      },
    };
  },
  bind: (client, store) => {
    const offState = client.on('accounts:state-changed', (accounts) => {
      const previous = store.getState().accounts?.selected;
      const changedSelection = previous?.channelArn !== accounts.selected?.channelArn || previous?.accountId !== accounts.selected?.accountId || previous?.streamKeyArn !== accounts.selected?.streamKeyArn;
      store.setState({ accounts, ...(changedSelection ? { revealedKey: undefined } : {}) });
    });
    const offStatus = client.on('channels:status-changed', (channelStatus) => store.setState({ channelStatus }));
    return () => {
      offState();
      offStatus();
    };
  },
  load: (store) => store.getState().loadAccounts(),
};
