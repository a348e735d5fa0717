/**
 * Which channel a cue goes to, and whether it is live. In order: the channel the studio is live on;
 * the channel selected in Channel; the local channel's default channel (rehearsals, tests). Calls go
 * through the IvsService of the owning account (accounts/), so the SDK wiring and the error mapping
 * are the studio's one implementation.
 *
 * Liveness comes from the go-live state when the studio itself streams there, otherwise from IVS
 * (GetStream), cached briefly so a producer hammering a button offline costs one call a second.
 */
import type { ChannelSummary } from '../contract/domains/accounts';
import type { CueTargetInfo } from '../contract/domains/cues';
import type { StreamSnapshot } from '../contract/domains/stream';
import { StudioError } from '../core/studio-error';

/** The IVS calls the cue board makes (IvsService has them). */
export interface CueIvs {
  putMetadata(channelArn: string, metadata: string): Promise<void>;
  /** undefined when the channel is not broadcasting. */
  getStream(channelArn: string): Promise<unknown>;
  getChannel(channelArn: string): Promise<{ name: string; playbackUrl?: string }>;
  listChannels(): Promise<ChannelSummary[]>;
}

/** What the cue board needs to know from the rest of the engine. */
export interface CueChannelPort {
  /** The go-live state (the studio's own stream). */
  stream(): StreamSnapshot | undefined;
  /** What Channel has selected. */
  selected(): { accountId: string; channelArn?: string; channelName?: string } | undefined;
  /** The IvsService of an account ('local' for the local channel). */
  ivsFor(accountId: string): Promise<CueIvs>;
}

export const LOCAL_ACCOUNT = 'local';
const LOCAL_CHANNEL_ARN = /^arn:aws:ivs:[a-z0-9-]+:000000000000:channel\//;
const LOCAL_DEFAULT_CHANNEL = 'default';

export interface ResolvedCueTarget {
  info: CueTargetInfo;
  ivs: CueIvs;
}

export interface CueTargetOptions {
  liveCacheMs?: number;
  offlineCacheMs?: number;
  now?: () => number;
}

export class CueTargetResolver {
  private readonly channelInfo = new Map<string, { name: string; playbackUrl?: string }>();
  private readonly liveness = new Map<string, { live: boolean; at: number }>();
  private localDefault: string | undefined;
  private readonly now: () => number;

  constructor(
    private readonly port: CueChannelPort,
    private readonly options: CueTargetOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  async resolve(): Promise<ResolvedCueTarget> {
    const stream = this.port.stream();
    const streaming = stream && (stream.state === 'live' || stream.state === 'reconnecting') ? stream.target : undefined;
    if (streaming?.channelArn) {
      const selected = this.port.selected();
      const accountId = LOCAL_CHANNEL_ARN.test(streaming.channelArn)
        ? LOCAL_ACCOUNT
        : selected?.channelArn === streaming.channelArn
          ? selected.accountId
          : undefined;
      if (accountId) return this.build(accountId, streaming.channelArn, 'stream', streaming.label);
    }
    const selected = this.port.selected();
    if (selected?.channelArn) return this.build(selected.accountId, selected.channelArn, 'selected', selected.channelName);
    const ivs = await this.port.ivsFor(LOCAL_ACCOUNT);
    if (!this.localDefault) {
      const channels = await ivs.listChannels();
      const chosen = channels.find((c) => c.name === LOCAL_DEFAULT_CHANNEL) ?? channels[0];
      if (!chosen) throw new StudioError('NOT_FOUND', { message: 'The local channel has no channel to send cues to.', action: 'Create one in Channel.' });
      this.localDefault = chosen.arn;
    }
    return this.build(LOCAL_ACCOUNT, this.localDefault, 'local-default');
  }

  private async build(accountId: string, channelArn: string, source: CueTargetInfo['source'], knownLabel?: string): Promise<ResolvedCueTarget> {
    const ivs = await this.port.ivsFor(accountId);
    let details = this.channelInfo.get(channelArn);
    if (!details) {
      try {
        const channel = await ivs.getChannel(channelArn);
        details = { name: channel.name, ...(channel.playbackUrl ? { playbackUrl: channel.playbackUrl } : {}) };
        this.channelInfo.set(channelArn, details);
      } catch (error) {
        // The label and playback URL are niceties; firing still works without them.
        if (!(error instanceof StudioError) || error.code === 'IVS_NOT_FOUND') throw error;
        details = { name: knownLabel ?? '' };
      }
    }
    const name = details.name || knownLabel || channelArn.split('/').pop() || channelArn;
    const label = accountId === LOCAL_ACCOUNT ? `Local channel · ${name}` : name;
    const info: CueTargetInfo = { accountId, channelArn, label, source };
    if (details.playbackUrl) info.playbackUrl = details.playbackUrl;
    const known = this.liveness.get(channelArn);
    if (known) {
      info.live = known.live;
      info.checkedAt = new Date(known.at).toISOString();
    }
    return { info, ivs };
  }

  /** Live or not, from the go-live state or (cached) GetStream. */
  async isLive(target: ResolvedCueTarget): Promise<boolean> {
    const stream = this.port.stream();
    if (target.info.source === 'stream' && stream?.state === 'live') return this.remember(target, true);
    const cached = this.liveness.get(target.info.channelArn);
    const age = cached ? this.now() - cached.at : Infinity;
    if (cached && age < (cached.live ? (this.options.liveCacheMs ?? 3_000) : (this.options.offlineCacheMs ?? 1_000))) {
      target.info.live = cached.live;
      return cached.live;
    }
    const live = (await target.ivs.getStream(target.info.channelArn)) !== undefined;
    return this.remember(target, live);
  }

  /** What a PutMetadata answer taught us (NOT_LIVE → offline; accepted → live). */
  noteLiveness(channelArn: string, live: boolean): void {
    this.liveness.set(channelArn, { live, at: this.now() });
  }

  private remember(target: ResolvedCueTarget, live: boolean): boolean {
    this.noteLiveness(target.info.channelArn, live);
    target.info.live = live;
    target.info.checkedAt = new Date(this.now()).toISOString();
    return live;
  }

  /** Forget the local default (its channel may have been deleted) and names. */
  reset(): void {
    this.localDefault = undefined;
    this.channelInfo.clear();
  }
}
