/**
 * A minimal low-latency HLS "player" for tests: follows a live media playlist, downloads every part as
 * soon as it is listed, demuxes the MPEG-TS and reads each video access unit's PTS and our SEI
 * wall-clock stamps, noting when the bytes arrived. Enough to measure latency from the viewer's side.
 */
import { splitAnnexBNalUnits } from '../../src-main/media/avc';
import { demuxTs, STREAM_TYPE } from '../../src-main/media/mpegts';
import { readStudioStampsFromNals } from '../../src-main/output/sei-stamp';

export interface PlayedFrame {
  /** 90 kHz. */
  pts: number;
  stamps: number[];
  /** Wall-clock ms when the part holding this frame finished downloading. */
  arrivedAt: number;
  part: string;
}

export class HlsStampPlayer {
  readonly frames: PlayedFrame[] = [];
  readonly errors: string[] = [];
  mediaPlaylistUrl = '';
  ended = false;
  private readonly fetched = new Set<string>();
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly playbackUrl: string, private readonly pollMs = 50) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped && !this.mediaPlaylistUrl) {
      const response = await fetch(this.playbackUrl).catch(() => undefined);
      if (response?.ok) {
        const variant = (await response.text()).split('\n').find((l) => l && !l.startsWith('#'));
        if (variant) this.mediaPlaylistUrl = new URL(variant.trim(), this.playbackUrl).toString();
      }
      if (!this.mediaPlaylistUrl) await sleep(this.pollMs);
    }
    while (!this.stopped) {
      const response = await fetch(this.mediaPlaylistUrl).catch((e: Error) => this.errors.push(e.message));
      if (typeof response === 'object' && response.ok) {
        const playlist = await response.text();
        for (const uri of partUris(playlist)) {
          if (this.fetched.has(uri)) continue;
          this.fetched.add(uri);
          await this.fetchPart(uri);
        }
        if (playlist.includes('#EXT-X-ENDLIST')) {
          this.ended = true;
          return;
        }
      }
      await sleep(this.pollMs);
    }
  }

  private async fetchPart(uri: string): Promise<void> {
    const url = new URL(uri, this.mediaPlaylistUrl).toString();
    const response = await fetch(url);
    if (!response.ok) {
      this.errors.push(`${response.status} for ${uri}`);
      return;
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const arrivedAt = Date.now();
    const ts = demuxTs(bytes);
    const videoPid = ts.streams.find((s) => s.streamType === STREAM_TYPE.h264)?.pid;
    for (const pes of ts.pes) {
      if (pes.pid !== videoPid || pes.pts === undefined) continue;
      this.frames.push({ pts: pes.pts, stamps: readStudioStampsFromNals(splitAnnexBNalUnits(pes.payload)), arrivedAt, part: uri.split('?')[0]! });
    }
  }
}

/** Part URIs in playlist order (parts only: every frame once, as soon as it is published). */
export function partUris(playlist: string): string[] {
  return [...playlist.matchAll(/#EXT-X-PART:[^\n]*URI="([^"]+)"/g)].map((m) => m[1]!);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
