import { describe, expect, it } from 'vitest';
import { CaptureClock, flvVideoPresentationTime } from './capture-clock';

/** [arrival, media time, expected capture time] in sequence. */
const cases: Array<{ name: string; steps: Array<[number, number, number]>; windowMs?: number }> = [
  {
    name: 'a steady encoder: capture = W0 + media time, the fastest frame sets W0',
    steps: [
      [1050, 0, 1050],
      [1090, 33, 1083], // took longer: W0 stays at 1050
      [1130, 67, 1117],
      [1170, 100, 1150],
      [1160, 133, 1160], // got through faster (1027 < 1050): W0 moves down
      [1200, 167, 1194],
    ],
  },
  {
    name: 'a start-up burst does not make early frames look younger than they are',
    steps: [
      [2000, 0, 2000],
      [2300, 33, 2033], // encoder warm-up: emitted 267 ms late
      [2301, 67, 2067],
      [2302, 100, 2100],
      [2133, 133, 2133], // (out of order arrival cannot happen, but a fast one sets the same W0)
    ],
  },
  {
    name: 'drift is followed within one window',
    windowMs: 1000,
    steps: [
      [0, 0, 0],
      [600, 500, 500],
      [1300, 1000, 1100], // the first bound (0) left the window: W0 = 100
      [1960, 1600, 1900], // and then 100 did: W0 = 300
    ],
  },
  {
    name: 'a new timeline (media time starting over) resets the estimate',
    steps: [
      [10_000, 9000, 10_000],
      [10_040, 40, 10_040],
      [10_073, 73, 10_073],
    ],
  },
];

describe('CaptureClock', () => {
  it.each(cases)('$name', ({ steps, windowMs }) => {
    const clock = new CaptureClock(windowMs ?? 10_000);
    expect(steps.map(([arrival, media]) => clock.captureTime(arrival, media))).toEqual(steps.map((s) => s[2]));
  });

  it('never dates a frame after it arrived', () => {
    const clock = new CaptureClock();
    let seed = 3;
    const rand = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let i = 0; i < 2000; i++) {
      const arrival = 5000 + i * 33 + Math.round(rand() * 300);
      expect(clock.captureTime(arrival, i * 33)).toBeLessThanOrEqual(arrival);
    }
  });
});

describe('flvVideoPresentationTime', () => {
  it.each([
    ['no composition offset', [0x17, 1, 0, 0, 0], 1000, 1000],
    ['B-frame reordering +66 ms', [0x27, 1, 0, 0, 66], 1000, 1066],
    ['negative offset', [0x27, 1, 0xff, 0xff, 0xf6], 1000, 990],
    ['not AVC', [0x22, 1, 0, 0, 66], 1000, 1000],
  ] as const)('%s', (_name, bytes, dts, pts) => {
    expect(flvVideoPresentationTime(dts, Buffer.from(bytes))).toBe(pts);
  });
});
