/**
 * Accounts and channels: the built-in local channel, AWS accounts reached through @aws-sdk/client-ivs,
 * custom RTMP(S) targets; channel management, stream keys (kept in the OS keychain), preflight and
 * IVS's own view of the live stream.
 *
 * Nothing in this domain ever carries a secret except `channels:reveal-key`, which the user asks for
 * explicitly. Stream keys travel masked (`••••••••abcd`).
 */
import type { StudioErrorPayload } from '../errors';

export type AccountKind = 'local' | 'aws' | 'custom-rtmp';

/** How an AWS account authenticates. The secret half of an access key lives only in the keychain. */
export type AwsAuth =
  /** Environment variables, shared config/credentials files, SSO — optionally one named profile. */
  | { type: 'default-chain'; profile?: string }
  /** An access key entered in the studio; `accessKeyIdHint` is the last four characters only. */
  | { type: 'access-key'; accessKeyIdHint: string };

export interface Account {
  id: string;
  kind: AccountKind;
  label: string;
  /** IVS region (local and aws accounts). */
  region?: string;
  /** aws accounts only. */
  auth?: AwsAuth;
  /** custom-rtmp targets: the ingest URL without the key, e.g. `rtmps://live.example.com/app/`. */
  ingestUrl?: string;
  /** custom-rtmp targets: the masked stream key. */
  streamKeyMasked?: string;
  /** Outcome of the last connection test, if any. */
  lastTest?: ConnectionTest;
}

export type KeychainState =
  /** Not probed yet. */
  | 'unknown'
  /** The OS keychain works: secrets persist there. */
  | 'available'
  /** No keychain: the studio will not store secrets until the user agrees to a session-only fallback. */
  | 'unavailable'
  /** The user agreed: secrets stay in engine memory only, and are gone when the studio quits. */
  | 'session-only';

export interface KeychainStatus {
  state: KeychainState;
  /** Why it is unavailable, in plain words (the OS error included). */
  reason?: string;
}

export interface IvsRegionInfo {
  id: string;
  label: string;
}

export type ChannelType = 'STANDARD' | 'BASIC' | 'ADVANCED_SD' | 'ADVANCED_HD';
export type LatencyMode = 'LOW' | 'NORMAL';

export interface ChannelSummary {
  arn: string;
  name: string;
  type: ChannelType;
  latencyMode: LatencyMode;
  authorized: boolean;
  insecureIngest: boolean;
  recordingConfigurationArn: string;
  tags: Record<string, string>;
}

export interface ChannelDetails extends ChannelSummary {
  ingestEndpoint: string;
  playbackUrl: string;
}

export interface CreateChannelInput {
  name: string;
  type?: ChannelType;
  latencyMode?: LatencyMode;
  authorized?: boolean;
  insecureIngest?: boolean;
  tags?: Record<string, string>;
}

export interface RecordingConfigurationSummary {
  arn: string;
  name: string;
  bucketName: string;
  state: 'CREATING' | 'CREATE_FAILED' | 'ACTIVE' | string;
}

export interface CreateRecordingConfigurationInput {
  bucketName: string;
  name?: string;
}

/** What the studio will stream to. Holds no secret: the key is in the keychain. */
export interface SelectedTarget {
  accountId: string;
  accountKind: AccountKind;
  /** Set for IVS channels (local or AWS); absent for a custom RTMP(S) target. */
  channelArn?: string;
  channel?: ChannelDetails;
  /** Where the encoder publishes, without the key: `rtmps://<ingest>:443/app/`. */
  ingestUrl: string;
  streamKeyMasked?: string;
  streamKeyArn?: string;
  /** When the key was last fetched into the keychain. */
  keyFetchedAt?: string;
}

export type ConnectionStep = 'credentials' | 'region' | 'endpoint' | 'permissions';

export interface ConnectionTest {
  ok: boolean;
  testedAt: string;
  region?: string;
  /** Where the credentials came from, e.g. `profile streamer`, `access key …WXYZ`, `local channel`. */
  credentialSource?: string;
  steps: { step: ConnectionStep; ok: boolean; message: string }[];
  /** Channels visible with these credentials (permissions step). */
  channelCount?: number;
  error?: StudioErrorPayload;
}

export interface AccountsState {
  accounts: Account[];
  selected?: SelectedTarget;
  keychain: KeychainStatus;
  regions: IvsRegionInfo[];
}

export interface AddAwsAccountInput {
  label: string;
  region: string;
  auth:
    | { type: 'default-chain'; profile?: string }
    | { type: 'access-key'; accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

export interface AddCustomTargetInput {
  label: string;
  /** `rtmp://` or `rtmps://` URL of the ingest application, without the stream key. */
  ingestUrl: string;
  streamKey: string;
}

// ---- live status (IVS's own view of the stream) ----

export interface IngestVideoConfiguration {
  codec: string;
  profile?: string;
  level?: string;
  encoder?: string;
  videoWidth: number;
  videoHeight: number;
  targetFramerate: number;
  targetBitrate: number;
}

export interface IngestAudioConfiguration {
  codec: string;
  sampleRate: number;
  channels: number;
  targetBitrate: number;
}

export interface StreamSessionEvent {
  name: string;
  type: string;
  eventTime: string;
  code?: string;
}

/** IVS's 48 h stream limit, for long streams. */
export interface SessionLimitInfo {
  elapsedMs: number;
  remainingMs: number;
  /** 'ok' until the last hour, 'warning' in it, 'critical' in the last 10 minutes. */
  level: 'ok' | 'warning' | 'critical';
  message: string;
}

export interface ChannelLiveStatus {
  accountId: string;
  channelArn: string;
  /** UNKNOWN while the status cannot be read (error set). */
  state: 'LIVE' | 'OFFLINE' | 'UNKNOWN';
  health?: 'HEALTHY' | 'STARVING' | 'UNKNOWN';
  viewerCount?: number;
  startTime?: string;
  streamId?: string;
  video?: IngestVideoConfiguration;
  audio?: IngestAudioConfiguration;
  /** Most recent first, as IVS reports them. */
  events: StreamSessionEvent[];
  sessionLimit?: SessionLimitInfo;
  polledAt: string;
  /** When the next poll is due (ms from polledAt); grows on errors and throttling. */
  nextPollMs: number;
  error?: StudioErrorPayload;
}

// ---- preflight ----

export interface PreflightEncoderSettings {
  videoCodec: string;
  width: number;
  height: number;
  fps: number;
  videoBitrateKbps: number;
  keyframeIntervalSec: number;
  rateControl?: 'cbr' | 'vbr' | 'crf';
  audioCodec?: string;
  audioBitrateKbps?: number;
  audioSampleRate?: number;
  audioChannels?: number;
}

export type PreflightCheckId =
  | 'target'
  | 'video-codec'
  | 'resolution'
  | 'bitrate'
  | 'framerate'
  | 'keyframe-interval'
  | 'rate-control'
  | 'audio'
  | 'ingest'
  | 'stream-key';

export interface PreflightCheck {
  id: PreflightCheckId;
  ok: boolean;
  /** 'error' blocks going live; 'warning' is shown but does not. */
  severity: 'error' | 'warning';
  message: string;
  /** What to change, in the studio's words. */
  fix?: string;
}

export interface PreflightReport {
  ok: boolean;
  checks: PreflightCheck[];
}

export type AccountsRequests = {
  'accounts:get-state': () => AccountsState;
  'accounts:add-aws': (input: AddAwsAccountInput) => Account;
  'accounts:add-custom-target': (input: AddCustomTargetInput) => Account;
  'accounts:remove': (accountId: string) => void;
  'accounts:set-region': (accountId: string, region: string) => Account;
  'accounts:test-connection': (accountId: string) => ConnectionTest;
  'accounts:list-aws-profiles': () => string[];
  /** The user's consent to keep secrets in memory only when no keychain exists. */
  'accounts:allow-session-secrets': () => KeychainStatus;
  'channels:list': (accountId: string) => ChannelSummary[];
  'channels:create': (accountId: string, input: CreateChannelInput) => ChannelDetails;
  'channels:delete': (accountId: string, channelArn: string) => void;
  /** Selects the target; for an IVS channel fetches its ingest endpoint and stream key into the keychain. */
  'channels:select': (accountId: string, channelArn?: string) => SelectedTarget;
  /** DeleteStreamKey + CreateStreamKey + keychain update, in one step. */
  'channels:rotate-key': (accountId: string, channelArn: string) => SelectedTarget;
  /** The full stream key, only on the user's explicit request. */
  'channels:reveal-key': (accountId: string, channelArn?: string) => string;
  'channels:stop-stream': (accountId: string, channelArn: string) => void;
  'channels:get-status': () => ChannelLiveStatus | null;
  'channels:preflight': (encoder: PreflightEncoderSettings) => PreflightReport;
  'channels:list-recording-configurations': (accountId: string) => RecordingConfigurationSummary[];
  'channels:create-recording-configuration': (accountId: string, input: CreateRecordingConfigurationInput) => RecordingConfigurationSummary;
  /** Attaches a recording configuration to a channel; '' detaches. */
  'channels:set-recording': (accountId: string, channelArn: string, recordingConfigurationArn: string) => ChannelDetails;
};

export type AccountsEvents = {
  'accounts:state-changed': AccountsState;
  'channels:status-changed': ChannelLiveStatus;
};

export const accountsRequestChannels = {
  'accounts:get-state': true,
  'accounts:add-aws': true,
  'accounts:add-custom-target': true,
  'accounts:remove': true,
  'accounts:set-region': true,
  'accounts:test-connection': true,
  'accounts:list-aws-profiles': true,
  'accounts:allow-session-secrets': true,
  'channels:list': true,
  'channels:create': true,
  'channels:delete': true,
  'channels:select': true,
  'channels:rotate-key': true,
  'channels:reveal-key': true,
  'channels:stop-stream': true,
  'channels:get-status': true,
  'channels:preflight': true,
  'channels:list-recording-configurations': true,
  'channels:create-recording-configuration': true,
  'channels:set-recording': true,
} as const satisfies Record<keyof AccountsRequests, true>;

export const accountsEventChannels = {
  'accounts:state-changed': true,
  'channels:status-changed': true,
} as const satisfies Record<keyof AccountsEvents, true>;
