import { describe, expect, it } from 'vitest';
import type { IvsView } from '../contract/domains/monitor';
import { findDivergences } from './divergence';

const ivs = (patch: Partial<IvsView>): IvsView => ({ channelArn: 'arn:aws:ivs:us-west-2:000000000000:channel/abc', state: 'LIVE', polledAt: '2026-11-29T00:00:00Z', ...patch });
const video = { codec: 'avc1.64001f', videoWidth: 1280, videoHeight: 720, targetFramerate: 30, targetBitrate: 3_500_000 };

describe('divergences between the studio and IVS', () => {
  it('none when both agree, or IVS is unknown or absent', () => {
    expect(findDivergences({ state: 'live', stateForMs: 60_000, width: 1280, height: 720, fps: 30 }, ivs({ video, health: 'HEALTHY' }))).toEqual([]);
    expect(findDivergences({ state: 'live', stateForMs: 60_000 }, ivs({ state: 'UNKNOWN' }))).toEqual([]);
    expect(findDivergences({ state: 'live', stateForMs: 60_000 }, undefined)).toEqual([]);
  });

  it('live here but offline at IVS counts only after the grace period', () => {
    expect(findDivergences({ state: 'live', stateForMs: 5_000 }, ivs({ state: 'OFFLINE' }))).toEqual([]);
    const [d] = findDivergences({ state: 'live', stateForMs: 20_000 }, ivs({ state: 'OFFLINE' }));
    expect(d).toMatchObject({ id: 'state', level: 'danger' });
    expect(d!.message).toContain('20 s');
  });

  it('IVS live while the studio is not streaming: another encoder', () => {
    expect(findDivergences({ state: 'offline', stateForMs: 30_000 }, ivs({}))[0]).toMatchObject({ id: 'state', level: 'warning' });
  });

  it('starvation, resolution and frame rate', () => {
    const found = findDivergences({ state: 'live', stateForMs: 1000, width: 1920, height: 1080, fps: 60 }, ivs({ video, health: 'STARVING' }));
    expect(found.map((d) => d.id)).toEqual(['health', 'resolution', 'framerate']);
    expect(found[1]!.message).toBe('IVS receives 1280×720; the studio encodes 1920×1080.');
  });
});
