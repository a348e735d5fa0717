import { describe, expect, it } from 'vitest';
import type { FlvTag } from '../media/flv';
import { classifyTag, CongestionGate, GopBuffer, StreamHeaders, TimestampRebaser, type TagKind } from './gop-buffer';

/** Tiny synthetic program: `K` keyframe, `P` inter frame, `a` audio; sizes in bytes. */
function tag(kind: 'K' | 'P' | 'a' | 'H' | 'h' | 'M' | 'd', timestamp: number, size = 100): FlvTag {
  const pad = (head: number[]) => Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, size - head.length), 0x55)]);
  switch (kind) {
    case 'K':
      return { type: 'video', timestamp, data: pad([0x17, 0x01, 0, 0, 0]) };
    case 'P':
      return { type: 'video', timestamp, data: pad([0x27, 0x01, 0, 0, 0]) };
    case 'a':
      return { type: 'audio', timestamp, data: pad([0xaf, 0x01]) };
    case 'H':
      return { type: 'video', timestamp, data: Buffer.from([0x17, 0x00, 0, 0, 0, 1, 0x64, 0, 0x1f]) };
    case 'h':
      return { type: 'audio', timestamp, data: Buffer.from([0xaf, 0x00, 0x11, 0x90]) };
    case 'M':
      return { type: 'script', timestamp, data: Buffer.concat([Buffer.from([2, 0, 10]), Buffer.from('onMetaData'), Buffer.from([8, 0, 0, 0, 0])]) };
    case 'd':
      return { type: 'script', timestamp, data: Buffer.concat([Buffer.from([2, 0, 10]), Buffer.from('onCuePoint')]) };
  }
}

/** A program of `gops` GOPs of `frames` frames at 100 ms, one audio tag after each frame. */
function program(gops: number, frames: number, start = 0, size = 100): FlvTag[] {
  const out: FlvTag[] = [];
  for (let g = 0; g < gops; g++) {
    for (let f = 0; f < frames; f++) {
      const t = start + (g * frames + f) * 100;
      out.push(tag(f === 0 ? 'K' : 'P', t, size), tag('a', t + 10, 20));
    }
  }
  return out;
}

const describeTags = (tags: FlvTag[]) => tags.map((t) => `${classifyTag(t)}@${t.timestamp}`);

describe('classifyTag', () => {
  it.each([
    ['K', 'keyframe'],
    ['P', 'video'],
    ['a', 'audio'],
    ['H', 'video-header'],
    ['h', 'audio-header'],
    ['M', 'metadata'],
    ['d', 'data'],
  ] as const)('%s is %s', (kind, expected: TagKind) => {
    expect(classifyTag(tag(kind, 0))).toBe(expected);
  });

  it('treats an AVC end-of-sequence on a keyframe header as a plain video tag, not a start point', () => {
    expect(classifyTag({ type: 'video', timestamp: 0, data: Buffer.from([0x17, 0x02, 0, 0, 0]) })).toBe('video');
  });
});

describe('GopBuffer', () => {
  it.each([
    {
      name: 'starts at the first keyframe; earlier frames are dropped as disconnected',
      input: [tag('P', 0), tag('a', 5), tag('P', 100), ...program(1, 3, 200)],
      limits: { maxBytes: 1e9, maxDurationMs: 1e9 },
      first: 'keyframe@200',
      gops: 1,
      dropped: { disconnected: 2, 'buffer-full': 0, congestion: 0 },
    },
    {
      name: 'keeps whole GOPs within the duration bound, dropping the oldest whole',
      input: program(5, 10), // 5 GOPs of 1 s
      limits: { maxBytes: 1e9, maxDurationMs: 3000 },
      first: 'keyframe@2000',
      gops: 3,
      dropped: { disconnected: 0, 'buffer-full': 20, congestion: 0 },
    },
    {
      name: 'keeps whole GOPs within the byte bound',
      input: program(4, 10, 0, 1000), // ≈10.2 KB per GOP
      limits: { maxBytes: 25_000, maxDurationMs: 1e9 },
      first: 'keyframe@2000',
      gops: 2,
      dropped: { disconnected: 0, 'buffer-full': 20, congestion: 0 },
    },
    {
      name: 'a single GOP larger than the bound is dropped and the rest waits for the next keyframe',
      input: [...program(1, 10, 0, 1000), ...program(1, 2, 1000, 100)],
      limits: { maxBytes: 5000, maxDurationMs: 1e9 },
      first: 'keyframe@1000',
      gops: 1,
      dropped: { disconnected: 5, 'buffer-full': 5, congestion: 0 },
    },
  ])('$name', ({ input, limits, first, gops, dropped }) => {
    const buffer = new GopBuffer(limits);
    for (const t of input) buffer.push(t);
    expect(buffer.gopCount).toBe(gops);
    expect(buffer.dropped).toEqual(dropped);
    expect(buffer.bufferedBytes).toBeLessThanOrEqual(limits.maxBytes);
    const out = buffer.drain();
    expect(describeTags(out)[0]).toBe(first);
    // What comes out is a contiguous tail of the input: nothing inside a kept GOP is missing.
    const start = input.indexOf(out[0]!);
    expect(out).toEqual(input.slice(start));
    expect(buffer.gopCount).toBe(0);
    expect(buffer.bufferedBytes).toBe(0);
  });
});

describe('StreamHeaders', () => {
  it('keeps the latest of each header and replays them metadata-first at the resume time', () => {
    const headers = new StreamHeaders();
    expect(headers.note(tag('h', 0))).toBe(true);
    expect(headers.note(tag('H', 0))).toBe(true);
    expect(headers.note(tag('M', 0))).toBe(true);
    expect(headers.note(tag('K', 0))).toBe(false);
    const newer = tag('H', 5000);
    newer.data[8] = 0x28;
    headers.note(newer);
    expect(headers.tags(700).map((t) => `${classifyTag(t)}@${t.timestamp}`)).toEqual(['metadata@700', 'video-header@700', 'audio-header@700']);
    expect(headers.tags()[1]!.data[8]).toBe(0x28);
  });
});

describe('TimestampRebaser', () => {
  it('starts the first session at 0 and keeps a constant shift while sending', () => {
    const rebaser = new TimestampRebaser();
    const input = program(1, 3, 60_000);
    rebaser.resumeAt(60_000);
    expect(input.map((t) => rebaser.map(t))).toEqual([0, 10, 100, 110, 200, 210]);
  });

  it('continues after a gap one frame interval after the last video frame sent, never stepping back', () => {
    const rebaser = new TimestampRebaser();
    rebaser.resumeAt(0);
    for (const t of program(1, 5, 0)) rebaser.map(t); // last video 400, last audio 410
    rebaser.markGap();
    rebaser.resumeAt(7000); // 6.6 s of frames were lost while disconnected
    const resumed = program(1, 3, 7000).map((t) => rebaser.map(t));
    expect(resumed).toEqual([500, 510, 600, 610, 700, 710]);
    expect(resumed[0]).toBeGreaterThan(410); // after the audio sent before the gap, too
  });

  it('audio sent late in the last frame interval does not push the resumed picture a frame further', () => {
    const rebaser = new TimestampRebaser();
    rebaser.resumeAt(0);
    // 30 fps: the connection dropped after the audio that trails the last frame by 30 ms.
    for (const t of [tag('K', 0), tag('a', 0), tag('P', 33), tag('a', 21), tag('P', 66), tag('a', 43), tag('a', 64), tag('a', 85), tag('a', 96)]) rebaser.map(t);
    rebaser.markGap();
    rebaser.resumeAt(9000);
    expect(rebaser.map(tag('K', 9000))).toBe(99); // 66 + 33 (counting from the audio's 96 would have made it 129)
  });

  it('never resumes behind audio that ran on past the last frame (no step back)', () => {
    const rebaser = new TimestampRebaser();
    rebaser.resumeAt(0);
    for (const t of [tag('K', 0), tag('P', 100), tag('a', 110), tag('a', 250), tag('a', 390)]) rebaser.map(t);
    rebaser.markGap();
    rebaser.resumeAt(5000);
    expect(rebaser.map(tag('K', 5000))).toBe(390);
  });

  it('resuming with the next frame after a short gap yields exactly the next slot', () => {
    const rebaser = new TimestampRebaser();
    rebaser.resumeAt(0);
    for (const t of [tag('K', 0), tag('P', 40), tag('P', 80)]) rebaser.map(t);
    rebaser.markGap();
    rebaser.resumeAt(10_000);
    expect(rebaser.map(tag('K', 10_000))).toBe(120);
  });
});

describe('CongestionGate', () => {
  it.each([
    // [kind, backlog, admitted] in sequence
    {
      name: 'drops video from the first congested frame until a keyframe finds the backlog cleared',
      steps: [
        ['keyframe', 0, true],
        ['video', 100, true],
        ['video', 5000, false],
        ['audio', 5000, true],
        ['video', 0, false], // cleared, but no keyframe yet
        ['keyframe', 4000, false], // keyframe, still congested
        ['video', 0, false],
        ['keyframe', 500, true],
        ['video', 500, true],
      ],
    },
    {
      name: 'never drops audio or data',
      steps: [
        ['audio', 1e9, true],
        ['data', 1e9, true],
        ['metadata', 1e9, true],
      ],
    },
  ] as const)('$name', ({ steps }) => {
    const gate = new CongestionGate(1000);
    expect(steps.map(([kind, backlog]) => gate.admit(kind, backlog))).toEqual(steps.map((s) => s[2]));
  });
});
