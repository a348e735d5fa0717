import type { _Stream as IvsStream, StreamSession } from '@aws-sdk/client-ivs';
import type { ChannelLiveStatus, StreamSessionEvent } from '../contract/domains/accounts';
import type { Disposable } from '../core/disposable';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError, toErrorPayload } from '../core/studio-error';
import { sessionLimit } from '../golive/preflight';
import { eventsFromSession, ingestFromSession } from './ivs-shapes';

const log = createLogger('ivs-status');

/** What the poller needs from an IvsService (an interface, so the cadence logic is testable alone). */
export interface StreamStatusSource {
  getStream(channelArn: string): Promise<IvsStream | undefined>;
  getStreamSession(channelArn: string, streamId?: string): Promise<StreamSession | undefined>;
}

export interface StatusPollerOptions {
  accountId: string;
  channelArn: string;
  /** Poll period while live (IVS's GetStream quota is 5 TPS per account: stay far below). */
  liveIntervalMs?: number;
  offlineIntervalMs?: number;
  /** Upper bound of the back-off after errors and throttling. */
  maxBackoffMs?: number;
  /** How often the session (ingest configuration, events) is re-read while live. */
  sessionRefreshMs?: number;
}

/**
 * IVS's own view of a channel: GetStream (state, health, viewers, start time) on a modest cadence,
 * plus the stream session (what IVS actually receives, and its events). Backs off exponentially on
 * errors — throttling above all — and recovers to the normal cadence on the next success.
 */
export class LiveStatusPoller implements Disposable {
  private readonly changed = new Emitter<ChannelLiveStatus>();
  readonly onStatus = this.changed.event;
  private timer?: NodeJS.Timeout;
  private disposed = false;
  private running?: Promise<void>;
  private backoffMs = 0;
  private latestStatus?: ChannelLiveStatus;
  private session?: { streamId?: string; readAt: number; data: StreamSession };
  private readonly liveMs: number;
  private readonly offlineMs: number;
  private readonly maxBackoffMs: number;
  private readonly sessionRefreshMs: number;

  constructor(
    private readonly source: StreamStatusSource,
    private readonly options: StatusPollerOptions,
  ) {
    this.liveMs = options.liveIntervalMs ?? 5_000;
    this.offlineMs = options.offlineIntervalMs ?? 10_000;
    this.maxBackoffMs = options.maxBackoffMs ?? 60_000;
    this.sessionRefreshMs = options.sessionRefreshMs ?? 15_000;
  }

  get channelArn(): string {
    return this.options.channelArn;
  }

  get latest(): ChannelLiveStatus | undefined {
    return this.latestStatus;
  }

  start(): void {
    if (!this.timer && !this.running) this.schedule(0);
  }

  /** Polls now (e.g. right after going live or stopping), then resumes the cadence. */
  async pollNow(): Promise<ChannelLiveStatus | undefined> {
    if (this.disposed) return this.latestStatus;
    if (this.running) await this.running;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.tick();
    return this.latestStatus;
  }

  private schedule(ms: number): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.tick();
    }, ms);
    // A poller must never keep a headless engine (or a test) alive on its own.
    this.timer.unref?.();
  }

  private tick(): Promise<void> {
    this.running ??= this.poll().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async poll(): Promise<void> {
    const { channelArn, accountId } = this.options;
    let status: ChannelLiveStatus;
    try {
      const stream = await this.source.getStream(channelArn);
      const session = await this.readSession(stream);
      this.backoffMs = 0;
      status = this.buildStatus(stream, session, stream ? this.liveMs : this.offlineMs);
    } catch (error) {
      this.backoffMs = Math.min(this.maxBackoffMs, this.backoffMs ? this.backoffMs * 2 : Math.max(this.liveMs, 2_000));
      const payload = toErrorPayload(error);
      if (!(error instanceof StudioError)) log.warn(`status poll for ${channelArn} failed`, error);
      const previous = this.latestStatus;
      status = {
        ...(previous ?? { events: [] }),
        accountId,
        channelArn,
        state: previous?.state ?? 'UNKNOWN',
        polledAt: new Date().toISOString(),
        nextPollMs: this.backoffMs,
        error: payload,
      };
    }
    if (this.disposed) return;
    this.latestStatus = status;
    this.changed.fire(status);
    this.schedule(status.nextPollMs);
  }

  /**
   * Reads the session when the stream id changes, every sessionRefreshMs while live (the ingest
   * configuration and events fill in over the first seconds), and once after the stream ends.
   */
  private async readSession(stream: IvsStream | undefined): Promise<StreamSession | undefined> {
    const now = Date.now();
    const streamId = stream?.streamId;
    const cached = this.session;
    const stale = stream
      ? !cached || cached.streamId !== streamId || now - cached.readAt >= this.sessionRefreshMs
      : // Offline: read the most recent session on the first poll and once right after a stream ends.
        !this.latestStatus || this.latestStatus.state === 'LIVE';
    if (!stale) return cached?.data;
    try {
      const data = await this.source.getStreamSession(this.options.channelArn, streamId);
      if (!data) return undefined;
      this.session = { streamId: data.streamId ?? streamId, readAt: now, data };
      return data;
    } catch (error) {
      // No session yet (a channel that never streamed) is not an error for the status.
      if (error instanceof StudioError && error.code === 'IVS_NOT_FOUND') return undefined;
      throw error;
    }
  }

  private buildStatus(stream: IvsStream | undefined, session: StreamSession | undefined, nextPollMs: number): ChannelLiveStatus {
    const { accountId, channelArn } = this.options;
    const live = !!stream && stream.state !== 'OFFLINE';
    const events: StreamSessionEvent[] = session ? eventsFromSession(session) : [];
    const ingest = session && live ? ingestFromSession(session) : {};
    const startTime = stream?.startTime ? new Date(stream.startTime).toISOString() : undefined;
    return {
      accountId,
      channelArn,
      state: live ? 'LIVE' : 'OFFLINE',
      ...(live && stream?.health ? { health: stream.health as ChannelLiveStatus['health'] } : {}),
      ...(live && stream?.viewerCount !== undefined ? { viewerCount: Number(stream.viewerCount) } : {}),
      ...(live && startTime ? { startTime, sessionLimit: sessionLimit(startTime) } : {}),
      ...(stream?.streamId ? { streamId: stream.streamId } : session?.streamId ? { streamId: session.streamId } : {}),
      ...ingest,
      events,
      polledAt: new Date().toISOString(),
      nextPollMs,
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.dispose();
    // Let an in-flight request settle so no socket work outlives the poller.
    await this.running?.catch(() => undefined);
  }
}
