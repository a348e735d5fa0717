import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type {
  Account,
  AccountsState,
  AddAwsAccountInput,
  AddCustomTargetInput,
  ChannelDetails,
  ChannelLiveStatus,
  ChannelSummary,
  ConnectionTest,
  CreateChannelInput,
  CreateRecordingConfigurationInput,
  KeychainStatus,
  PreflightEncoderSettings,
  PreflightReport,
  RecordingConfigurationSummary,
  SelectedTarget,
} from '../contract/domains/accounts';
import { DisposableBase } from '../core/disposable';
import { JsonDocument, corruptDocumentError } from '../core/documents';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { maskSecret, registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import { runPreflight } from '../golive/preflight';
import { listAwsProfiles } from '../ivs/aws-profiles';
import { ivsIngestUrl, parseIngestUrl, probeIngest } from '../ivs/ingest';
import { IvsService, type IvsServiceOptions, type StaticCredentials, type StreamKeyWithValue } from '../ivs/ivs-service';
import { IVS_REGIONS, describeIvsRegions, isIvsRegion } from '../ivs/regions';
import { LiveStatusPoller, type StatusPollerOptions } from '../ivs/status-poller';
import { awsAccountSecretName } from '../keychain/secret-store';
import type { SecretVault } from '../keychain/secret-vault';
import { accountsDocumentSchema, emptyAccountsDocument, type AccountsDocument, type StoredAccount } from './accounts-document';

const log = createLogger('accounts');

export const LOCAL_ACCOUNT_ID = 'local';

/** What the embedded local channel tells the accounts service (injected, never imported). */
export interface LocalChannelConnection {
  apiEndpoint: string;
  region: string;
  credentials: StaticCredentials;
  /** Broadcaster URLs of the local ingest (`rtmps://127.0.0.1:PORT/app/`), once ingest exists. */
  ingest?: { rtmp?: string; rtmps?: string };
  /** The CA that signed the local RTMPS certificate, for the publisher to trust explicitly. */
  caPem?: string;
}

export interface AccountsServiceOptions {
  dataDir: string;
  secrets: SecretVault;
  /** The local channel, when it runs; a function because it starts after the engine. */
  localChannel?: () => LocalChannelConnection | undefined;
  /** Overrides for every IvsService (tests: `maxAttempts: 1`). */
  ivs?: Pick<IvsServiceOptions, 'maxAttempts' | 'connectionTimeoutMs' | 'requestTimeoutMs'>;
  /** Live status cadence; `false` disables polling. */
  statusPolling?: Omit<StatusPollerOptions, 'accountId' | 'channelArn'> | false;
}

/** Everything the go-live engine needs to publish; holds the key, so never serialise it. */
export interface StreamTarget {
  accountId: string;
  accountKind: Account['kind'];
  channelArn?: string;
  channel?: ChannelDetails;
  ingestUrl: string;
  streamKey: string;
  /** Extra CA to trust for RTMPS (the local channel's own); absent for AWS and custom targets. */
  ca?: string;
}

/**
 * Accounts (local channel, AWS, custom RTMP targets), channels and stream keys. State is a JSON
 * document without secrets; keys go to the keychain through the SecretVault the moment IVS returns
 * them, and reach the renderer only masked — or in full through `revealKey`, on request.
 */
export class AccountsService extends DisposableBase {
  private readonly document: JsonDocument<AccountsDocument>;
  private doc: AccountsDocument;
  readonly loadError?: StudioError;
  private readonly services = new Map<string, { key: string; service: IvsService }>();
  private poller?: LiveStatusPoller;
  private readonly stateChanged = new Emitter<AccountsState>();
  readonly onDidChangeState = this.stateChanged.event;
  private readonly statusChanged = new Emitter<ChannelLiveStatus>();
  readonly onDidChangeStatus = this.statusChanged.event;
  private localTest?: ConnectionTest;

  constructor(private readonly options: AccountsServiceOptions) {
    super();
    this.document = new JsonDocument(path.join(options.dataDir, 'accounts.json'), accountsDocumentSchema, emptyAccountsDocument);
    const loaded = this.document.load();
    this.doc = loaded.value;
    if (loaded.recovered) this.loadError = corruptDocumentError(this.document.file, loaded.recovered);
    this.register(this.stateChanged);
    this.register(this.statusChanged);
    this.register(options.secrets.onDidChange(() => this.fireState()));
    this.register({ dispose: () => this.disposeServices() });
    this.register({ dispose: () => this.stopPolling() });
  }

  /** Probes the keychain and resumes status polling for a previously selected channel. */
  async start(): Promise<void> {
    await this.options.secrets.probe();
    const selected = this.doc.selected;
    if (selected?.channelArn) this.startPolling(selected.accountId, selected.channelArn);
  }

  // ---------------------------------------------------------------- state

  getState(): AccountsState {
    const state: AccountsState = {
      accounts: [this.localAccount(), ...this.doc.accounts.map((a) => this.toAccount(a))],
      keychain: this.options.secrets.status,
      regions: IVS_REGIONS.map((r) => ({ ...r })),
    };
    if (this.doc.selected) state.selected = structuredClone(this.doc.selected);
    return state;
  }

  private localAccount(): Account {
    const local = this.options.localChannel?.();
    return {
      id: LOCAL_ACCOUNT_ID,
      kind: 'local',
      label: 'Local channel',
      region: local?.region ?? 'us-west-2',
      ...(this.localTest ? { lastTest: this.localTest } : {}),
    };
  }

  private toAccount(stored: StoredAccount): Account {
    const account: Account = { id: stored.id, kind: stored.kind, label: stored.label };
    if (stored.region) account.region = stored.region;
    if (stored.auth) account.auth = { ...stored.auth };
    if (stored.ingestUrl) account.ingestUrl = stored.ingestUrl;
    if (stored.streamKeyMasked) account.streamKeyMasked = stored.streamKeyMasked;
    const test = this.doc.lastTests[stored.id];
    if (test) account.lastTest = test;
    return account;
  }

  private save(): void {
    this.document.save(this.doc);
    this.fireState();
  }

  private fireState(): void {
    this.stateChanged.fire(this.getState());
  }

  // ---------------------------------------------------------------- accounts

  listAwsProfiles(): string[] {
    return listAwsProfiles();
  }

  async addAws(input: AddAwsAccountInput): Promise<Account> {
    const label = requireLabel(input.label);
    requireRegion(input.region);
    const id = `aws-${randomBytes(4).toString('hex')}`;
    let auth: StoredAccount['auth'];
    if (input.auth.type === 'access-key') {
      const { accessKeyId, secretAccessKey, sessionToken } = input.auth;
      registerSecret(secretAccessKey);
      registerSecret(sessionToken);
      if (!/^[A-Z0-9]{16,128}$/.test(accessKeyId)) {
        throw new StudioError('BAD_REQUEST', { message: 'The access key ID should be 16–128 upper-case letters and digits (it starts with AKIA or ASIA).' });
      }
      if (secretAccessKey.length < 16 || /\s/.test(secretAccessKey)) {
        throw new StudioError('BAD_REQUEST', { message: 'The secret access key looks incomplete (it is 40 characters, no spaces).' });
      }
      // Keychain first: if it refuses, nothing is saved and the user is told why.
      await this.options.secrets.set(awsAccountSecretName(id), JSON.stringify({ accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) }));
      auth = { type: 'access-key', accessKeyIdHint: accessKeyId.slice(-4) };
    } else {
      const profile = input.auth.profile?.trim() || undefined;
      if (profile && !listAwsProfiles().includes(profile)) {
        throw new StudioError('NO_CREDENTIALS', {
          message: `AWS profile "${profile}" is not in ~/.aws/config or ~/.aws/credentials.`,
          action: 'Create it with "aws configure --profile NAME" or "aws configure sso", or pick an existing profile.',
        });
      }
      auth = profile ? { type: 'default-chain', profile } : { type: 'default-chain' };
    }
    const stored: StoredAccount = { id, kind: 'aws', label, region: input.region, auth, keychainEntries: [] };
    this.doc.accounts.push(stored);
    this.save();
    log.info(`added AWS account ${id} (${label}, ${input.region}, ${auth.type})`);
    return this.toAccount(stored);
  }

  async addCustomTarget(input: AddCustomTargetInput): Promise<Account> {
    const label = requireLabel(input.label);
    registerSecret(input.streamKey);
    const parsed = parseIngestUrl(input.ingestUrl.trim());
    if ('error' in parsed) throw new StudioError('BAD_REQUEST', { message: parsed.error });
    const streamKey = input.streamKey.trim();
    if (!streamKey || /\s/.test(streamKey)) throw new StudioError('BAD_REQUEST', { message: 'The stream key is empty or contains spaces.' });
    const id = `target-${randomBytes(4).toString('hex')}`;
    await this.options.secrets.set(id, streamKey);
    const ingestUrl = input.ingestUrl.trim().endsWith('/') ? input.ingestUrl.trim() : `${input.ingestUrl.trim()}/`;
    const stored: StoredAccount = { id, kind: 'custom-rtmp', label, ingestUrl, streamKeyMasked: maskSecret(streamKey), keychainEntries: [id] };
    this.doc.accounts.push(stored);
    this.save();
    return this.toAccount(stored);
  }

  async remove(accountId: string): Promise<void> {
    if (accountId === LOCAL_ACCOUNT_ID) throw new StudioError('BAD_REQUEST', { message: 'The local channel is built in and cannot be removed.' });
    const stored = this.stored(accountId);
    const entries = [...stored.keychainEntries];
    if (stored.auth?.type === 'access-key') entries.push(awsAccountSecretName(accountId));
    for (const entry of entries) {
      try {
        await this.options.secrets.delete(entry);
      } catch (error) {
        log.warn(`could not delete keychain entry for ${accountId}`, error);
      }
    }
    this.doc.accounts = this.doc.accounts.filter((a) => a.id !== accountId);
    delete this.doc.lastTests[accountId];
    if (this.doc.selected?.accountId === accountId) this.clearSelection();
    this.dropService(accountId);
    this.save();
  }

  setRegion(accountId: string, region: string): Account {
    if (accountId === LOCAL_ACCOUNT_ID) throw new StudioError('BAD_REQUEST', { message: "The local channel's region is fixed by the local channel." });
    requireRegion(region);
    const stored = this.stored(accountId);
    if (stored.kind !== 'aws') throw new StudioError('BAD_REQUEST', { message: `${stored.label} is not an AWS account.` });
    stored.region = region;
    this.dropService(accountId);
    this.save();
    return this.toAccount(stored);
  }

  async allowSessionSecrets(): Promise<KeychainStatus> {
    return this.options.secrets.allowSessionOnly();
  }

  async testConnection(accountId: string): Promise<ConnectionTest> {
    let test: ConnectionTest;
    const stored = accountId === LOCAL_ACCOUNT_ID ? undefined : this.stored(accountId);
    if (stored?.kind === 'custom-rtmp') {
      const probe = await probeIngest(stored.ingestUrl ?? '');
      test = {
        ok: probe.reachable,
        testedAt: new Date().toISOString(),
        steps: [{ step: 'endpoint', ok: probe.reachable, message: probe.reachable ? `${stored.ingestUrl} accepts connections.` : `${stored.ingestUrl}: ${probe.problem}` }],
        ...(probe.reachable ? {} : { error: new StudioError('INGEST_UNREACHABLE', { message: `${stored.ingestUrl} could not be reached: ${probe.problem}.` }).toPayload() }),
      };
    } else {
      try {
        test = await (await this.service(accountId)).testConnection();
      } catch (error) {
        // Credentials missing from the keychain, local channel not running…
        const payload = (error instanceof StudioError ? error : new StudioError('INTERNAL', { details: String(error) })).toPayload();
        test = { ok: false, testedAt: new Date().toISOString(), steps: [{ step: 'credentials', ok: false, message: payload.message }], error: payload };
      }
    }
    if (accountId === LOCAL_ACCOUNT_ID) {
      this.localTest = test;
      this.fireState();
    } else {
      this.doc.lastTests[accountId] = test;
      this.save();
    }
    return test;
  }

  // ---------------------------------------------------------------- channels

  async listChannels(accountId: string): Promise<ChannelSummary[]> {
    return (await this.ivsService(accountId)).listChannels();
  }

  async createChannel(accountId: string, input: CreateChannelInput): Promise<ChannelDetails> {
    const service = await this.ivsService(accountId);
    const { channel, streamKey } = await service.createChannel(input);
    if (streamKey) {
      // The first key arrives with the channel: straight into the keychain.
      try {
        await this.storeStreamKey(accountId, channel.arn, streamKey.value);
      } catch (error) {
        log.warn(`channel ${channel.arn} created; its key was not stored`, error);
      }
    }
    return channel;
  }

  async deleteChannel(accountId: string, channelArn: string): Promise<void> {
    await (await this.ivsService(accountId)).deleteChannel(channelArn);
    try {
      await this.options.secrets.delete(channelArn);
    } catch (error) {
      log.warn(`could not delete the keychain entry of ${channelArn}`, error);
    }
    this.forgetKeychainEntry(accountId, channelArn);
    if (this.doc.selected?.channelArn === channelArn) this.clearSelection();
    this.save();
  }

  /**
   * Selects what the studio streams to. For an IVS channel: GetChannel for the ingest endpoint, then
   * the stream key (created if the channel has none) straight into the keychain.
   */
  async select(accountId: string, channelArn?: string): Promise<SelectedTarget> {
    let selected: SelectedTarget;
    if (accountId !== LOCAL_ACCOUNT_ID && this.stored(accountId).kind === 'custom-rtmp') {
      const target = this.stored(accountId);
      selected = { accountId, accountKind: 'custom-rtmp', ingestUrl: target.ingestUrl ?? '', ...(target.streamKeyMasked ? { streamKeyMasked: target.streamKeyMasked } : {}) };
      this.stopPolling();
    } else {
      if (!channelArn) throw new StudioError('BAD_REQUEST', { message: 'Pick a channel of this account to select.' });
      const service = await this.ivsService(accountId);
      const channel = await service.getChannel(channelArn);
      const key = await service.fetchStreamKey(channelArn);
      await this.storeStreamKey(accountId, channelArn, key.value);
      selected = this.channelTarget(accountId, channelArn, channel, key);
      this.startPolling(accountId, channelArn);
    }
    this.doc.selected = selected;
    this.save();
    return structuredClone(selected);
  }

  /** DeleteStreamKey + CreateStreamKey + keychain update as one step. */
  async rotateKey(accountId: string, channelArn: string): Promise<SelectedTarget> {
    const service = await this.ivsService(accountId);
    const key = await service.rotateStreamKey(channelArn);
    // The old key is already gone at IVS: a keychain failure here must be loud, with the way out.
    try {
      await this.storeStreamKey(accountId, channelArn, key.value);
    } catch (error) {
      throw new StudioError('KEYCHAIN_UNAVAILABLE', {
        message: `The key of ${channelArn} was rotated at IVS, but the new key could not be stored: ${(error as Error).message}`,
        action: 'Fix the keychain, then select the channel again to fetch the new key.',
        cause: error,
      });
    }
    const selected = this.doc.selected;
    if (selected?.channelArn === channelArn && selected.accountId === accountId) {
      selected.streamKeyMasked = maskSecret(key.value);
      selected.streamKeyArn = key.arn;
      selected.keyFetchedAt = new Date().toISOString();
      this.save();
      return structuredClone(selected);
    }
    return this.channelTarget(accountId, channelArn, await service.getChannel(channelArn), key);
  }

  /** An IVS channel (local or AWS) as a target, its key just stored in the keychain (shown masked only). */
  private channelTarget(accountId: string, channelArn: string, channel: ChannelDetails, key: StreamKeyWithValue): SelectedTarget {
    return {
      accountId,
      accountKind: accountId === LOCAL_ACCOUNT_ID ? 'local' : 'aws',
      channelArn,
      channel,
      ingestUrl: this.ingestUrlFor(accountId, channel),
      streamKeyMasked: maskSecret(key.value),
      streamKeyArn: key.arn,
      keyFetchedAt: new Date().toISOString(),
    };
  }

  /** The full key, on the user's explicit request only. */
  async revealKey(accountId: string, channelArn?: string): Promise<string> {
    const entry = this.keyEntryFor(accountId, channelArn);
    const key = await this.options.secrets.get(entry);
    if (!key) throw new StudioError('STREAM_KEY_MISSING', { message: `There is no stream key for ${channelArn ?? this.stored(accountId).label} in the keychain.` });
    log.info(`stream key of ${channelArn ?? accountId} revealed on request`);
    return key;
  }

  async stopStream(accountId: string, channelArn: string): Promise<void> {
    await (await this.ivsService(accountId)).stopStream(channelArn);
    if (this.poller?.channelArn === channelArn) await this.poller.pollNow();
  }

  getStatus(): ChannelLiveStatus | null {
    return this.poller?.latest ?? null;
  }

  /** Polls IVS now (the go-live engine calls this right after going live or stopping). */
  async refreshStatus(): Promise<ChannelLiveStatus | null> {
    return (await this.poller?.pollNow()) ?? null;
  }

  async listRecordingConfigurations(accountId: string): Promise<RecordingConfigurationSummary[]> {
    return (await this.ivsService(accountId)).listRecordingConfigurations();
  }

  async createRecordingConfiguration(accountId: string, input: CreateRecordingConfigurationInput): Promise<RecordingConfigurationSummary> {
    return (await this.ivsService(accountId)).createRecordingConfiguration(input);
  }

  async setRecording(accountId: string, channelArn: string, recordingConfigurationArn: string): Promise<ChannelDetails> {
    const channel = await (await this.ivsService(accountId)).setChannelRecording(channelArn, recordingConfigurationArn);
    const selected = this.doc.selected;
    if (selected?.channelArn === channelArn && selected.channel) {
      selected.channel = channel;
      this.save();
    }
    return channel;
  }

  // ---------------------------------------------------------------- go live

  /** Preflight against the selected target: channel limits, the ingest reachable, a key in the keychain. */
  async preflight(encoder: PreflightEncoderSettings): Promise<PreflightReport> {
    const selected = this.doc.selected;
    let streamKeyPresent = false;
    let ingest: { url?: string; reachable?: boolean; problem?: string } = {};
    if (selected) {
      try {
        streamKeyPresent = !!(await this.options.secrets.get(this.keyEntryFor(selected.accountId, selected.channelArn)));
      } catch {
        streamKeyPresent = false;
      }
      const url = this.currentIngestUrl(selected);
      ingest = { url, ...(url ? await probeIngest(url) : {}) };
    }
    return runPreflight({
      target: selected
        ? { kind: selected.accountKind, channelType: selected.channel?.type, name: selected.channel?.name || this.labelOf(selected.accountId) }
        : undefined,
      encoder,
      ingest,
      streamKeyPresent,
    });
  }

  /** The selected target with its key, for the publisher. Never send this over a transport. */
  async resolveStreamTarget(): Promise<StreamTarget> {
    const selected = this.doc.selected;
    if (!selected) throw new StudioError('BAD_REQUEST', { message: 'No channel is selected.', action: 'Pick a channel in Channel.' });
    const streamKey = await this.options.secrets.get(this.keyEntryFor(selected.accountId, selected.channelArn));
    if (!streamKey) throw new StudioError('STREAM_KEY_MISSING', { message: `There is no stream key for ${selected.channel?.name || selected.channelArn || this.labelOf(selected.accountId)} in the keychain.` });
    return {
      accountId: selected.accountId,
      accountKind: selected.accountKind,
      ...(selected.channelArn ? { channelArn: selected.channelArn } : {}),
      ...(selected.channel ? { channel: selected.channel } : {}),
      ingestUrl: this.currentIngestUrl(selected) ?? selected.ingestUrl,
      streamKey,
      ...(selected.accountKind === 'local' && this.options.localChannel?.()?.caPem ? { ca: this.options.localChannel()!.caPem } : {}),
    };
  }

  // ---------------------------------------------------------------- internals

  private async storeStreamKey(accountId: string, channelArn: string, value: string): Promise<void> {
    registerSecret(value);
    await this.options.secrets.set(channelArn, value);
    const entries = accountId === LOCAL_ACCOUNT_ID ? this.doc.localKeychainEntries : this.stored(accountId).keychainEntries;
    if (!entries.includes(channelArn)) {
      entries.push(channelArn);
      this.save();
    }
  }

  private forgetKeychainEntry(accountId: string, channelArn: string): void {
    if (accountId === LOCAL_ACCOUNT_ID) this.doc.localKeychainEntries = this.doc.localKeychainEntries.filter((e) => e !== channelArn);
    else {
      const stored = this.stored(accountId);
      stored.keychainEntries = stored.keychainEntries.filter((e) => e !== channelArn);
    }
  }

  private keyEntryFor(accountId: string, channelArn?: string): string {
    if (channelArn) return channelArn;
    if (accountId !== LOCAL_ACCOUNT_ID && this.stored(accountId).kind === 'custom-rtmp') return accountId;
    throw new StudioError('BAD_REQUEST', { message: 'Name the channel whose key you want.' });
  }

  private ingestUrlFor(accountId: string, channel: ChannelDetails): string {
    if (accountId === LOCAL_ACCOUNT_ID) {
      const ingest = this.options.localChannel?.()?.ingest;
      const url = ingest?.rtmps ?? ingest?.rtmp;
      if (url) return url;
    }
    return ivsIngestUrl(channel.ingestEndpoint);
  }

  /** The local channel's ports change between runs: always ask it for the current ingest. */
  private currentIngestUrl(selected: SelectedTarget): string | undefined {
    if (selected.accountKind === 'local' && selected.channel) return this.ingestUrlFor(LOCAL_ACCOUNT_ID, selected.channel);
    return selected.ingestUrl || undefined;
  }

  private labelOf(accountId: string): string {
    if (accountId === LOCAL_ACCOUNT_ID) return 'Local channel';
    return this.doc.accounts.find((a) => a.id === accountId)?.label ?? accountId;
  }

  private stored(accountId: string): StoredAccount {
    const stored = this.doc.accounts.find((a) => a.id === accountId);
    if (!stored) throw new StudioError('NOT_FOUND', { message: `There is no account "${accountId}".` });
    return stored;
  }

  /**
   * The account's IVS client, for engine parts with IVS calls of their own (the cue board's
   * PutMetadata): one client per account, so credentials are resolved in one place only.
   */
  ivsServiceFor(accountId: string): Promise<IvsService> {
    return this.ivsService(accountId);
  }

  private async ivsService(accountId: string): Promise<IvsService> {
    if (accountId !== LOCAL_ACCOUNT_ID && this.stored(accountId).kind === 'custom-rtmp') {
      throw new StudioError('BAD_REQUEST', { message: `${this.stored(accountId).label} is a custom RTMP target, not an IVS account.` });
    }
    return this.service(accountId);
  }

  /** One IvsService per account, rebuilt when what it was built from changes. */
  private async service(accountId: string): Promise<IvsService> {
    const built = await this.serviceOptions(accountId);
    const key = JSON.stringify([built.region, built.endpoint, built.credentials.type === 'static' ? built.credentials.credentials.accessKeyId : built.credentials.profile]);
    const existing = this.services.get(accountId);
    if (existing?.key === key) return existing.service;
    existing?.service.dispose();
    const service = new IvsService({ ...built, ...this.options.ivs });
    this.services.set(accountId, { key, service });
    return service;
  }

  private async serviceOptions(accountId: string): Promise<IvsServiceOptions> {
    if (accountId === LOCAL_ACCOUNT_ID) {
      const local = this.options.localChannel?.();
      if (!local) {
        throw new StudioError('ENDPOINT_UNREACHABLE', { message: 'The local channel is not running.', action: 'Restart the studio; the local channel starts with it.' });
      }
      return { region: local.region, endpoint: local.apiEndpoint, credentials: { type: 'static', credentials: local.credentials, label: 'the local channel' } };
    }
    const stored = this.stored(accountId);
    const region = stored.region ?? 'us-east-1';
    if (stored.auth?.type === 'access-key') {
      const text = await this.options.secrets.get(awsAccountSecretName(accountId));
      if (!text) {
        throw new StudioError('NO_CREDENTIALS', {
          message: `The access key of "${stored.label}" is not in the keychain.`,
          action: 'Remove the account and add it again with its access key.',
        });
      }
      const credentials = JSON.parse(text) as StaticCredentials;
      registerSecret(credentials.secretAccessKey);
      registerSecret(credentials.sessionToken);
      return { region, credentials: { type: 'static', credentials, label: `access key …${stored.auth.accessKeyIdHint}` } };
    }
    const profile = stored.auth?.type === 'default-chain' ? stored.auth.profile : undefined;
    return { region, credentials: profile ? { type: 'default-chain', profile } : { type: 'default-chain' } };
  }

  private startPolling(accountId: string, channelArn: string): void {
    if (this.options.statusPolling === false) return;
    if (this.poller?.channelArn === channelArn) return;
    this.stopPolling();
    const source = {
      getStream: async (arn: string) => (await this.service(accountId)).getStream(arn),
      getStreamSession: async (arn: string, streamId?: string) => (await this.service(accountId)).getStreamSession(arn, streamId),
    };
    const poller = new LiveStatusPoller(source, { ...(this.options.statusPolling ?? {}), accountId, channelArn });
    poller.onStatus((status) => this.statusChanged.fire(status));
    this.poller = poller;
    poller.start();
  }

  private stopPolling(): Promise<void> | void {
    const poller = this.poller;
    this.poller = undefined;
    return poller?.dispose();
  }

  private clearSelection(): void {
    delete this.doc.selected;
    void this.stopPolling();
  }

  private dropService(accountId: string): void {
    this.services.get(accountId)?.service.dispose();
    this.services.delete(accountId);
  }

  private disposeServices(): void {
    for (const { service } of this.services.values()) service.dispose();
    this.services.clear();
  }
}

function requireLabel(label: string): string {
  const trimmed = label.trim();
  if (!trimmed) throw new StudioError('BAD_REQUEST', { message: 'Give the account a name.' });
  if (trimmed.length > 80) throw new StudioError('BAD_REQUEST', { message: 'The name is longer than 80 characters.' });
  return trimmed;
}

function requireRegion(region: string): void {
  if (!isIvsRegion(region)) {
    throw new StudioError('WRONG_REGION', { message: `IVS low-latency channels are not offered in "${region}".`, action: `Choose one of: ${describeIvsRegions()}.` });
  }
}
