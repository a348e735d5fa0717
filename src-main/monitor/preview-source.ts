/**
 * Which playback the preview plays. In order: a URL the user set (custom targets); the channel the
 * studio streams to; else the channel selected in Channel; else the local channel's default channel.
 * Local-channel playback goes to hls.js in low-latency mode; real IVS playback to the IVS Player SDK
 * (IVS's low latency needs its player). The decision is pure (`choosePreview`); `PreviewResolver`
 * fetches the playback URL of a local channel through its own IVS API and caches it.
 */
import type { AccountsState, ChannelDetails } from '../contract/domains/accounts';
import type { PreviewSource } from '../contract/domains/monitor';
import type { StreamSnapshot } from '../contract/domains/stream';
import { createLogger } from '../core/logger';
import type { LocalChannelAccess } from '../golive/go-live';
import { IvsService } from '../ivs/ivs-service';

const log = createLogger('preview');

/** The account id of every local-channel ARN (see channel/local-channel.ts). */
const LOCAL_ACCOUNT = ':000000000000:';

export function isLocalChannelArn(arn: string | undefined): boolean {
  return !!arn && arn.includes(LOCAL_ACCOUNT);
}

/** Real IVS playback is served from *.live-video.net; anything else plays through hls.js. */
export function playerFor(url: string): PreviewSource['player'] {
  try {
    return new URL(url).hostname.endsWith('.live-video.net') ? 'ivs-player' : 'hls.js';
  } catch {
    return 'hls.js';
  }
}

export interface PreviewInputs {
  customPlaybackUrl?: string;
  customPlayer?: PreviewSource['player'];
  stream: StreamSnapshot;
  accounts: AccountsState;
  /** Details of local-channel channels already fetched (arn → details), and the default one. */
  local: { byArn: ReadonlyMap<string, ChannelDetails>; defaultChannel?: ChannelDetails };
}

export type PreviewDecision = { source: PreviewSource | null; needLocal?: string | 'default' };

/** Decides the preview source; `needLocal` asks the caller to fetch that local channel's details first. */
export function choosePreview(inputs: PreviewInputs): PreviewDecision {
  if (inputs.customPlaybackUrl) {
    const url = inputs.customPlaybackUrl;
    return { source: { kind: 'custom', player: inputs.customPlayer ?? playerFor(url), playbackUrl: url, label: 'Custom playback URL', authorized: /[?&]token=/.test(url) } };
  }
  const streaming = inputs.stream.state !== 'offline' ? inputs.stream.target : undefined;
  const selected = inputs.accounts.selected;
  const arn = streaming?.channelArn ?? (streaming ? undefined : selected?.channelArn);
  if (streaming && !streaming.channelArn) {
    return { source: null };
  }
  if (arn) {
    if (selected?.channelArn === arn && selected.channel) return { source: fromChannel(selected.channel, selected.accountKind === 'local') };
    if (isLocalChannelArn(arn)) {
      const details = inputs.local.byArn.get(arn);
      return details ? { source: fromChannel(details, true) } : { source: null, needLocal: arn };
    }
    return { source: null };
  }
  if (inputs.local.defaultChannel) return { source: fromChannel(inputs.local.defaultChannel, true) };
  return { source: null, needLocal: 'default' };
}

function fromChannel(channel: ChannelDetails, local: boolean): PreviewSource {
  const source: PreviewSource = {
    kind: local ? 'local-channel' : 'ivs',
    player: local ? 'hls.js' : playerFor(channel.playbackUrl),
    playbackUrl: channel.playbackUrl,
    channelArn: channel.arn,
    label: channel.name || channel.arn,
    authorized: channel.authorized,
  };
  if (channel.authorized) source.problem = 'This channel is private: the preview needs a playback token, which the studio cannot sign without the channel’s playback key pair.';
  return source;
}

/** Fetches local-channel channel details through the local channel's IVS API. */
export class PreviewResolver {
  readonly byArn = new Map<string, ChannelDetails>();
  defaultChannel: ChannelDetails | undefined;
  private pending = new Map<string, Promise<void>>();

  constructor(private readonly localChannel: () => LocalChannelAccess | undefined) {}

  /** Fetches what `needLocal` asked for; resolves when done (errors are logged: the preview stays empty). */
  fetch(what: string): Promise<void> {
    let running = this.pending.get(what);
    if (!running) {
      running = this.doFetch(what).finally(() => this.pending.delete(what));
      this.pending.set(what, running);
    }
    return running;
  }

  private async doFetch(what: string): Promise<void> {
    const local = this.localChannel();
    if (!local) return;
    const ivs = new IvsService({ region: local.region, endpoint: local.apiEndpoint, credentials: { type: 'static', credentials: local.credentials, label: 'the local channel' }, maxAttempts: 1 });
    try {
      if (what === 'default') {
        const channels = await ivs.listChannels();
        const chosen = channels.find((c) => c.name === 'default') ?? channels[0];
        if (chosen) this.defaultChannel = await ivs.getChannel(chosen.arn);
        if (this.defaultChannel) this.byArn.set(this.defaultChannel.arn, this.defaultChannel);
      } else {
        this.byArn.set(what, await ivs.getChannel(what));
      }
    } catch (error) {
      log.warn(`could not read the local channel's playback URL (${what})`, error);
    } finally {
      ivs.dispose();
    }
  }
}
