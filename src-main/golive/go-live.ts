/**
 * Go live, as one operation the UI button and `ivs-studio live` share:
 *
 *   resolve the target (local channel · IVS channel by ARN · the selected target · custom ingest)
 *     → make sure the program is running (start it if nobody has)
 *     → optional recording of the same program
 *     → attach a StreamOutput and wait until the ingest accepted the publish
 *
 * and the reverse on stop, undoing only what this operation started. The stream key is held in memory
 * only (registered for redaction the moment it is read) and never leaves this module except into the
 * publisher connection.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tlsFolder } from '../channel/ingest/tls-material';
import type { Account, ChannelLiveStatus, ChannelSummary, PreflightEncoderSettings, PreflightReport } from '../contract/domains/accounts';
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import type { OutputStats, StreamSnapshot, StreamStartRequest, StreamTargetInfo, StreamTargetRequest } from '../contract/domains/stream';
import { DisposableBase, type Disposable } from '../core/disposable';
import { Emitter, type Event } from '../core/emitter';
import { createLogger } from '../core/logger';
import { maskSecret, registerSecret } from '../core/redact';
import { StudioError } from '../core/studio-error';
import { IvsService } from '../ivs/ivs-service';
import { parseIngestUrl } from '../ivs/ingest';
import type { SecretStore } from '../keychain/secret-store';
import type { RtmpPublishTarget } from '../rtmp/types';
import { preflightEncoderFrom } from './preflight';
import { StreamOutput, type ConnectionFactory, type ProgramTagSource, type StreamOutputOptions, type StreamOutputSnapshot } from '../output/stream-output';

const log = createLogger('go-live');

/** The account id in every local-channel ARN (see channel/local-channel.ts). */
const LOCAL_CHANNEL_ACCOUNT = '000000000000';
const LOCAL_DEFAULT_CHANNEL = 'default';

/* ------------------------------------------------------------------ ports */

/** The running program, as go-live needs it. */
export interface ProgramHandle {
  readonly source: ProgramTagSource;
  /** Records the program to a crash-safe file; disposing stops the recording. */
  record?(file: string): Promise<Disposable>;
  /** Encoder figures to print beside the output's (CLI). */
  stats?(): unknown;
}

export interface ProgramLease {
  readonly program: ProgramHandle;
  /** Stops the program if this lease started it. */
  release(): Promise<void>;
}

/** Gives go-live the program, starting it when nothing runs yet. */
export interface ProgramPort {
  acquire(): Promise<ProgramLease>;
}

/** What the embedded local channel offers a publisher (same shape as accounts' LocalChannelConnection, plus the CA). */
export interface LocalChannelAccess {
  apiEndpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Broadcaster URLs of the running ingest, e.g. `rtmps://127.0.0.1:PORT/app/`. */
  ingest?: { rtmp?: string; rtmps?: string };
  /** The CA that signed the local RTMPS certificate. */
  caPem?: string;
}

/** Until the program pipeline is wired into the engine, going live says so plainly. */
export const programNotAvailable: ProgramPort = {
  acquire: () => Promise.reject(new StudioError('NOT_IMPLEMENTED', { message: 'The program (scenes and encoder) is not available in this build yet.' })),
};

/** The local channel as the engine knows it, with the CA of its RTMPS ingest read from its data folder. */
export function localChannelAccess(connection: Omit<LocalChannelAccess, 'caPem'> | undefined, dataDir: string): LocalChannelAccess | undefined {
  if (!connection) return undefined;
  try {
    return { ...connection, caPem: fs.readFileSync(path.join(tlsFolder(dataDir), 'ca.pem'), 'utf8') };
  } catch {
    return { ...connection };
  }
}

/** The accounts service, as far as resolving an IVS channel needs it. */
export interface AccountsLookup {
  getState(): { accounts: Account[]; selected?: { accountId: string; channelArn?: string } };
  listChannels(accountId: string): Promise<ChannelSummary[]>;
  select(accountId: string, channelArn?: string): Promise<unknown>;
  resolveStreamTarget(): Promise<{ channelArn?: string; channel?: { name: string }; ingestUrl: string; streamKey: string; accountKind: string; ca?: string }>;
  /** Checks the encoder settings, the ingest and the key against the selected target. */
  preflight?(encoder: PreflightEncoderSettings): Promise<PreflightReport>;
  /** Polls the selected channel's IVS status now (after going live or stopping). */
  refreshStatus?(): Promise<ChannelLiveStatus | null>;
}

/** The program's encoder settings and canvas, as preflight reads them. */
export interface EncoderPort {
  current(): { settings: EncoderSettings; canvas: Canvas };
}

export interface GoLiveDeps {
  createConnection: ConnectionFactory;
  program: ProgramPort;
  localChannel?: () => LocalChannelAccess | undefined;
  accounts?: AccountsLookup;
  secrets?: SecretStore;
  /** The program's encoder settings: with `accounts`, preflight checks them before going live to the selected target. */
  encoder?: EncoderPort;
  /** Schedule, buffer and stamp settings passed to every StreamOutput (tests shorten them). */
  output?: Partial<Omit<StreamOutputOptions, 'source' | 'target' | 'createConnection'>>;
}

/* ------------------------------------------------------------------ targets */

export interface ResolvedTarget {
  publish: RtmpPublishTarget;
  info: StreamTargetInfo;
  /** Resolved through the accounts' selection (the selected target, or an IVS channel selected for it). */
  viaSelection?: true;
}

/** `rtmps://host:port/app/` → `rtmps://host:port/app`, after checking it is an RTMP(S) URL without a key. */
export function normalizeIngestUrl(url: string): string {
  const parsed = parseIngestUrl(url.trim());
  if ('error' in parsed) throw new StudioError('BAD_REQUEST', { message: parsed.error });
  const segments = parsed.path.split('/').filter(Boolean);
  if (segments.length !== 1) {
    // Never echo the extra path: it is usually the stream key pasted into the URL.
    throw new StudioError('BAD_REQUEST', {
      message: `The ingest URL should end at the application (rtmp(s)://host[:port]/app), without the stream key; it has ${segments.length === 0 ? 'no application' : `${segments.length} path segments (is the stream key in it?)`}.`,
    });
  }
  return url.trim().replace(/\/+$/, '');
}

function hostLabel(url: string): string {
  const parsed = parseIngestUrl(url);
  return 'error' in parsed ? url : `${parsed.host}:${parsed.port}`;
}

/** ARN → its account id and region: arn:aws:ivs:REGION:ACCOUNT:channel/ID. */
function arnParts(arn: string): { region: string; account: string; channelId: string } | undefined {
  const match = /^arn:aws[a-z-]*:ivs:([a-z0-9-]+):(\d{12}):channel\/([A-Za-z0-9]+)$/.exec(arn);
  return match ? { region: match[1]!, account: match[2]!, channelId: match[3]! } : undefined;
}

export async function resolveTarget(request: StreamTargetRequest, deps: Pick<GoLiveDeps, 'localChannel' | 'accounts' | 'secrets'>): Promise<ResolvedTarget> {
  switch (request.kind) {
    case 'custom': {
      registerSecret(request.streamKey);
      const streamKey = request.streamKey.trim();
      if (!streamKey || /\s/.test(streamKey)) throw new StudioError('BAD_REQUEST', { message: 'The stream key is empty or contains spaces.' });
      const ingestUrl = normalizeIngestUrl(request.ingestUrl);
      const publish: RtmpPublishTarget = { ingestUrl, streamKey };
      if (request.caPem) publish.ca = request.caPem;
      return {
        publish,
        info: { kind: 'custom', label: hostLabel(ingestUrl), ingestUrl, streamKeyMasked: maskSecret(streamKey) },
      };
    }
    case 'local-channel':
      return resolveLocal(undefined, deps);
    case 'ivs-channel': {
      const parts = arnParts(request.channelArn);
      if (!parts) throw new StudioError('BAD_REQUEST', { message: `"${request.channelArn}" is not an IVS channel ARN (arn:aws:ivs:REGION:ACCOUNT:channel/ID).` });
      if (parts.account === LOCAL_CHANNEL_ACCOUNT && deps.localChannel?.()) return resolveLocal(request.channelArn, deps);
      return resolveIvsChannel(request.channelArn, parts.region, deps);
    }
    case 'selected':
      return resolveSelected(deps);
  }
}

async function resolveLocal(channelArn: string | undefined, deps: Pick<GoLiveDeps, 'localChannel'>): Promise<ResolvedTarget> {
  const local = deps.localChannel?.();
  if (!local) {
    throw new StudioError('INGEST_UNREACHABLE', { message: 'The local channel is not running.', action: 'Start it (ivs-studio local-channel, or the studio starts it with the engine) and try again.' });
  }
  // Through the local channel's own IVS API, with its own credentials — the same path as a real channel.
  const ivs = new IvsService({
    region: local.region,
    endpoint: local.apiEndpoint,
    credentials: { type: 'static', credentials: local.credentials, label: 'the local channel' },
    maxAttempts: 1,
  });
  try {
    let arn = channelArn;
    let name: string;
    if (!arn) {
      const channels = await ivs.listChannels();
      const chosen = channels.find((c) => c.name === LOCAL_DEFAULT_CHANNEL) ?? channels[0];
      if (!chosen) throw new StudioError('NOT_FOUND', { message: 'The local channel has no channels.', action: 'Create one in Channel.' });
      arn = chosen.arn;
      name = chosen.name;
    } else {
      name = (await ivs.getChannel(arn)).name;
    }
    const key = await ivs.fetchStreamKey(arn);
    registerSecret(key.value);
    // RTMPS whenever the ingest offers it: like IVS, the local channel refuses plain RTMP unless the
    // channel allows insecure ingest. Without its CA the TLS check fails, and says so.
    const url = local.ingest?.rtmps ?? local.ingest?.rtmp;
    if (!url) throw new StudioError('INGEST_UNREACHABLE', { message: "The local channel's ingest is not running." });
    const ingestUrl = normalizeIngestUrl(url);
    const publish: RtmpPublishTarget = { ingestUrl, streamKey: key.value };
    if (ingestUrl.startsWith('rtmps:') && local.caPem) publish.ca = local.caPem;
    return {
      publish,
      info: { kind: 'local-channel', label: `Local channel · ${name || arn}`, ingestUrl, channelArn: arn, streamKeyMasked: maskSecret(key.value) },
    };
  } finally {
    ivs.dispose();
  }
}

async function resolveIvsChannel(channelArn: string, region: string, deps: Pick<GoLiveDeps, 'accounts' | 'secrets'>): Promise<ResolvedTarget> {
  const accounts = deps.accounts;
  if (!accounts) throw new StudioError('NOT_FOUND', { message: `No AWS account is set up to reach ${channelArn}.`, action: 'Add the AWS account in Channel.' });
  const state = accounts.getState();
  if (state.selected?.channelArn !== channelArn) {
    // Find the account that owns the channel (same region, lists it), and select it: that fetches the
    // ingest endpoint and puts the current key into the keychain.
    let owner: string | undefined;
    for (const account of state.accounts.filter((a) => a.kind === 'aws' && (!a.region || a.region === region))) {
      try {
        if ((await accounts.listChannels(account.id)).some((c) => c.arn === channelArn)) {
          owner = account.id;
          break;
        }
      } catch (error) {
        log.info(`account ${account.id} cannot list channels`, error);
      }
    }
    if (!owner) {
      throw new StudioError('IVS_NOT_FOUND', { message: `None of the studio's AWS accounts in ${region} has the channel ${channelArn}.`, action: 'Add the AWS account that owns it in Channel.' });
    }
    await accounts.select(owner, channelArn);
  }
  return resolveSelected(deps);
}

async function resolveSelected(deps: Pick<GoLiveDeps, 'accounts'>): Promise<ResolvedTarget> {
  if (!deps.accounts) throw new StudioError('BAD_REQUEST', { message: 'No channel is selected.', action: 'Pick a channel in Channel.' });
  const target = await deps.accounts.resolveStreamTarget();
  registerSecret(target.streamKey);
  const ingestUrl = normalizeIngestUrl(target.ingestUrl);
  const kind = target.accountKind === 'local' ? 'local-channel' : target.channelArn ? 'ivs-channel' : 'custom';
  const info: StreamTargetInfo = { kind, label: target.channel?.name || hostLabel(ingestUrl), ingestUrl, streamKeyMasked: maskSecret(target.streamKey) };
  if (target.channelArn) info.channelArn = target.channelArn;
  const publish: RtmpPublishTarget = { ingestUrl, streamKey: target.streamKey };
  // The local channel's RTMPS certificate is signed by its own CA: without it the TLS check fails
  // (SELF_SIGNED_CERT_IN_CHAIN). AWS ingests use the system roots (no `ca`).
  if (target.ca) publish.ca = target.ca;
  return { publish, info, viaSelection: true };
}

/* ------------------------------------------------------------------ the service */

interface Session {
  output: StreamOutput;
  target: ResolvedTarget;
  lease: ProgramLease;
  recording?: Disposable;
  recordPath?: string;
  subscriptions: Disposable[];
}

/**
 * One stream at a time. `start` resolves when the ingest has accepted the publish (or rejects with the
 * reason and leaves nothing running); `stop` undoes only what `start` did.
 */
export class GoLiveService extends DisposableBase {
  private session: Session | undefined;
  private starting = false;
  private last: StreamSnapshot = { state: 'offline', stateSince: new Date().toISOString() };
  private readonly stateEmitter = this.register(new Emitter<StreamSnapshot>());
  private readonly statsEmitter = this.register(new Emitter<OutputStats>());
  readonly onStateChange: Event<StreamSnapshot> = this.stateEmitter.event;
  readonly onStats: Event<OutputStats> = this.statsEmitter.event;

  constructor(private readonly deps: GoLiveDeps) {
    super();
    this.register({ dispose: () => this.stop().then(() => this.settled()) });
  }

  snapshot(): StreamSnapshot {
    return structuredClone(this.last);
  }

  /** The program's own figures (encoder), when the program offers them. */
  programStats(): unknown {
    return this.session?.lease.program.stats?.();
  }

  async start(request: StreamStartRequest): Promise<StreamSnapshot> {
    if (this.session || this.starting) throw new StudioError('ALREADY_LIVE', { message: `The studio is already ${this.last.state}.` });
    this.starting = true;
    this.publish({ state: 'starting', stateSince: new Date().toISOString() });
    let lease: ProgramLease | undefined;
    let recording: Disposable | undefined;
    try {
      const target = await resolveTarget(request.target, this.deps);
      this.publish({ ...this.last, target: target.info });
      await this.preflight(target);
      lease = await this.deps.program.acquire();
      if (request.recordPath) {
        if (!lease.program.record) throw new StudioError('NOT_IMPLEMENTED', { message: 'This program cannot record.' });
        recording = await lease.program.record(request.recordPath);
      }
      const output = new StreamOutput({ ...this.deps.output, source: lease.program.source, target: target.publish, createConnection: this.deps.createConnection });
      const session: Session = { output, target, lease, subscriptions: [] };
      if (recording) session.recording = recording;
      if (request.recordPath) session.recordPath = request.recordPath;
      session.subscriptions.push(
        output.onStateChange((snap) => this.onOutputState(session, snap)),
        output.onStats((stats) => this.statsEmitter.fire(stats)),
      );
      this.session = session;
      await output.start();
      log.info(`live on ${target.info.label} (${target.info.ingestUrl})`);
      this.refreshStatus();
      return this.snapshot();
    } catch (error) {
      const session = this.session;
      this.session = undefined;
      if (session) await this.teardown(session);
      else {
        await recording?.dispose();
        await lease?.release();
      }
      const payload = error instanceof StudioError ? error.toPayload() : new StudioError('INTERNAL', { details: String(error) }).toPayload();
      this.publish({ state: 'offline', stateSince: new Date().toISOString(), lastError: payload });
      throw error;
    } finally {
      this.starting = false;
    }
  }

  async stop(): Promise<StreamSnapshot> {
    const session = this.session;
    if (!session) return this.snapshot();
    await session.output.stop();
    // onOutputState tears down when the output reaches offline.
    await this.teardownOnce(session);
    this.refreshStatus();
    return this.snapshot();
  }

  /**
   * Refuses to go live when the selected target's preflight has a failing error check (over the
   * channel type's limits, no key, ingest unreachable), with every failing check's explanation.
   * Targets not reached through the selection (the local channel, an explicit custom ingest) have no
   * selected channel to check against.
   */
  private async preflight(target: ResolvedTarget): Promise<void> {
    const accounts = this.deps.accounts;
    if (!target.viaSelection || !accounts?.preflight || !this.deps.encoder) return;
    const { settings, canvas } = this.deps.encoder.current();
    const report = await accounts.preflight(preflightEncoderFrom(settings, canvas));
    if (report.ok) return;
    const failed = report.checks.filter((c) => !c.ok && c.severity === 'error');
    if (failed.every((c) => c.id === 'ingest')) {
      // Only the ingest is out of reach: that is not about the settings, and it has its own code.
      const [ingest] = failed;
      throw new StudioError('INGEST_UNREACHABLE', { message: ingest!.message, ...(ingest!.fix ? { action: ingest!.fix } : {}) });
    }
    const fixes = failed.map((c) => c.fix).filter(Boolean).join(' ');
    throw new StudioError('PREFLIGHT_FAILED', {
      message: `Going live to ${target.info.label} was refused: ${failed.map((c) => c.message).join(' ')}`,
      details: JSON.stringify(failed),
      ...(fixes ? { action: fixes } : {}),
    });
  }

  /** IVS status follows at once (the poller would otherwise catch up on its own schedule). */
  private refreshStatus(): void {
    const refresh = this.deps.accounts?.refreshStatus;
    if (!refresh) return;
    const pending: Promise<void> = refresh
      .call(this.deps.accounts)
      .then(() => undefined, (error: unknown) => log.info('the IVS status did not refresh', error))
      .finally(() => this.refreshing.delete(pending));
    this.refreshing.add(pending);
  }

  /** Status refreshes still in flight (awaited on dispose: nothing is left running). */
  private readonly refreshing = new Set<Promise<void>>();

  /** Resolves when every status refresh started so far has finished (tests, dispose). */
  async settled(): Promise<void> {
    await Promise.all([...this.refreshing]);
  }

  reconnectNow(): StreamSnapshot {
    if (!this.session?.output.reconnectNow()) {
      throw new StudioError('NOT_LIVE', { message: `Nothing to reconnect: the stream is ${this.last.state}.` });
    }
    return this.snapshot();
  }

  private onOutputState(session: Session, snap: StreamOutputSnapshot): void {
    if (this.session !== session) return;
    this.publish(this.toSnapshot(session, snap));
    if (snap.state === 'offline' && !this.starting) void this.teardownOnce(session);
  }

  private teardowns = new WeakMap<Session, Promise<void>>();

  private teardownOnce(session: Session): Promise<void> {
    let done = this.teardowns.get(session);
    if (!done) {
      done = this.teardown(session);
      this.teardowns.set(session, done);
    }
    return done;
  }

  private async teardown(session: Session): Promise<void> {
    if (this.session === session) this.session = undefined;
    await session.output.stop();
    for (const s of session.subscriptions) s.dispose();
    await session.output.dispose();
    try {
      await session.recording?.dispose();
    } catch (error) {
      log.error('the recording did not stop cleanly', error);
    }
    await session.lease.release();
  }

  private toSnapshot(session: Session, snap: StreamOutputSnapshot): StreamSnapshot {
    const iso = (ms: number) => new Date(ms).toISOString();
    const out: StreamSnapshot = { state: snap.state, stateSince: iso(snap.stateSince), target: session.target.info };
    if (snap.liveSince !== undefined) out.liveSince = iso(snap.liveSince);
    if (snap.lastError) out.lastError = snap.lastError;
    if (session.recordPath) out.recordPath = session.recordPath;
    if (snap.reconnect) {
      out.reconnect = { attempt: snap.reconnect.attempt, droppedAt: iso(snap.reconnect.droppedAt) };
      if (snap.reconnect.nextAttemptAt !== undefined) out.reconnect.nextAttemptAt = iso(snap.reconnect.nextAttemptAt);
      if (snap.reconnect.lastError) out.reconnect.lastError = snap.reconnect.lastError;
    }
    return out;
  }

  private publish(snapshot: StreamSnapshot): void {
    this.last = snapshot;
    this.stateEmitter.fire(this.snapshot());
  }
}
