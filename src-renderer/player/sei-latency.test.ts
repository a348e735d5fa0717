import { describe, expect, it } from 'vitest';
import { SeiLatencyMeter, STUDIO_SEI_UUID } from './sei-latency';

const stamp = (pts: number, wallMs: number, uuid = STUDIO_SEI_UUID) => ({ pts, uuid, userData: String(wallMs) });

describe('SEI latency meter', () => {
  it('matches shown frames to their stamps by media time and measures display − capture', () => {
    const meter = new SeiLatencyMeter();
    // Demuxed ahead of playback, out of order, with someone else's SEI mixed in.
    meter.addSamples([stamp(10.0333, 1_000_033), stamp(10.0, 1_000_000), stamp(10.0667, 1_000_067), stamp(10.0333, 5, 'aaaaaaaa-0000-0000-0000-000000000000')]);
    expect(meter.frameShown(10.0, 1_000_800)).toBe(800);
    // Remuxing may move a frame's time by a few ms.
    expect(meter.frameShown(10.0363, 1_000_850)).toBe(817);
    // The same frame presented again (a repaint) counts once.
    expect(meter.frameShown(10.0363, 1_000_900)).toBeUndefined();
    // No stamp within half a 60 fps frame: unknown, never guessed.
    expect(meter.frameShown(10.2, 1_001_000)).toBeUndefined();
    expect(meter.take()).toEqual({ samplesMs: [800, 817], seiPresent: true, framesShown: 3 });
    expect(meter.take()).toEqual({ samplesMs: [], seiPresent: true, framesShown: 0 });
  });

  it('a stream whose frames carry no stamp says so', () => {
    const meter = new SeiLatencyMeter();
    meter.addSamples([{ pts: 1, uuid: STUDIO_SEI_UUID, userData: 'not a number' }, { pts: 2 }]);
    meter.frameShown(1, 5000);
    meter.frameShown(2, 5033);
    expect(meter.take()).toEqual({ samplesMs: [], seiPresent: false, framesShown: 2 });
  });

  it('reset forgets the old timeline', () => {
    const meter = new SeiLatencyMeter();
    meter.addSamples([stamp(3, 100)]);
    meter.reset();
    expect(meter.stampAt(3)).toBeUndefined();
  });
});
