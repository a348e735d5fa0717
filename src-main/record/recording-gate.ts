/**
 * Turns the program's running FLV tag stream into a self-contained FLV for a recording that starts
 * at any moment: nothing until the next video keyframe, then an FLV header, the stream's sequence
 * headers (AVC config, AAC config, metadata) and every tag with timestamps rebased so the file starts
 * at 0. Pure: bytes in order, no I/O.
 */
import { encodeFlvHeader, encodeFlvTag, isAacSequenceHeader, isAvcSequenceHeader, isVideoKeyframe, type FlvTag } from '../media/flv';

export class RecordingGate {
  private base: number | undefined;

  constructor(private readonly headerTags: () => readonly FlvTag[]) {}

  get started(): boolean {
    return this.base !== undefined;
  }

  /** The bytes to append for this tag (possibly none, possibly the file's head too). */
  push(tag: FlvTag): Buffer[] {
    if (this.base === undefined) {
      if (tag.type !== 'video' || !isVideoKeyframe(tag.data) || isAvcSequenceHeader(tag.data)) return [];
      this.base = tag.timestamp;
      const headers = this.headerTags();
      const hasAudio = headers.some((h) => h.type === 'audio');
      const out = [encodeFlvHeader(hasAudio, true)];
      // Metadata first (players read width/height/codecs from it), then the decoder configurations.
      const ordered = [...headers.filter((h) => h.type === 'script'), ...headers.filter((h) => h.type !== 'script')];
      for (const header of ordered) out.push(encodeFlvTag({ ...header, timestamp: 0 }));
      out.push(encodeFlvTag({ ...tag, timestamp: 0 }));
      return out;
    }
    // A configuration repeated mid-stream is passed on; media before the first keyframe was never sent.
    const isHeader = (tag.type === 'video' && isAvcSequenceHeader(tag.data)) || (tag.type === 'audio' && isAacSequenceHeader(tag.data));
    const timestamp = tag.timestamp - this.base;
    if (timestamp < 0) {
      if (!isHeader) return [];
      return [encodeFlvTag({ ...tag, timestamp: 0 })];
    }
    return [encodeFlvTag({ ...tag, timestamp })];
  }
}

/** Remembers the latest metadata and sequence headers of a tag stream, for consumers that join late. */
export class StreamHeaderCache {
  private metadata: FlvTag | undefined;
  private video: FlvTag | undefined;
  private audio: FlvTag | undefined;

  observe(tag: FlvTag): void {
    if (tag.type === 'script') this.metadata = tag;
    else if (tag.type === 'video' && isAvcSequenceHeader(tag.data)) this.video = tag;
    else if (tag.type === 'audio' && isAacSequenceHeader(tag.data)) this.audio = tag;
  }

  tags(): FlvTag[] {
    return [this.metadata, this.video, this.audio].filter((t): t is FlvTag => t !== undefined);
  }

  clear(): void {
    this.metadata = this.video = this.audio = undefined;
  }
}
