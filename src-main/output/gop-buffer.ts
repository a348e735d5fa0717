/**
 * What the stream output keeps while it cannot send: the encoded program goes on (capture and the
 * recording never wait for the network), so tags pile up here until the ingest is back.
 *
 * The unit of buffering and dropping is the GOP (a video keyframe and everything up to the next one):
 * a decoder can start at any keyframe, but a GOP with a hole in it shows garbage until the next one.
 * So the buffer starts at a keyframe, grows GOP by GOP, and when it is over its bounds it drops WHOLE
 * GOPs, oldest first. On reconnect it replays the stream headers (onMetaData, AVC and AAC sequence
 * headers) and then the GOPs, so the new session starts decodable.
 *
 * The same rules, applied while connected, are the congestion gate: when the socket backs up, video is
 * dropped until the next keyframe rather than frame by frame.
 */
import type { DroppedFrameCause } from '../contract/domains/stream';
import { isAacSequenceHeader, isAvcSequenceHeader, isVideoKeyframe, type FlvTag } from '../media/flv';

/** Why a video frame never reached the ingest. */
export type DropCause = DroppedFrameCause;

export const DROP_CAUSES: readonly DropCause[] = ['disconnected', 'buffer-full', 'congestion'];

export type DropCounts = Record<DropCause, number>;

export function emptyDropCounts(): DropCounts {
  return { disconnected: 0, 'buffer-full': 0, congestion: 0 };
}

export type TagKind = 'metadata' | 'video-header' | 'audio-header' | 'keyframe' | 'video' | 'audio' | 'data';

const ON_METADATA = Buffer.from([0x02, 0x00, 0x0a, ...Buffer.from('onMetaData', 'latin1')]);
const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame', 'latin1')]);

export function classifyTag(tag: FlvTag): TagKind {
  switch (tag.type) {
    case 'script':
      return tag.data.subarray(0, ON_METADATA.length).equals(ON_METADATA) || tag.data.subarray(0, SET_DATA_FRAME.length).equals(SET_DATA_FRAME)
        ? 'metadata'
        : 'data';
    case 'video':
      if (isAvcSequenceHeader(tag.data)) return 'video-header';
      // Only a coded keyframe (AVC NALU packet) is a place a decoder can start.
      return isVideoKeyframe(tag.data) && (tag.data[1] === 1 || (tag.data[0]! & 0x0f) !== 7) ? 'keyframe' : 'video';
    case 'audio':
      return isAacSequenceHeader(tag.data) ? 'audio-header' : 'audio';
  }
}

const isFrame = (kind: TagKind) => kind === 'keyframe' || kind === 'video';

/** The latest stream headers, in the order a new session needs them. */
export class StreamHeaders {
  private metadata?: FlvTag;
  private video?: FlvTag;
  private audio?: FlvTag;

  /** Remembers the tag if it is a header; returns whether it was one. */
  note(tag: FlvTag, kind: TagKind = classifyTag(tag)): boolean {
    if (kind === 'metadata') this.metadata = tag;
    else if (kind === 'video-header') this.video = tag;
    else if (kind === 'audio-header') this.audio = tag;
    else return false;
    return true;
  }

  get hasVideoHeader(): boolean {
    return this.video !== undefined;
  }

  /** onMetaData, then the AVC and AAC sequence headers, each at timestamp `at`. */
  tags(at = 0): FlvTag[] {
    return [this.metadata, this.video, this.audio].filter((t): t is FlvTag => t !== undefined).map((t) => ({ ...t, timestamp: at }));
  }
}

export interface GopBufferLimits {
  maxBytes: number;
  /** From the oldest buffered keyframe to the newest tag. */
  maxDurationMs: number;
}

/**
 * A few GOPs: enough to bridge a short drop without a visible hole at IVS's 2 s keyframe interval,
 * short enough that what the viewer gets on reconnect is still close to live.
 */
export const defaultGopBufferLimits: GopBufferLimits = { maxBytes: 8 * 1024 * 1024, maxDurationMs: 6000 };

interface Gop {
  tags: FlvTag[];
  bytes: number;
  frames: number;
}

/** Media tags (headers go to StreamHeaders) held as whole GOPs within bounds. */
export class GopBuffer {
  private gops: Gop[] = [];
  private bytes = 0;
  readonly dropped: DropCounts = emptyDropCounts();

  constructor(private readonly limits: GopBufferLimits = defaultGopBufferLimits) {}

  /** Adds a media tag. Before the first keyframe there is nothing a decoder could use: it is dropped. */
  push(tag: FlvTag, kind: TagKind = classifyTag(tag)): void {
    if (kind === 'keyframe') {
      this.gops.push({ tags: [], bytes: 0, frames: 0 });
    }
    const current = this.gops.at(-1);
    if (!current) {
      if (isFrame(kind)) this.dropped.disconnected++;
      return;
    }
    current.tags.push(tag);
    current.bytes += tag.data.length;
    if (isFrame(kind)) current.frames++;
    this.bytes += tag.data.length;
    this.enforceLimits();
  }

  private enforceLimits(): void {
    while (this.gops.length > 0 && (this.bytes > this.limits.maxBytes || this.durationMs > this.limits.maxDurationMs)) {
      const oldest = this.gops.shift()!;
      this.bytes -= oldest.bytes;
      this.dropped['buffer-full'] += oldest.frames;
      // If even the GOP being filled was too big, the frames that follow until the next keyframe are
      // useless too: push() drops them (there is no open GOP) and counts them as 'disconnected'.
    }
  }

  get durationMs(): number {
    const first = this.gops[0]?.tags[0];
    const lastGop = this.gops.at(-1);
    const last = lastGop?.tags.at(-1);
    return first && last ? Math.max(0, last.timestamp - first.timestamp) : 0;
  }

  get bufferedBytes(): number {
    return this.bytes;
  }

  get gopCount(): number {
    return this.gops.length;
  }

  get frameCount(): number {
    return this.gops.reduce((n, g) => n + g.frames, 0);
  }

  /** Takes every buffered tag (starting with a keyframe) and empties the buffer. */
  drain(): FlvTag[] {
    const tags = this.gops.flatMap((g) => g.tags);
    this.gops = [];
    this.bytes = 0;
    return tags;
  }

  clear(): void {
    this.gops = [];
    this.bytes = 0;
  }
}

/**
 * Maps the encoder's timeline onto the one the ingest sees, so that every session the output opens
 * continues the last one without a jump or a step back: the first tag sent ever goes out at 0, and after
 * a gap (frames dropped while disconnected or congested) the resuming keyframe goes out one frame
 * interval after the last video frame sent (never behind the last tag sent: audio interleaved after that
 * frame must not be overtaken). Within a run of sent tags the mapping is a constant shift, so audio/video
 * sync is untouched.
 */
export class TimestampRebaser {
  private offset: number | undefined;
  private lastOut = 0;
  private lastVideoOut: number | undefined;
  private lastVideoIn: number | undefined;
  private frameIntervalMs = 33;

  /** Call with the keyframe a (re)started run of sent tags begins with. */
  resumeAt(keyframeTimestamp: number): void {
    if (this.offset === undefined) {
      this.offset = keyframeTimestamp;
      return;
    }
    // Measured from the last *video* frame: the audio sent after it (up to a frame interval later) is
    // not a frame slot, and counting from it would open a one-frame hole in the picture's timeline.
    const resumeOut = this.lastVideoOut === undefined ? this.lastOut + this.frameIntervalMs : Math.max(this.lastVideoOut + this.frameIntervalMs, this.lastOut);
    this.offset = keyframeTimestamp - resumeOut;
  }

  /** Outgoing timestamp for a tag that is being sent. */
  map(tag: FlvTag, kind: TagKind = classifyTag(tag)): number {
    if (this.offset === undefined) this.offset = tag.timestamp;
    if (isFrame(kind)) {
      if (this.lastVideoIn !== undefined) {
        const delta = tag.timestamp - this.lastVideoIn;
        if (delta > 0 && delta < 1000) this.frameIntervalMs = delta;
      }
      this.lastVideoIn = tag.timestamp;
    }
    const out = Math.max(0, tag.timestamp - this.offset);
    if (out > this.lastOut) this.lastOut = out;
    if (isFrame(kind) && (this.lastVideoOut === undefined || out > this.lastVideoOut)) this.lastVideoOut = out;
    return out;
  }

  /** Frames were skipped: the next mapped video frame interval is not a real frame delta. */
  markGap(): void {
    this.lastVideoIn = undefined;
  }

  get lastTimestamp(): number {
    return this.lastOut;
  }
}

/**
 * While connected: when the socket's unsent backlog exceeds `maxBufferedBytes`, video is dropped from
 * the next frame up to the next keyframe that arrives with the backlog back under the threshold.
 * Audio and data keep flowing (they are small, and a frozen picture with sound beats silence).
 */
export class CongestionGate {
  private dropping = false;

  constructor(private maxBufferedBytes: number) {}

  /** The output adapts the threshold to the program's bitrate as it learns it. */
  setThreshold(bytes: number): void {
    this.maxBufferedBytes = bytes;
  }

  /** Whether to send this tag given the connection's current backlog. */
  admit(kind: TagKind, bufferedBytes: number): boolean {
    if (!isFrame(kind)) return true;
    if (this.dropping && kind === 'keyframe' && bufferedBytes <= this.maxBufferedBytes) this.dropping = false;
    else if (!this.dropping && bufferedBytes > this.maxBufferedBytes) this.dropping = true;
    return !this.dropping;
  }

  get isDropping(): boolean {
    return this.dropping;
  }

  reset(): void {
    this.dropping = false;
  }
}
