/**
 * Watches a publisher's FLV tags on their way to the packager and works out what IVS reports and
 * enforces at ingest: the real ingest configuration (codec string, profile, level and resolution from
 * the SPS; frame rate; measured bitrates; AAC object type, sample rate and channels; the encoder name
 * from onMetaData), whether the codecs are ones IVS accepts (H.264 + AAC), and whether the stream
 * stays within its channel type's limits.
 *
 * Bitrates are measured over a sliding window of media time (DTS), not arrival time, so a burst after
 * a network stall is not mistaken for a high bitrate.
 */
import { aacCodecString, flvSoundFormatName, parseAudioSpecificConfig, parseFlvAudioTag, FLV_SOUND_FORMAT_AAC } from '../../media/aac';
import { avcCodecString, avcLevelName, avcProfileName, flvVideoCodecName, parseAvcDecoderConfigurationRecord, parseFlvVideoTag, parseSps, FLV_CODEC_AVC } from '../../media/avc';
import type { FlvTag } from '../../media/flv';
import { Amf0Reader, amfEntries, amfNumber, amfString } from '../../rtmp/amf0';
import type { ChannelType, IngestConfiguration } from '../runtime';
import { checkBitrate, checkResolution, type LimitBreach } from './ingest-limits';

export type AnalyzerVerdict =
  | { ok: true; configurationChanged: boolean }
  /** The stream cannot continue: an IVS-style failure (unsupported codec, unreadable headers) or a limit breach. */
  | { ok: false; failure: StreamFailure };

export interface StreamFailure {
  kind: 'unsupported' | 'invalid' | 'limit';
  /** StreamEvent.code */
  code: string;
  description: string;
  breach?: LimitBreach;
}

export interface StreamAnalyzerOptions {
  channelType: ChannelType;
  /** Media-time window for bitrate measurement and the bitrate limit. */
  bitrateWindowMs?: number;
  bitrateTolerance?: number;
}

interface Sample {
  dts: number;
  bytes: number;
}

/** 60 s of 120 fps video: far more than any window needs. */
const MAX_SAMPLES = 7200;

/** Bytes over a sliding window of media time. */
class BitrateWindow {
  private readonly samples: Sample[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly windowMs: number) {}

  add(dts: number, bytes: number): void {
    const last = this.samples[this.samples.length - 1];
    // Timestamps that jump back (an encoder restarting its clock) start a new measurement.
    if (last && dts < last.dts - 1000) this.reset();
    this.samples.push({ dts, bytes });
    this.bytes += bytes;
    // Keep one sample at or before the window start so the span covers the whole window.
    while (this.samples.length - this.head > 2 && dts - this.samples[this.head + 1]!.dts >= this.windowMs) {
      this.bytes -= this.samples[this.head]!.bytes;
      this.head++;
    }
    // Bounded whatever the timestamps do (a frozen clock never advances the window).
    if (this.samples.length - this.head > MAX_SAMPLES) {
      this.bytes -= this.samples[this.head]!.bytes;
      this.head++;
    }
    if (this.head > 1024) {
      this.samples.splice(0, this.head);
      this.head = 0;
    }
  }

  private reset(): void {
    this.samples.length = 0;
    this.head = 0;
    this.bytes = 0;
  }

  /** Span of media time covered, in ms. */
  get spanMs(): number {
    if (this.samples.length - this.head < 2) return 0;
    return this.samples[this.samples.length - 1]!.dts - this.samples[this.head]!.dts;
  }

  /** Bits per second, once at least `minSpanMs` of media is covered. */
  bps(minSpanMs: number): number | undefined {
    const span = this.spanMs;
    if (span < minSpanMs || span <= 0) return undefined;
    // The newest sample's bytes belong after the span's end: leave them out.
    const bytes = this.bytes - this.samples[this.samples.length - 1]!.bytes;
    return Math.round((bytes * 8 * 1000) / span);
  }
}

export class StreamAnalyzer {
  private readonly windowMs: number;
  private readonly video: BitrateWindow;
  private readonly audio: BitrateWindow;
  private videoInfo: { codec: string; profile: string; level: string; width: number; height: number; frameRate?: number } | undefined;
  private audioInfo: { codec: string; sampleRate: number; channels: number } | undefined;
  private metadata: { encoder?: string; frameRate?: number; videoKbps?: number; audioKbps?: number } = {};
  private frameTimes: number[] = [];
  private bitrateMeasured = false;
  videoFrames = 0;
  audioFrames = 0;

  constructor(private readonly options: StreamAnalyzerOptions) {
    this.windowMs = options.bitrateWindowMs ?? 5000;
    this.video = new BitrateWindow(this.windowMs);
    this.audio = new BitrateWindow(this.windowMs);
  }

  push(tag: FlvTag): AnalyzerVerdict {
    try {
      if (tag.type === 'video') return this.onVideo(tag);
      if (tag.type === 'audio') return this.onAudio(tag);
      return this.onScript(tag);
    } catch (error) {
      return { ok: false, failure: { kind: 'invalid', code: 'InvalidStreamData', description: `Unreadable ${tag.type} data: ${(error as Error).message}.` } };
    }
  }

  private onVideo(tag: FlvTag): AnalyzerVerdict {
    let parsed;
    try {
      parsed = parseFlvVideoTag(tag.data);
    } catch (error) {
      const message = (error as Error).message;
      if (/enhanced RTMP/.test(message)) return unsupported('UnsupportedVideoCodec', `Video must be H.264 (AVC); ${message}.`);
      throw error;
    }
    if (parsed.frameType === 'info') return { ok: true, configurationChanged: false };
    if (parsed.codecId !== FLV_CODEC_AVC) {
      return unsupported('UnsupportedVideoCodec', `Video must be H.264 (AVC); this encoder sends ${flvVideoCodecName(parsed.codecId)}.`);
    }
    if (parsed.packetType === 'sequence-header') {
      const config = parseAvcDecoderConfigurationRecord(parsed.payload);
      const sps = parseSps(config.sps[0]!);
      const before = JSON.stringify(this.videoInfo);
      this.videoInfo = {
        codec: avcCodecString(sps.profileIdc, sps.profileCompatibility, sps.levelIdc),
        profile: avcProfileName(sps.profileIdc, sps.profileCompatibility),
        level: avcLevelName(sps.levelIdc, sps.profileIdc, sps.profileCompatibility),
        width: sps.width,
        height: sps.height,
        frameRate: sps.frameRate,
      };
      const breach = checkResolution(this.options.channelType, sps.width, sps.height);
      if (breach) return { ok: false, failure: { kind: 'limit', code: breach.code, description: breach.description, breach } };
      return { ok: true, configurationChanged: before !== JSON.stringify(this.videoInfo) };
    }
    if (parsed.packetType !== 'nalu') return { ok: true, configurationChanged: false };
    this.videoFrames++;
    this.video.add(tag.timestamp, tag.data.length);
    this.frameTimes.push(tag.timestamp);
    if (this.frameTimes.length > 121) this.frameTimes.shift();
    return this.checkBitrate();
  }

  private onAudio(tag: FlvTag): AnalyzerVerdict {
    const parsed = parseFlvAudioTag(tag.data);
    if (parsed.soundFormat !== FLV_SOUND_FORMAT_AAC) {
      return unsupported('UnsupportedAudioCodec', `Audio must be AAC; this encoder sends ${flvSoundFormatName(parsed.soundFormat)}.`);
    }
    if (parsed.aacPacketType === 'sequence-header') {
      const config = parseAudioSpecificConfig(parsed.payload);
      const before = JSON.stringify(this.audioInfo);
      this.audioInfo = { codec: aacCodecString(config.objectType), sampleRate: config.sampleRate, channels: config.channels };
      return { ok: true, configurationChanged: before !== JSON.stringify(this.audioInfo) };
    }
    this.audioFrames++;
    this.audio.add(tag.timestamp, tag.data.length);
    return this.checkBitrate();
  }

  private onScript(tag: FlvTag): AnalyzerVerdict {
    const reader = new Amf0Reader(tag.data);
    if (reader.read() !== 'onMetaData') return { ok: true, configurationChanged: false };
    const entries = amfEntries(reader.read()) ?? {};
    this.metadata = {
      encoder: amfString(entries.encoder),
      frameRate: amfNumber(entries.framerate),
      videoKbps: amfNumber(entries.videodatarate),
      audioKbps: amfNumber(entries.audiodatarate),
    };
    return { ok: true, configurationChanged: true };
  }

  private checkBitrate(): AnalyzerVerdict {
    const total = this.totalBps();
    if (total === undefined || !this.videoInfo) return { ok: true, configurationChanged: false };
    const breach = checkBitrate(this.options.channelType, this.videoInfo.width, this.videoInfo.height, total, this.options.bitrateTolerance);
    if (breach) return { ok: false, failure: { kind: 'limit', code: breach.code, description: breach.description, breach } };
    // The first full measurement window refines the configuration's bitrates.
    const first = !this.bitrateMeasured;
    this.bitrateMeasured = true;
    return { ok: true, configurationChanged: first };
  }

  /** Audio + video bits per second over the window, once a full window of media has arrived. */
  totalBps(): number | undefined {
    const video = this.video.bps(this.windowMs * 0.9);
    if (video === undefined) return undefined;
    return video + (this.audio.bps(this.windowMs * 0.5) ?? 0);
  }

  private measuredFrameRate(): number | undefined {
    const times = this.frameTimes;
    if (times.length < 10) return undefined;
    const span = times[times.length - 1]! - times[0]!;
    return span > 0 ? Math.round(((times.length - 1) * 1000 * 100) / span) / 100 : undefined;
  }

  /** The ingest configuration in IVS's shape, or undefined before any sequence header. */
  configuration(): IngestConfiguration | undefined {
    if (!this.videoInfo && !this.audioInfo) return undefined;
    const out: IngestConfiguration = {};
    if (this.videoInfo) {
      const v = this.videoInfo;
      const measured = this.video.bps(Math.min(1000, this.windowMs * 0.5));
      const frameRate = v.frameRate ?? this.metadata.frameRate ?? this.measuredFrameRate() ?? 0;
      out.video = {
        avcProfile: v.profile,
        avcLevel: v.level,
        codec: v.codec,
        encoder: this.metadata.encoder ?? '',
        targetBitrate: measured ?? Math.round((this.metadata.videoKbps ?? 0) * 1000),
        targetFramerate: Math.round(frameRate * 100) / 100,
        videoHeight: v.height,
        videoWidth: v.width,
        level: v.level,
        profile: v.profile,
        track: 'Track0',
      };
    }
    if (this.audioInfo) {
      const a = this.audioInfo;
      const measured = this.audio.bps(Math.min(1000, this.windowMs * 0.5));
      out.audio = {
        channels: a.channels,
        codec: a.codec,
        sampleRate: a.sampleRate,
        targetBitrate: measured ?? Math.round((this.metadata.audioKbps ?? 0) * 1000),
        track: 'Track0',
      };
    }
    return out;
  }
}

function unsupported(code: string, description: string): AnalyzerVerdict {
  return { ok: false, failure: { kind: 'unsupported', code, description } };
}
