/**
 * The local channel's preview: hls.js in low-latency mode, held at the playlist's PART-HOLD-BACK.
 * hls.js alone settles 0.3–1.2 s above its target and never corrects (shared/reference/machine-findings.md),
 * so after every (re)start the player seeks once to `hls.liveSyncPosition`, and from then on a gentle
 * catch-up (playback rate up to 1.1×) keeps it there; a large drift (a long stall) seeks again.
 *
 * States: starting (loading) → playing; offline (nothing to play yet: retried every 2 s); reconnecting
 * (it was playing and lost the stream: reloaded every second, then offline after a minute); error
 * (refused, e.g. a bad token: retrying would not help). Recovery never needs a page reload.
 */
import Hls, { ErrorDetails, ErrorTypes, Events, type ErrorData, type FragParsingUserdataData, type LevelUpdatedData } from 'hls.js';
import type { PlayerState } from '@contract/studio-api';
import { watchId3Cues, type PreviewPlayer, type PreviewPlayerEvents } from './preview-player';
import { onEveryFrame, SeiLatencyMeter } from './sei-latency';

const SEEK_TO_LIVE_AFTER_MS = 1000;
const TICK_MS = 250;
const REPORT_MS = 1000;
const STALL_MS = 3000;
const OFFLINE_RETRY_MS = 2000;
const RECONNECT_RETRY_MS = 1000;
const RECONNECT_GIVE_UP_MS = 60_000;
/** Drift above the target (s) where the catch-up starts, and where it seeks instead. */
const CATCH_UP_FROM_S = 0.15;
const SEEK_FROM_S = 2.5;
const MAX_RATE = 1.1;

export class HlsPreviewPlayer implements PreviewPlayer {
  readonly kind = 'hls.js' as const;
  private hls: Hls | undefined;
  private url = '';
  private state: PlayerState = 'offline';
  private readonly meter = new SeiLatencyMeter();
  private everPlayed = false;
  private lostAt: number | undefined;
  private seekedToLive = false;
  private playingSince = 0;
  private lastProgress = { at: 0, time: -1 };
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly stops: Array<() => void> = [];
  private stalls = 0;
  /** The playlist's PART-HOLD-BACK (s): the latency this player holds. */
  private holdBackS: number | undefined;
  private recoveries = 0;
  private mediaRecoveryAt = 0;
  private disposed = false;
  /** Counts starts, so the answer to an older start's playlist check is ignored. */
  private attempt = 0;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly events: PreviewPlayerEvents,
  ) {
    video.muted = true;
    this.stops.push(onEveryFrame(video, (mediaTime, shownAt) => this.meter.frameShown(mediaTime, shownAt)));
    this.stops.push(watchId3Cues(video, (text, at) => events.onCue(text, at)));
    const onPlaying = () => this.onPlaying();
    video.addEventListener('playing', onPlaying);
    this.stops.push(() => video.removeEventListener('playing', onPlaying));
    this.timers.push(setInterval(() => this.tick(), TICK_MS));
    this.timers.push(setInterval(() => this.report(), REPORT_MS));
  }

  /** The hls.js instance (tests read its SEI events independently). */
  get engine(): Hls | undefined {
    return this.hls;
  }

  load(url: string): void {
    this.url = url;
    this.everPlayed = false;
    this.lostAt = undefined;
    this.start('starting');
  }

  reload(): void {
    if (this.url) this.start(this.everPlayed ? 'reconnecting' : 'starting');
  }

  private setState(state: PlayerState, detail?: string): void {
    if (state === this.state && !detail) return;
    this.state = state;
    this.events.onState(state, detail);
  }

  private start(state: PlayerState): void {
    clearTimeout(this.retryTimer);
    this.destroyHls();
    if (this.disposed) return;
    this.setState(state);
    const attempt = ++this.attempt;
    // Ask for the playlist before building a player: while the channel is offline this polls with a plain
    // request instead of attaching and tearing down a MediaSource every few seconds (whose revoked blob
    // URL the video element may still try to load).
    void this.playlistStatus().then((status) => {
      if (attempt !== this.attempt || this.disposed) return;
      if (status === 401 || status === 403) this.setState('error', `The playback server refused the preview (HTTP ${status}): a private channel needs a valid token.`);
      else if (status === 200) this.attach();
      else this.lost(status === undefined ? 'the playback server cannot be reached' : `no stream yet (HTTP ${status})`);
    });
  }

  private async playlistStatus(): Promise<number | undefined> {
    try {
      const response = await fetch(this.url, { cache: 'no-store' });
      void response.body?.cancel();
      return response.status;
    } catch {
      return undefined;
    }
  }

  private attach(): void {
    this.meter.reset();
    this.seekedToLive = false;
    this.lastProgress = { at: Date.now(), time: -1 };
    const hls = new Hls({
      lowLatencyMode: true,
      // We hold the latency ourselves (tick()); hls.js's own catch-up only acts past ~1 s of buffer.
      maxLiveSyncPlaybackRate: 1,
      // hls.js adds a second to its target after every stall and never gives it back: we hold the playlist's.
      liveSyncOnStallIncrease: 0,
      backBufferLength: 4,
      manifestLoadingMaxRetry: 0,
      levelLoadingMaxRetry: 2,
      fragLoadingMaxRetry: 2,
    });
    this.hls = hls;
    hls.on(Events.FRAG_PARSING_USERDATA, (_e, data: FragParsingUserdataData) => this.meter.addSamples(data.samples));
    hls.on(Events.LEVEL_UPDATED, (_e, data: LevelUpdatedData) => {
      if (data.details.partHoldBack > 0) this.holdBackS = data.details.partHoldBack;
      // An ended playlist is a finished stream: wait for the next one.
      if (!data.details.live && hls === this.hls) this.lost('the stream ended');
    });
    hls.on(Events.ERROR, (_e, data: ErrorData) => this.onError(hls, data));
    hls.loadSource(this.url);
    hls.attachMedia(this.video);
    void this.video.play().catch(() => undefined);
  }

  private onError(hls: Hls, data: ErrorData): void {
    if (hls !== this.hls) return;
    const status = data.response?.code;
    if (!data.fatal) {
      if (data.details === ErrorDetails.BUFFER_STALLED_ERROR) this.stalls++;
      return;
    }
    if (status === 401 || status === 403) {
      this.destroyHls();
      this.setState('error', `The playback server refused the preview (HTTP ${status}): a private channel needs a valid token.`);
      return;
    }
    if (data.type === ErrorTypes.MEDIA_ERROR && Date.now() - this.mediaRecoveryAt > 5000) {
      this.mediaRecoveryAt = Date.now();
      this.recoveries++;
      hls.recoverMediaError();
      return;
    }
    this.lost(data.details);
  }

  /** Nothing to play (any more): offline before the first frame, reconnecting after it. */
  private lost(reason: string): void {
    this.destroyHls();
    if (this.disposed) return;
    const now = Date.now();
    if (this.everPlayed) {
      this.lostAt ??= now;
      if (now - this.lostAt < RECONNECT_GIVE_UP_MS) {
        this.setState('reconnecting', reason);
        this.retryTimer = setTimeout(() => this.start('reconnecting'), RECONNECT_RETRY_MS);
        return;
      }
      this.everPlayed = false;
    }
    this.setState('offline', reason);
    this.retryTimer = setTimeout(() => this.start(this.state === 'offline' ? 'offline' : 'starting'), OFFLINE_RETRY_MS);
  }

  private onPlaying(): void {
    if (!this.hls) return;
    if (this.state === 'reconnecting') this.recoveries++;
    this.everPlayed = true;
    this.lostAt = undefined;
    this.playingSince = Date.now();
    this.setState('playing');
  }

  /** Seek once to the target, then hold it with the playback rate; notice stalls. */
  private tick(): void {
    const hls = this.hls;
    if (!hls || this.state !== 'playing') return;
    const now = Date.now();
    const time = this.video.currentTime;
    if (time !== this.lastProgress.time) this.lastProgress = { at: now, time };
    else if (!this.video.paused && now - this.lastProgress.at > STALL_MS) {
      this.stalls++;
      this.lost('playback stalled');
      return;
    }
    const live = hls.liveSyncPosition;
    if (!this.seekedToLive && now - this.playingSince >= SEEK_TO_LIVE_AFTER_MS && live !== null && live > time) {
      this.seekedToLive = true;
      this.video.currentTime = live;
      return;
    }
    if (!this.seekedToLive) return;
    const drift = hls.latency - (this.holdBackS ?? hls.targetLatency ?? hls.latency);
    if (drift > SEEK_FROM_S && live !== null) {
      this.video.currentTime = live;
      this.video.playbackRate = 1;
    } else if (drift > CATCH_UP_FROM_S) {
      this.video.playbackRate = Math.min(MAX_RATE, 1 + drift * 0.2);
    } else if (this.video.playbackRate !== 1 && drift < 0.05) {
      this.video.playbackRate = 1;
    }
  }

  private report(): void {
    const hls = this.hls;
    const taken = this.meter.take();
    if (!this.url) return;
    const bufferMs = hls && this.state === 'playing' && Number.isFinite(hls.latency) && hls.latency > 0 ? hls.latency * 1000 : undefined;
    const target = this.holdBackS ?? hls?.targetLatency ?? undefined;
    const targetMs = target !== undefined && Number.isFinite(target) ? target * 1000 : undefined;
    this.events.onReport({
      player: 'hls.js',
      state: this.state,
      samplesMs: taken.samplesMs.map((v) => Math.round(v)),
      ...(bufferMs !== undefined ? { bufferMs: Math.round(bufferMs) } : {}),
      ...(targetMs ? { targetMs: Math.round(targetMs) } : {}),
      seiPresent: taken.seiPresent,
      stalls: this.stalls,
      recoveries: this.recoveries,
    });
    this.stalls = 0;
    this.recoveries = 0;
  }

  private destroyHls(): void {
    const hls = this.hls;
    this.hls = undefined;
    if (!hls) return;
    hls.destroy();
    this.video.playbackRate = 1;
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    for (const timer of this.timers.splice(0)) clearInterval(timer);
    for (const stop of this.stops.splice(0)) stop();
    this.destroyHls();
    this.video.removeAttribute('src');
    this.video.load();
  }
}
