/**
 * Container-specific writers for low-latency HLS parts. The packager decides timing and where parts
 * and segments are cut; a writer turns the frames of one part into bytes:
 *   - TsPartWriter: PAT+PMT at the head of every part, the part starting on the packet that starts its
 *     first video PES (what hls.js needs to start decoding at an INDEPENDENT part), audio gathered into
 *     one PES per video frame interval, ID3 tags as timed-metadata PES.
 *   - Fmp4PartWriter: one moof+mdat per part behind an init segment, ID3 tags as `emsg` boxes.
 * An audio frame belongs to the part in which it starts, so a part's audio runs to (a few ms past) its
 * last video frame's end. Carrying the frame that straddles a boundary into the next part instead left
 * each segment's buffered range ending up to one AAC frame (21 ms) short of the segment's end: hls.js,
 * looking up what to load next by buffered end after its start-up seek, then found the same segment's
 * last part again, reloaded it in a loop, stalled, raised its target latency by a second and played
 * from seconds behind (measured: 7.7 s instead of 0.67 s). The ≤ 21 ms of video a part may start with
 * before its first audio frame is a gap hls.js skips.
 * All timestamps are already on the output timeline: video in 90 kHz ticks, audio as a running sample
 * count in the audio sample rate (so AAC frames stay contiguous despite FLV's millisecond rounding).
 */
import { buildAdtsHeader, type AacConfig } from '../../media/aac';
import { avccToAnnexB, normalizeAvccLengths, buildAvcDecoderConfigurationRecord, type AvcDecoderConfig, type AvcSpsInfo } from '../../media/avc';
import { AUDIO_TRACK_ID, VIDEO_TIMESCALE, VIDEO_TRACK_ID, buildFragment, buildId3Emsg, buildInitSegment } from '../../media/fmp4';
import { TsMuxer } from '../../media/mpegts';

export interface VideoFrame {
  dts: number;
  pts: number;
  keyframe: boolean;
  /** Length-prefixed NAL units as they came in the FLV tag. */
  avcc: Buffer;
}

export interface AudioFrame {
  /** Start time in audio samples (sample-rate ticks). */
  time: number;
  /** Samples this frame decodes to (1024 for AAC-LC). */
  duration: number;
  /** One raw AAC frame. */
  data: Buffer;
}

export interface TrackConfig {
  video: { config: AvcDecoderConfig; sps: AvcSpsInfo };
  audio?: AacConfig;
}

export interface PartWriter {
  readonly extension: 'ts' | 'm4s';
  /** The fMP4 init segment for the current configuration; undefined for TS. */
  initSegment(): Buffer | undefined;
  /** A new decoder configuration (takes effect for frames added after it). */
  configure(tracks: TrackConfig): void;
  addVideo(frame: VideoFrame): void;
  addAudio(frame: AudioFrame): void;
  addId3(tag: Buffer, pts: number): void;
  /** Closes the open part; `nextVideoDts` gives the last video frame its duration. */
  finishPart(nextVideoDts: number): Buffer;
}

/** Audio sample ticks → 90 kHz. */
function audioTicksTo90k(time: number, sampleRate: number): number {
  return Math.round((time * VIDEO_TIMESCALE) / sampleRate);
}

/** How many leading frames start before `ticks90k` (frames stay in arrival order; stop at the first that does not). */
function prefixStartingBefore(frames: readonly AudioFrame[], ticks90k: number, sampleRate: number): number {
  let count = 0;
  while (count < frames.length && audioTicksTo90k(frames[count]!.time, sampleRate) < ticks90k) count++;
  return count;
}

export class TsPartWriter implements PartWriter {
  readonly extension = 'ts';
  private readonly muxer: TsMuxer;
  private chunks: Buffer[] = [];
  private pendingAudio: AudioFrame[] = [];

  constructor(private tracks: TrackConfig) {
    this.muxer = new TsMuxer({ video: true, audio: !!tracks.audio, id3: true });
  }

  initSegment(): undefined {
    return undefined;
  }

  configure(tracks: TrackConfig): void {
    const audioChanged = !!tracks.audio !== !!this.tracks.audio;
    this.tracks = tracks;
    if (audioChanged) this.muxer.setTracks({ video: true, audio: !!tracks.audio, id3: true });
  }

  private open(): void {
    if (this.chunks.length === 0) this.chunks.push(this.muxer.programTables());
  }

  addVideo(frame: VideoFrame): void {
    this.open();
    const { config } = this.tracks.video;
    const annexB = avccToAnnexB(frame.avcc, config.nalLengthSize, frame.keyframe ? config : undefined);
    // The video PES first: a part must start on the packet that starts a video PES.
    this.chunks.push(this.muxer.videoPes(annexB, frame.pts, frame.dts, frame.keyframe));
    this.flushAudio();
  }

  addAudio(frame: AudioFrame): void {
    if (!this.tracks.audio) return;
    this.pendingAudio.push(frame);
    // Keep PES sizes modest when video is sparse.
    if (this.pendingAudio.length >= 8) {
      this.open();
      this.flushAudio();
    }
  }

  addId3(tag: Buffer, pts: number): void {
    this.open();
    this.chunks.push(this.muxer.id3Pes(tag, pts));
  }

  /** Writes pending audio as one PES; with `startingBefore`, only the frames that start before then. */
  private flushAudio(startingBefore?: number): void {
    const audio = this.tracks.audio;
    if (!audio || this.pendingAudio.length === 0) return;
    const count = startingBefore === undefined ? this.pendingAudio.length : prefixStartingBefore(this.pendingAudio, startingBefore, audio.sampleRate);
    if (count === 0) return;
    const take = this.pendingAudio.slice(0, count);
    this.pendingAudio = this.pendingAudio.slice(count);
    const adts = Buffer.concat(take.flatMap((f) => [buildAdtsHeader(audio, f.data.length), f.data]));
    this.chunks.push(this.muxer.audioPes(adts, audioTicksTo90k(take[0]!.time, audio.sampleRate)));
  }

  finishPart(nextVideoDts: number): Buffer {
    this.open();
    this.flushAudio(nextVideoDts);
    const part = Buffer.concat(this.chunks);
    this.chunks = [];
    return part;
  }
}

export class Fmp4PartWriter implements PartWriter {
  readonly extension = 'm4s';
  private video: VideoFrame[] = [];
  private audio: AudioFrame[] = [];
  private emsgs: Buffer[] = [];
  private sequence = 1;
  private emsgId = 1;
  private init: Buffer;

  constructor(private tracks: TrackConfig) {
    this.init = this.buildInit();
  }

  private buildInit(): Buffer {
    const { config, sps } = this.tracks.video;
    const audio = this.tracks.audio;
    return buildInitSegment(
      { width: sps.width, height: sps.height, avcC: buildAvcDecoderConfigurationRecord(config.sps, config.pps) },
      audio ? { sampleRate: audio.sampleRate, channels: audio.channels, audioSpecificConfig: audio.raw } : undefined,
    );
  }

  initSegment(): Buffer {
    return this.init;
  }

  configure(tracks: TrackConfig): void {
    this.tracks = tracks;
    this.init = this.buildInit();
  }

  addVideo(frame: VideoFrame): void {
    this.video.push({ ...frame, avcc: normalizeAvccLengths(frame.avcc, this.tracks.video.config.nalLengthSize) });
  }

  addAudio(frame: AudioFrame): void {
    if (this.tracks.audio) this.audio.push(frame);
  }

  addId3(tag: Buffer, pts: number): void {
    this.emsgs.push(buildId3Emsg(tag, pts, VIDEO_TIMESCALE, this.emsgId++));
  }

  finishPart(nextVideoDts: number): Buffer {
    const video = this.video;
    const rate = this.tracks.audio?.sampleRate ?? 1;
    const audio = this.audio.slice(0, prefixStartingBefore(this.audio, nextVideoDts, rate));
    this.audio = this.audio.slice(audio.length);
    const runs = [
      {
        trackId: VIDEO_TRACK_ID,
        video: true,
        baseMediaDecodeTime: video[0]?.dts ?? 0,
        samples: video.map((frame, i) => ({
          duration: Math.max(1, (video[i + 1]?.dts ?? nextVideoDts) - frame.dts),
          compositionOffset: frame.pts - frame.dts,
          keyframe: frame.keyframe,
          data: frame.avcc,
        })),
      },
      {
        trackId: AUDIO_TRACK_ID,
        video: false,
        baseMediaDecodeTime: audio[0]?.time ?? 0,
        samples: audio.map((frame, i) => ({ duration: (audio[i + 1]?.time ?? frame.time + frame.duration) - frame.time, data: frame.data })),
      },
    ];
    const part = Buffer.concat([...this.emsgs, buildFragment(this.sequence++, runs)]);
    this.video = [];
    this.emsgs = [];
    return part;
  }
}
