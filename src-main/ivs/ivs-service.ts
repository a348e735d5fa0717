import {
  CreateChannelCommand,
  CreateRecordingConfigurationCommand,
  CreateStreamKeyCommand,
  DeleteChannelCommand,
  DeleteStreamKeyCommand,
  GetChannelCommand,
  GetStreamCommand,
  GetStreamKeyCommand,
  GetStreamSessionCommand,
  IvsClient,
  PutMetadataCommand,
  StopStreamCommand,
  UpdateChannelCommand,
  paginateListChannels,
  paginateListRecordingConfigurations,
  paginateListStreamKeys,
  type Channel,
  type IvsClientConfig,
  type _Stream as IvsStream,
  type StreamKey,
  type StreamSession,
} from '@aws-sdk/client-ivs';
import type {
  ChannelDetails,
  ChannelSummary,
  ConnectionStep,
  ConnectionTest,
  CreateChannelInput,
  CreateRecordingConfigurationInput,
  RecordingConfigurationSummary,
} from '../contract/domains/accounts';
import type { Disposable } from '../core/disposable';
import { registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import { mapIvsError, type IvsCallContext } from './error-map';
import { describeIvsRegions, isIvsRegion } from './regions';
import { toChannelDetails, toChannelSummary, toRecordingConfiguration } from './ivs-shapes';

/** Static credentials: an access key from the keychain, or the local channel's own. */
export interface StaticCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export type IvsCredentials =
  /** The SDK's standard Node chain: env, shared config/credentials (optionally one profile), SSO, … */
  | { type: 'default-chain'; profile?: string }
  | { type: 'static'; credentials: StaticCredentials; label: string };

export interface IvsServiceOptions {
  region: string;
  credentials: IvsCredentials;
  /** A custom control-plane endpoint (the local channel); AWS's own when absent. */
  endpoint?: string;
  /** SDK attempts per call (default 3, the SDK's standard retry). */
  maxAttempts?: number;
  /** Socket timeouts, ms. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/** A stream key with its value: handle with care, it is registered for redaction already. */
export interface StreamKeyWithValue {
  arn: string;
  value: string;
  channelArn: string;
}

/**
 * One IVS account in one region, through @aws-sdk/client-ivs. Every call goes through `call()`, which
 * maps SDK failures to catalog errors (error-map.ts) and registers secrets the moment they arrive.
 */
export class IvsService implements Disposable {
  private readonly client: IvsClient;
  readonly credentialSource: string;

  constructor(readonly options: IvsServiceOptions) {
    const config: IvsClientConfig = {
      region: options.region,
      maxAttempts: options.maxAttempts ?? 3,
      requestHandler: {
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        requestTimeout: options.requestTimeoutMs ?? 20_000,
      },
    };
    if (options.endpoint) config.endpoint = options.endpoint;
    if (options.credentials.type === 'static') {
      const { accessKeyId, secretAccessKey, sessionToken } = options.credentials.credentials;
      registerSecret(secretAccessKey);
      registerSecret(sessionToken);
      config.credentials = { accessKeyId, secretAccessKey, sessionToken };
      this.credentialSource = options.credentials.label;
    } else {
      if (options.credentials.profile) config.profile = options.credentials.profile;
      this.credentialSource = options.credentials.profile ? `profile ${options.credentials.profile}` : 'the default AWS credential chain';
    }
    this.client = new IvsClient(config);
  }

  get region(): string {
    return this.options.region;
  }

  /**
   * Checks, in order, what a user would have to fix: the region, the credentials, the endpoint, and
   * the ivs:ListChannels permission. Stops at the first failure and says precisely what it was.
   */
  async testConnection(): Promise<ConnectionTest> {
    const steps: ConnectionTest['steps'] = [];
    const result = (error?: StudioError, channelCount?: number): ConnectionTest => ({
      ok: !error,
      testedAt: new Date().toISOString(),
      region: this.region,
      credentialSource: this.credentialSource,
      steps,
      ...(channelCount !== undefined ? { channelCount } : {}),
      ...(error ? { error: error.toPayload() } : {}),
    });
    const fail = (step: ConnectionStep, error: StudioError) => {
      steps.push({ step, ok: false, message: error.message });
      return result(error);
    };

    if (!this.options.endpoint && !isIvsRegion(this.region)) {
      return fail('region', new StudioError('WRONG_REGION', {
        message: `IVS low-latency channels are not offered in region "${this.region}".`,
        action: `Choose one of: ${describeIvsRegions()}.`,
      }));
    }
    steps.push({ step: 'region', ok: true, message: `${this.region} serves IVS.` });

    try {
      const identity = await this.client.config.credentials();
      registerSecret(identity.secretAccessKey);
      registerSecret(identity.sessionToken);
      const expiry = identity.expiration ? `, valid until ${identity.expiration.toISOString()}` : '';
      steps.push({ step: 'credentials', ok: true, message: `Credentials from ${this.credentialSource} (key …${identity.accessKeyId.slice(-4)}${expiry}).` });
    } catch (error) {
      return fail('credentials', mapIvsError(error, this.context('ListChannels')));
    }

    try {
      const channels = await this.listChannels();
      steps.push({ step: 'endpoint', ok: true, message: `Reached ${this.options.endpoint ?? `IVS in ${this.region}`}.` });
      steps.push({ step: 'permissions', ok: true, message: `ivs:ListChannels allowed; ${channels.length} channel(s) visible.` });
      return result(undefined, channels.length);
    } catch (error) {
      const mapped = error instanceof StudioError ? error : mapIvsError(error, this.context('ListChannels'));
      if (mapped.code === 'ENDPOINT_UNREACHABLE' || mapped.code === 'IVS_UNAVAILABLE') return fail('endpoint', mapped);
      if (mapped.code === 'WRONG_REGION') return fail('region', mapped);
      if (mapped.code === 'NO_CREDENTIALS' || mapped.code === 'CREDENTIALS_EXPIRED') return fail('credentials', mapped);
      steps.push({ step: 'endpoint', ok: true, message: `Reached ${this.options.endpoint ?? `IVS in ${this.region}`}.` });
      if (mapped.code === 'ACCESS_DENIED' && /signature|access key ID/i.test(mapped.message)) return fail('credentials', mapped);
      return fail('permissions', mapped);
    }
  }

  /** Every channel, all pages. */
  async listChannels(): Promise<ChannelSummary[]> {
    return this.call('ListChannels', undefined, async () => {
      const out: ChannelSummary[] = [];
      for await (const page of paginateListChannels({ client: this.client, pageSize: 100 }, {})) {
        for (const c of page.channels ?? []) out.push(toChannelSummary(c));
      }
      return out;
    });
  }

  async getChannel(channelArn: string): Promise<ChannelDetails> {
    const { channel } = await this.call('GetChannel', channelArn, () => this.client.send(new GetChannelCommand({ arn: channelArn })));
    return toChannelDetails(requireField(channel, 'GetChannel', 'channel'));
  }

  /** CreateChannel returns the channel and its first stream key. */
  async createChannel(input: CreateChannelInput): Promise<{ channel: ChannelDetails; streamKey?: StreamKeyWithValue }> {
    const response = await this.call('CreateChannel', input.name, () =>
      this.client.send(
        new CreateChannelCommand({
          name: input.name,
          type: input.type ?? 'STANDARD',
          latencyMode: input.latencyMode ?? 'LOW',
          authorized: input.authorized ?? false,
          insecureIngest: input.insecureIngest ?? false,
          ...(input.tags && Object.keys(input.tags).length > 0 ? { tags: input.tags } : {}),
        }),
      ),
    );
    const channel = toChannelDetails(requireField(response.channel, 'CreateChannel', 'channel'));
    return { channel, streamKey: response.streamKey ? withValue(response.streamKey, channel.arn) : undefined };
  }

  async deleteChannel(channelArn: string): Promise<void> {
    await this.call('DeleteChannel', channelArn, () => this.client.send(new DeleteChannelCommand({ arn: channelArn })));
  }

  /** The channel's stream key with its value; creates one if the channel has none. */
  async fetchStreamKey(channelArn: string): Promise<StreamKeyWithValue> {
    const arns = await this.listStreamKeyArns(channelArn);
    if (arns.length === 0) return this.createStreamKey(channelArn);
    const first = arns[0] as string;
    const { streamKey } = await this.call('GetStreamKey', channelArn, () => this.client.send(new GetStreamKeyCommand({ arn: first })));
    return withValue(requireField(streamKey, 'GetStreamKey', 'streamKey'), channelArn);
  }

  /** Rotation as IVS defines it: delete the key(s), then create a new one (one key per channel). */
  async rotateStreamKey(channelArn: string): Promise<StreamKeyWithValue> {
    for (const arn of await this.listStreamKeyArns(channelArn)) {
      await this.call('DeleteStreamKey', channelArn, () => this.client.send(new DeleteStreamKeyCommand({ arn })));
    }
    return this.createStreamKey(channelArn);
  }

  private async createStreamKey(channelArn: string): Promise<StreamKeyWithValue> {
    const { streamKey } = await this.call('CreateStreamKey', channelArn, () => this.client.send(new CreateStreamKeyCommand({ channelArn })));
    return withValue(requireField(streamKey, 'CreateStreamKey', 'streamKey'), channelArn);
  }

  private async listStreamKeyArns(channelArn: string): Promise<string[]> {
    return this.call('ListStreamKeys', channelArn, async () => {
      const arns: string[] = [];
      for await (const page of paginateListStreamKeys({ client: this.client, pageSize: 50 }, { channelArn })) {
        for (const key of page.streamKeys ?? []) if (key.arn) arns.push(key.arn);
      }
      return arns;
    });
  }

  /** The live stream, or undefined when IVS says the channel is not broadcasting. */
  async getStream(channelArn: string): Promise<IvsStream | undefined> {
    try {
      const { stream } = await this.call('GetStream', channelArn, () => this.client.send(new GetStreamCommand({ channelArn })));
      return stream;
    } catch (error) {
      if (error instanceof StudioError && error.code === 'NOT_LIVE') return undefined;
      throw error;
    }
  }

  /** A stream session (the most recent when streamId is omitted). */
  async getStreamSession(channelArn: string, streamId?: string): Promise<StreamSession | undefined> {
    const { streamSession } = await this.call('GetStreamSession', channelArn, () =>
      this.client.send(new GetStreamSessionCommand({ channelArn, ...(streamId ? { streamId } : {}) })),
    );
    return streamSession;
  }

  async stopStream(channelArn: string): Promise<void> {
    await this.call('StopStream', channelArn, () => this.client.send(new StopStreamCommand({ channelArn })));
  }

  async putMetadata(channelArn: string, metadata: string): Promise<void> {
    await this.call('PutMetadata', channelArn, () => this.client.send(new PutMetadataCommand({ channelArn, metadata })));
  }

  async listRecordingConfigurations(): Promise<RecordingConfigurationSummary[]> {
    return this.call('ListRecordingConfigurations', undefined, async () => {
      const out: RecordingConfigurationSummary[] = [];
      for await (const page of paginateListRecordingConfigurations({ client: this.client, pageSize: 100 }, {})) {
        for (const rc of page.recordingConfigurations ?? []) out.push(toRecordingConfiguration(rc));
      }
      return out;
    });
  }

  async createRecordingConfiguration(input: CreateRecordingConfigurationInput): Promise<RecordingConfigurationSummary> {
    const { recordingConfiguration } = await this.call('CreateRecordingConfiguration', input.bucketName, () =>
      this.client.send(
        new CreateRecordingConfigurationCommand({
          destinationConfiguration: { s3: { bucketName: input.bucketName } },
          ...(input.name ? { name: input.name } : {}),
        }),
      ),
    );
    return toRecordingConfiguration(requireField(recordingConfiguration, 'CreateRecordingConfiguration', 'recordingConfiguration'));
  }

  /** Attaches a recording configuration ('' detaches). IVS refuses while the channel is live. */
  async setChannelRecording(channelArn: string, recordingConfigurationArn: string): Promise<ChannelDetails> {
    const { channel } = await this.call('UpdateChannel', channelArn, () =>
      this.client.send(new UpdateChannelCommand({ arn: channelArn, recordingConfigurationArn })),
    );
    return toChannelDetails(requireField(channel, 'UpdateChannel', 'channel'));
  }

  private context(operation: string, resource?: string): IvsCallContext {
    return { operation, region: this.region, endpoint: this.options.endpoint, resource, credentialSource: this.credentialSource };
  }

  private async call<T>(operation: string, resource: string | undefined, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw mapIvsError(error, this.context(operation, resource));
    }
  }

  dispose(): void {
    // Closes the keep-alive sockets of the SDK's HTTP agent.
    this.client.destroy();
  }
}

function withValue(key: StreamKey, channelArn: string): StreamKeyWithValue {
  const value = requireField(key.value, 'stream key', 'value');
  registerSecret(value);
  return { arn: requireField(key.arn, 'stream key', 'arn'), value, channelArn: key.channelArn ?? channelArn };
}

function requireField<T>(value: T | undefined | null, operation: string, field: string): T {
  if (value === undefined || value === null) {
    throw new StudioError('IVS_UNAVAILABLE', { message: `IVS answered ${operation} without "${field}".` });
  }
  return value;
}

export type { Channel };
