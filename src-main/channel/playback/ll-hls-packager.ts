/**
 * The low-latency HLS packager of one live stream: FLV tags in (the ingest's RTMP message payloads),
 * parts and segments out into a LiveTimeline.
 *
 * Cutting rules (what hls.js low-latency mode plays cleanly, see machine-findings):
 *   - a part closes when the next video frame arrives and the part has reached about PART-TARGET
 *     (≈0.2 s): parts always start on a video frame, INDEPENDENT when that frame is a keyframe;
 *   - a segment closes at a keyframe once it is at least `minSegmentSec` long (so segment length
 *     follows the encoder's GOP, 2 s with IVS's recommended settings);
 *   - PROGRAM-DATE-TIME comes from the ingest wall clock at the stream's first keyframe, advanced by
 *     media time and re-anchored when the two drift apart by more than a second (stalls).
 * Timed metadata (PutMetadata) goes into the open part at the PTS of the newest video frame, so a
 * player raises the cue when it shows that frame.
 */
import { AacFormatError, aacCodecString, parseAudioSpecificConfig, parseFlvAudioTag, type AacConfig } from '../../media/aac';
import { AvcFormatError, FLV_CODEC_AVC, avcCodecString, parseAvcDecoderConfigurationRecord, parseFlvVideoTag, parseSps, type AvcDecoderConfig, type AvcSpsInfo } from '../../media/avc';
import type { FlvTag } from '../../media/flv';
import { buildIvsMetadataTag, buildSegmentMetadataTag } from '../../media/id3';
import type { MediaSink } from '../runtime';
import type { LiveTimeline } from './live-timeline';
import { Fmp4PartWriter, TsPartWriter, type PartWriter, type TrackConfig } from './part-writers';

export interface PackagerOptions {
  container: 'TS' | 'FRAGMENTED_MP4';
  partTargetSec: number;
  minSegmentSec: number;
  /** Wall clock (epoch ms). */
  now: () => number;
  /** Called for parser problems; the packager drops the bad tag and carries on. */
  onWarning?: (message: string) => void;
}

/** Output timestamps start here (90 kHz) so composition offsets and PCR lead never go negative. */
const TIMELINE_BASE_TICKS = 10 * 90_000;
/** A jump in FLV time larger than this (either way) is treated as a timestamp discontinuity. */
const DISCONTINUITY_MS = 5_000;
const AAC_FRAME = 1024;

export interface StreamDescription {
  width: number;
  height: number;
  frameRate?: number;
  videoCodec: string;
  audioCodec?: string;
  sampleRate?: number;
  channels?: number;
}

export class LlHlsPackager implements MediaSink {
  private avc?: { config: AvcDecoderConfig; sps: AvcSpsInfo; record: Buffer };
  private aac?: AacConfig;
  private writer?: PartWriter;
  private initVersion = 0;
  private pendingConfigChange = false;
  private ended = false;

  // Timeline mapping: output ticks = (flv ms − originMs) × 90 + base + offsetTicks.
  private originMs?: number;
  private offsetTicks = 0;
  private lastVideoMs?: number;
  private lastVideoDts?: number;
  private lastVideoPts?: number;
  private frameDurationTicks = 3000;

  // Audio runs on its own sample counter, re-synced to the FLV clock on gaps.
  private audioTime?: number;

  private nextMsn = 0;
  private partIndex = 0;
  private partStartDts?: number;
  private partIndependent = false;
  private segmentStartDts?: number;
  private nextDiscontinuity = false;

  private wallAnchor?: { wallMs: number; dts: number };
  private segmentWallClock?: number;
  private pendingMetadata: Buffer[] = [];

  constructor(
    private readonly timeline: LiveTimeline,
    private readonly options: PackagerOptions,
  ) {}

  /** What the stream carries, once the first keyframe has been packaged. */
  describe(): StreamDescription | undefined {
    if (!this.avc || !this.writer) return undefined;
    const { sps, config } = this.avc;
    return {
      width: sps.width,
      height: sps.height,
      frameRate: sps.frameRate ?? (this.frameDurationTicks > 0 ? Math.round((90_000 / this.frameDurationTicks) * 100) / 100 : undefined),
      videoCodec: avcCodecString(config.profileIdc, config.profileCompatibility, config.levelIdc),
      audioCodec: this.aac ? aacCodecString(this.aac.objectType) : undefined,
      sampleRate: this.aac?.sampleRate,
      channels: this.aac?.channels,
    };
  }

  pushTag(tag: FlvTag): void {
    if (this.ended) return;
    try {
      if (tag.type === 'video') this.onVideo(tag);
      else if (tag.type === 'audio') this.onAudio(tag);
    } catch (error) {
      if (error instanceof AvcFormatError || error instanceof AacFormatError) {
        this.options.onWarning?.(`dropped a ${tag.type} tag at ${tag.timestamp} ms: ${error.message}`);
        return;
      }
      throw error;
    }
  }

  insertMetadata(text: string): void {
    if (this.ended) return;
    const tag = buildIvsMetadataTag(text);
    if (!this.writer || this.lastVideoPts === undefined) {
      this.pendingMetadata.push(tag);
      return;
    }
    this.writer.addId3(tag, this.lastVideoPts);
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.writer && this.partStartDts !== undefined && this.lastVideoDts !== undefined) {
      this.closePart(this.lastVideoDts + this.frameDurationTicks);
    }
    this.timeline.end();
  }

  private onVideo(tag: FlvTag): void {
    const video = parseFlvVideoTag(tag.data);
    if (video.codecId !== FLV_CODEC_AVC) return; // the ingest refuses non-H.264 with a session event
    if (video.packetType === 'sequence-header') {
      const config = parseAvcDecoderConfigurationRecord(video.payload);
      const sps = parseSps(config.sps[0]!);
      const changed = this.avc !== undefined && !this.avc.record.equals(video.payload);
      this.avc = { config, sps, record: Buffer.from(video.payload) };
      if (changed) this.pendingConfigChange = true;
      return;
    }
    if (video.packetType !== 'nalu' || !this.avc || video.payload.length === 0) return;
    const keyframe = video.frameType === 'keyframe';
    if (!this.writer) {
      if (!keyframe) return; // players need to start on a keyframe
      this.start(tag.timestamp);
    }
    if (this.pendingConfigChange && keyframe) this.applyConfigChange();

    const dts = this.toTicks(tag.timestamp);
    const pts = dts + video.compositionTimeMs * 90;
    if (this.lastVideoDts !== undefined && dts > this.lastVideoDts) this.frameDurationTicks = dts - this.lastVideoDts;
    const newSegment = this.cutBefore(dts, keyframe);
    this.writer!.addVideo({ dts, pts, keyframe, avcc: video.payload });
    if (newSegment) this.writer!.addId3(buildSegmentMetadataTag({ media_sequence: this.nextMsn - 1, program_date_time: new Date(this.segmentWallClock!).toISOString() }), pts);
    this.lastVideoDts = dts;
    this.lastVideoPts = pts;
    this.lastVideoMs = tag.timestamp;
    for (const pending of this.pendingMetadata.splice(0)) this.writer!.addId3(pending, pts);
  }

  private onAudio(tag: FlvTag): void {
    const audio = parseFlvAudioTag(tag.data);
    if (audio.aacPacketType === 'sequence-header') {
      this.aac = parseAudioSpecificConfig(audio.payload);
      if (this.writer) this.writer.configure(this.trackConfig());
      return;
    }
    if (audio.aacPacketType !== 'raw' || !this.aac || !this.writer || this.originMs === undefined || audio.payload.length === 0) return;
    if (tag.timestamp < this.originMs) return; // before the first keyframe
    const rate = this.aac.sampleRate;
    const clockTime = Math.round(((this.toTicks(tag.timestamp) / 90_000) * rate));
    const frameSamples = this.aac.objectType === 5 || this.aac.objectType === 29 ? 2 * AAC_FRAME : AAC_FRAME;
    // Stay on the sample counter unless the FLV clock says we are off by more than two frames.
    if (this.audioTime === undefined || Math.abs(clockTime - this.audioTime) > 2 * frameSamples) this.audioTime = clockTime;
    this.writer.addAudio({ time: this.audioTime, duration: frameSamples, data: audio.payload });
    this.audioTime += frameSamples;
  }

  private start(timestampMs: number): void {
    this.originMs = timestampMs;
    this.lastVideoMs = timestampMs;
    const tracks = this.trackConfig();
    this.writer = this.options.container === 'FRAGMENTED_MP4' ? new Fmp4PartWriter(tracks) : new TsPartWriter(tracks);
    const init = this.writer.initSegment();
    if (init) this.timeline.setInit(this.initVersion, init);
  }

  private trackConfig(): TrackConfig {
    return { video: { config: this.avc!.config, sps: this.avc!.sps }, audio: this.aac };
  }

  /** New SPS/PPS: TS carries them in-band; fMP4 needs a new init segment behind a discontinuity. */
  private applyConfigChange(): void {
    this.pendingConfigChange = false;
    this.writer!.configure(this.trackConfig());
    const init = this.writer!.initSegment();
    if (init) {
      this.initVersion++;
      this.timeline.setInit(this.initVersion, init);
      this.nextDiscontinuity = true;
    }
  }

  /** FLV milliseconds → output ticks, absorbing timestamp jumps so the output stays continuous. */
  private toTicks(timestampMs: number): number {
    if (this.lastVideoMs !== undefined && this.lastVideoDts !== undefined) {
      const jump = timestampMs - this.lastVideoMs;
      if (jump < -DISCONTINUITY_MS / 5 || jump > DISCONTINUITY_MS) {
        // Continue one frame after the last output frame.
        const target = this.lastVideoDts + this.frameDurationTicks;
        this.offsetTicks = target - ((timestampMs - this.originMs!) * 90 + TIMELINE_BASE_TICKS);
        this.lastVideoMs = timestampMs;
        this.audioTime = undefined;
        this.options.onWarning?.(`FLV timestamps jumped by ${jump} ms; output timeline kept continuous`);
      }
    }
    return (timestampMs - this.originMs!) * 90 + TIMELINE_BASE_TICKS + this.offsetTicks;
  }

  /** Closes parts/segments as needed before a video frame at `dts`; true when a segment was opened. */
  private cutBefore(dts: number, keyframe: boolean): boolean {
    if (this.partStartDts === undefined) {
      this.openSegment(dts);
      this.openPart(dts, keyframe);
      return true;
    }
    const partTicks = this.options.partTargetSec * 90_000;
    const segmentLongEnough = dts - this.segmentStartDts! >= this.options.minSegmentSec * 90_000 - this.frameDurationTicks / 2;
    if (keyframe && (segmentLongEnough || this.nextDiscontinuity)) {
      this.closePart(dts);
      this.timeline.completeSegment();
      this.openSegment(dts);
      this.openPart(dts, true);
      return true;
    }
    if (dts - this.partStartDts >= partTicks - this.frameDurationTicks / 2) {
      this.closePart(dts);
      this.openPart(dts, keyframe);
    }
    return false;
  }

  private openSegment(dts: number): void {
    this.segmentStartDts = dts;
    this.partIndex = 0;
    this.segmentWallClock = this.wallClockFor(dts);
    this.timeline.startSegment(this.nextMsn++, this.segmentWallClock, this.initVersion, this.nextDiscontinuity);
    this.nextDiscontinuity = false;
  }

  private openPart(dts: number, independent: boolean): void {
    this.partStartDts = dts;
    this.partIndependent = independent;
  }

  private closePart(nextDts: number): void {
    const data = this.writer!.finishPart(nextDts);
    const duration = Math.max(0.001, (nextDts - this.partStartDts!) / 90_000);
    this.timeline.addPart({ msn: this.nextMsn - 1, index: this.partIndex++, duration, independent: this.partIndependent, data });
    this.partStartDts = undefined;
  }

  private wallClockFor(dts: number): number {
    const now = this.options.now();
    if (!this.wallAnchor) {
      this.wallAnchor = { wallMs: now, dts };
      return now;
    }
    const predicted = this.wallAnchor.wallMs + (dts - this.wallAnchor.dts) / 90;
    if (Math.abs(now - predicted) > 1000) {
      this.wallAnchor = { wallMs: now, dts };
      return now;
    }
    return Math.round(predicted);
  }
}
