/**
 * When was this frame captured? The SEI stamp should say the moment the picture was taken, not when
 * the encoder got round to emitting it (x264's look-ahead, pipe buffering and start-up bursts move
 * that by tens to hundreds of milliseconds, unevenly).
 *
 * The program's media time runs with the wall clock (live sources are captured in real time), so
 * capture time = media time + W0, where W0 is the wall clock of media time 0. Every frame that leaves
 * the encoder bounds W0 from above (it cannot have been captured after it arrived): W0 ≤ arrival −
 * media time. The estimate is the smallest bound seen over a sliding window — the frame that got
 * through fastest — so bursts and stalls do not move it, while a slow drift between the encoder's
 * clock and the wall clock is followed within one window. Never later than the frame's arrival.
 */
export class CaptureClock {
  /** Increasing offsets (arrival − media time) with their arrival times: the front is the window's minimum. */
  private readonly minima: Array<{ at: number; offset: number }> = [];

  constructor(
    private readonly windowMs = 10_000,
    /** A jump of media time against the wall clock bigger than this is a new timeline: start over. */
    private readonly resetAfterMs = 5_000,
  ) {}

  /** Notes that the frame at `mediaTimeMs` arrived at `arrivalMs`; returns its estimated capture time. */
  captureTime(arrivalMs: number, mediaTimeMs: number): number {
    const offset = arrivalMs - mediaTimeMs;
    const front = this.minima[0];
    if (front && offset - front.offset > this.resetAfterMs) this.minima.length = 0;
    while (this.minima.length > 0 && this.minima.at(-1)!.offset >= offset) this.minima.pop();
    this.minima.push({ at: arrivalMs, offset });
    while (this.minima[0]!.at < arrivalMs - this.windowMs) this.minima.shift();
    return Math.round(mediaTimeMs + this.minima[0]!.offset);
  }
}

/** Presentation time of an FLV AVC video tag: its DTS plus the signed 24-bit composition offset. */
export function flvVideoPresentationTime(timestamp: number, data: Buffer): number {
  if (data.length < 5 || (data[0]! & 0x0f) !== 7) return timestamp;
  return timestamp + ((data.readUIntBE(2, 3) << 8) >> 8);
}
