import { describe, expect, it } from 'vitest';
import { LiveTimeline } from './live-timeline';

function part(timeline: LiveTimeline, msn: number, index: number) {
  timeline.addPart({ msn, index, duration: 0.2, independent: index === 0, data: Buffer.from([msn, index]) });
}

describe('LiveTimeline', () => {
  it('answers blocking-reload positions, treating one-past-the-last part as the next segment (what hls.js asks)', () => {
    const timeline = new LiveTimeline('ts', 6);
    expect(timeline.hasReached(0, 0)).toBe(false);
    timeline.startSegment(0, 0, 0, false);
    part(timeline, 0, 0);
    part(timeline, 0, 1);
    expect(timeline.hasReached(0, 1)).toBe(true);
    expect(timeline.hasReached(0, 2)).toBe(false);
    expect(timeline.hasReached(0, undefined)).toBe(false);
    timeline.completeSegment();
    expect(timeline.hasReached(0, undefined)).toBe(true);
    // Segment 0 has two parts; `_HLS_msn=0&_HLS_part=2` waits for segment 1's first part.
    expect(timeline.hasReached(0, 2)).toBe(false);
    timeline.startSegment(1, 1000, 0, false);
    part(timeline, 1, 0);
    expect(timeline.hasReached(0, 2)).toBe(true);
    expect(timeline.latest()).toEqual({ msn: 1, part: 0 });
  });

  it('wakes waiters on the part they wait for, times out the others, and releases all on dispose', async () => {
    const timeline = new LiveTimeline('ts', 6);
    timeline.startSegment(0, 0, 0, false);
    const waiting = timeline.waitUntil(() => timeline.hasReached(0, 1), 5_000);
    const timingOut = timeline.waitUntil(() => timeline.hasReached(5, 0), 50);
    const released = timeline.waitUntil(() => timeline.hasReached(9, 0), 60_000);
    part(timeline, 0, 0);
    expect(timeline.waiterCount).toBe(3);
    part(timeline, 0, 1);
    expect(await waiting).toBe(true);
    expect(await timingOut).toBe(false);
    expect(timeline.waiterCount).toBe(1);
    timeline.dispose();
    expect(await released).toBe(false);
    expect(timeline.waiterCount).toBe(0);
  });

  it('keeps a window of complete segments, counts discontinuities that slide out, and caches segment bytes', () => {
    const timeline = new LiveTimeline('ts', 2);
    for (let msn = 0; msn < 5; msn++) {
      timeline.startSegment(msn, msn * 1000, 0, msn === 1);
      part(timeline, msn, 0);
      part(timeline, msn, 1);
      timeline.completeSegment();
    }
    expect(timeline.segments.map((s) => s.msn)).toEqual([3, 4]);
    expect(timeline.discontinuitySequence).toBe(1);
    expect(timeline.segmentBytes(timeline.segments[0]!)).toEqual(Buffer.from([3, 0, 3, 1]));
    expect(timeline.bitrates().average).toBeCloseTo((4 * 8) / 0.4, 5);
    timeline.end();
    expect(timeline.hasReached(99, 0)).toBe(true);
  });
});
