/**
 * Real IVS channels: the IVS Player SDK (`amazon-ivs-player`), which IVS requires for its low latency
 * (its playlists use a prefetch dialect hls.js ignores). Loaded on demand, with its wasm worker and
 * binary served by the studio itself (absolute URLs, as the SDK asks; the CSP allows wasm and blob
 * workers). Offline it tries to reach two AWS hosts; that fails harmlessly.
 *
 * Same contract as the hls.js player: states, recovery by reloading, SEI stamps (the SDK raises
 * user_data_unregistered SEI with its media timestamp), IVS metadata cues (TEXT_METADATA_CUE).
 */
import type { PlayerState as StudioPlayerState } from '@contract/studio-api';
import { IVS_METADATA_OWNER, type PreviewPlayer, type PreviewPlayerEvents } from './preview-player';
import { onEveryFrame, SeiLatencyMeter } from './sei-latency';

type IvsModule = typeof import('amazon-ivs-player');
type MediaPlayer = ReturnType<IvsModule['create']>;

const RETRY_MS = 2000;
const REPORT_MS = 1000;

let modulePromise: Promise<{ ivs: IvsModule; worker: string; binary: string }> | undefined;

/** The SDK and its assets, bundled by vite (`?url` gives the emitted asset's URL). */
function loadSdk(): Promise<{ ivs: IvsModule; worker: string; binary: string }> {
  modulePromise ??= Promise.all([
    import('amazon-ivs-player'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.js?url'),
    import('amazon-ivs-player/dist/assets/amazon-ivs-wasmworker.min.wasm?url'),
  ]).then(([ivs, worker, binary]) => ({
    ivs,
    worker: new URL((worker as { default: string }).default, document.baseURI).href,
    binary: new URL((binary as { default: string }).default, document.baseURI).href,
  }));
  return modulePromise;
}

export class IvsPreviewPlayer implements PreviewPlayer {
  readonly kind = 'ivs-player' as const;
  private player: MediaPlayer | undefined;
  private url = '';
  private state: StudioPlayerState = 'offline';
  private everPlayed = false;
  private readonly meter = new SeiLatencyMeter();
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly reportTimer: ReturnType<typeof setInterval>;
  private readonly stopFrames: () => void;
  private stalls = 0;
  private recoveries = 0;
  private disposed = false;

  constructor(
    private readonly video: HTMLVideoElement,
    private readonly events: PreviewPlayerEvents,
  ) {
    video.muted = true;
    this.stopFrames = onEveryFrame(video, (mediaTime, shownAt) => this.meter.frameShown(mediaTime, shownAt));
    this.reportTimer = setInterval(() => this.report(), REPORT_MS);
  }

  load(url: string): void {
    this.url = url;
    this.everPlayed = false;
    void this.start('starting');
  }

  reload(): void {
    if (this.url) void this.start(this.everPlayed ? 'reconnecting' : 'starting');
  }

  private setState(state: StudioPlayerState, detail?: string): void {
    if (state === this.state && !detail) return;
    this.state = state;
    this.events.onState(state, detail);
  }

  private async start(state: StudioPlayerState): Promise<void> {
    clearTimeout(this.retryTimer);
    this.destroyPlayer();
    this.setState(state);
    this.meter.reset();
    let sdk: Awaited<ReturnType<typeof loadSdk>>;
    try {
      sdk = await loadSdk();
    } catch (error) {
      this.setState('error', `The IVS player could not load: ${(error as Error).message}`);
      return;
    }
    if (this.disposed) return;
    const { ivs } = sdk;
    if (!ivs.isPlayerSupported) {
      this.setState('error', 'This browser cannot run the IVS player (WebAssembly and MediaSource are needed).');
      return;
    }
    const player = ivs.create({ wasmWorker: sdk.worker, wasmBinary: sdk.binary });
    this.player = player;
    player.attachHTMLVideoElement(this.video);
    player.setMuted(true);
    player.setAutoplay(true);
    player.setLiveLowLatencyEnabled(true);
    const S = ivs.PlayerState;
    const E = ivs.PlayerEventType;
    player.addEventListener(S.PLAYING, () => {
      if (this.state === 'reconnecting') this.recoveries++;
      this.everPlayed = true;
      this.setState('playing');
    });
    player.addEventListener(S.BUFFERING, () => {
      if (this.state === 'playing') this.stalls++;
    });
    player.addEventListener(S.ENDED, () => this.lost('the stream ended'));
    player.addEventListener(E.ERROR, (error) => {
      if (error.type === ivs.ErrorType.AUTHORIZATION) {
        this.destroyPlayer();
        this.setState('error', `IVS refused the preview (${error.message}): a private channel needs a valid token.`);
        return;
      }
      this.lost(error.message);
    });
    player.addEventListener(E.TEXT_METADATA_CUE, (cue) => {
      if (cue.owner === IVS_METADATA_OWNER || cue.owner === undefined) this.events.onCue(cue.text, Date.now());
    });
    // SEI user_data_unregistered, with the media timestamp of its frame.
    player.addEventListener(ivs.MetadataEventType.SEI as never, ((message: { uuid: string; timestamp: number; data: Uint8Array }) => {
      const uuid = message.uuid.toLowerCase();
      this.meter.addSamples([{ pts: message.timestamp, uuid, userData: new TextDecoder().decode(message.data) }]);
    }) as never);
    player.load(this.url);
    player.play();
  }

  private lost(reason: string): void {
    this.destroyPlayer();
    if (this.disposed) return;
    this.setState(this.everPlayed ? 'reconnecting' : 'offline', reason);
    this.retryTimer = setTimeout(() => void this.start(this.everPlayed ? 'reconnecting' : 'offline'), RETRY_MS);
  }

  private report(): void {
    if (!this.url) return;
    const taken = this.meter.take();
    const liveLatency = this.player && this.state === 'playing' ? this.player.getLiveLatency() : undefined;
    this.events.onReport({
      player: 'ivs-player',
      state: this.state,
      samplesMs: taken.samplesMs.map((v) => Math.round(v)),
      ...(liveLatency !== undefined && Number.isFinite(liveLatency) && liveLatency > 0 ? { bufferMs: Math.round(liveLatency * 1000) } : {}),
      seiPresent: taken.seiPresent,
      stalls: this.stalls,
      recoveries: this.recoveries,
    });
    this.stalls = 0;
    this.recoveries = 0;
  }

  private destroyPlayer(): void {
    const player = this.player;
    this.player = undefined;
    player?.delete();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.retryTimer);
    clearInterval(this.reportTimer);
    this.stopFrames();
    this.destroyPlayer();
  }
}
