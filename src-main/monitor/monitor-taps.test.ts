import { describe, expect, it } from 'vitest';
import { AstatsParser, combineChannels, MjpegSplitter, planMonitorTaps, studioCommands } from './monitor-taps';

const graph = {
  filtergraph: '[1:a:0]asetpts=PTS-STARTPTS,aformat=x,volume@src0=volume=1.99526,asplit=2[a_s0i0][a_g0];\n[2:a:0]asetpts=PTS-STARTPTS,volume@src1=volume=0,anull[a_g1];\n[vmix]format=yuv420p[vout];\n[amixsel][a_g0][a_g1]amix=inputs=3:normalize=0,aformat=fltp[aout]',
  videoOut: 'vout',
  audioOut: 'aout',
  targets: { sourceVolume: { mic: 'volume@src0', music: 'volume@src1' } },
};
const collection = {
  canvas: { width: 1920, height: 1080, fps: 30 },
  sources: [
    { id: 'mic', name: 'Mic', spec: { kind: 'microphone' as const, device: 'x' }, audio: { gainDb: 6, muted: false } },
    { id: 'cam', name: 'Camera', spec: { kind: 'camera' as const, device: '/dev/video0' }, audio: { gainDb: 0, muted: false } },
    { id: 'music', name: 'Music', spec: { kind: 'media' as const, path: '/x.mp3', loop: true }, audio: { gainDb: 0, muted: true } },
  ],
};

describe('monitor taps', () => {
  it('splits video and audio off after composition and after each source gain, renaming the encoder’s inputs', () => {
    const plan = planMonitorTaps(graph, collection, 4);
    expect(plan.graph.videoOut).toBe('vout_enc');
    expect(plan.graph.audioOut).toBe('aout_enc');
    expect(plan).toMatchObject({ videoFd: 4, pipes: 4, width: 480, height: 270, fps: 10 });
    expect(plan.meters).toEqual([
      { fd: 5, id: 'program', label: 'Program mix' },
      { fd: 6, id: 'mic', label: 'Mic' },
      { fd: 7, id: 'music', label: 'Music' },
    ]);
    const g = plan.graph.filtergraph;
    expect(g).toContain('volume@src0=volume=1.99526,asplit=2[mon_a_volume_src0][mon_r_volume_src0];[mon_r_volume_src0]asplit=2[a_s0i0][a_g0]');
    expect(g).toContain('volume@src1=volume=0,asplit=2[mon_a_volume_src1][mon_r_volume_src1];[mon_r_volume_src1]anull[a_g1]');
    expect(g).toContain('[vout]split=2[vout_enc][mon_v0]');
    expect(g).toContain('[aout]asplit=2[aout_enc][mon_a_program]');
    expect(g).toContain("ametadata=mode=print:direct=1:file='pipe\\:6',anullsink");
    expect(plan.outputArgs).toEqual(['-map', '[mon_v]', '-c:v', 'mjpeg', '-q:v', '7', '-strict', 'unofficial', '-f', 'image2pipe', '-flush_packets', '1', 'pipe:4']);
    // Every label the taps create is consumed exactly once.
    for (const label of ['mon_v0', 'mon_v', 'mon_a_program', 'mon_a_volume_src0', 'mon_r_volume_src0']) {
      expect(g.split(`[${label}]`).length - 1).toBe(label === 'mon_v' ? 1 : 2);
    }
  });

  it('studio mode: a selector of our own over a third copy of each scene, on its own pipe; live switch command', () => {
    const multi = { ...graph, filtergraph: `${graph.filtergraph};\n[sc0_1]split=2[pv0][nv0];\n[base1]split=2[pv1][nv1];\n[pv0][pv1]streamselect@program=inputs=2:map=0[pgm]` };
    const plan = planMonitorTaps(multi, { ...collection, scenes: [{ id: 'a', name: 'A', items: [] }, { id: 'b', name: 'B', items: [] }], previewSceneId: 'b' }, 4);
    expect(plan.studioFd).toBe(5);
    expect(plan.meters[0]!.fd).toBe(6);
    expect(plan.pipes).toBe(5);
    expect(plan.graph.filtergraph).toContain('[sc0_1]split=3[pv0][nv0][mon_sv0]');
    expect(plan.graph.filtergraph).toContain('[base1]split=3[pv1][nv1][mon_sv1]');
    expect(plan.graph.filtergraph).toContain('[mon_sv0][mon_sv1]streamselect@studio=inputs=2:map=1[mon_s0]');
    expect(plan.outputArgs.at(-1)).toBe('pipe:5');
    expect(studioCommands({ previewSceneId: 'a' }, { previewSceneId: 'b' }, { a: 0, b: 1 })).toEqual(['streamselect@studio map 1']);
    expect(studioCommands({ previewSceneId: 'a' }, { previewSceneId: 'a' }, { a: 0, b: 1 })).toEqual([]);
    expect(studioCommands({ previewSceneId: 'a' }, { previewSceneId: 'new' }, { a: 0, b: 1 })).toEqual([]);
    // One scene: nothing to select between, no second picture.
    expect(planMonitorTaps(graph, { ...collection, scenes: [{ id: 'a', name: 'A', items: [] }], previewSceneId: 'a' }, 4).studioFd).toBeUndefined();
  });

  it('never wider than the canvas; even sizes; no faster than the canvas', () => {
    const plan = planMonitorTaps(graph, { ...collection, canvas: { width: 321, height: 181, fps: 5 } }, 4);
    expect(plan).toMatchObject({ width: 320, height: 180, fps: 5 });
  });

  it('splits JPEGs across arbitrary chunk boundaries and skips garbage', () => {
    const a = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 0xff, 0x00, 3, 0xff, 0xd9]);
    const b = Buffer.from([0xff, 0xd8, 0xff, 0xdb, 9, 9, 0xff, 0xd9]);
    const stream = Buffer.concat([Buffer.from([7, 7]), a, b, a]);
    const splitter = new MjpegSplitter();
    const frames: Buffer[] = [];
    for (let i = 0; i < stream.length; i += 3) frames.push(...splitter.push(stream.subarray(i, i + 3)));
    expect(frames).toEqual([a, b, a]);
  });

  it('parses ametadata prints into per-channel readings, -inf as silence', () => {
    const parser = new AstatsParser();
    const text =
      'frame:0    pts:0       pts_time:0\nlavfi.astats.1.Peak_level=-21.072\nlavfi.astats.1.RMS_level=-24.08\nlavfi.astats.2.Peak_level=-inf\nlavfi.astats.2.RMS_level=-inf\n' +
      'frame:1    pts:4800    pts_time:0.1\nlavfi.astats.1.Peak_level=-0.0\nlavfi.astats.1.RMS_level=-3.0\nlavfi.astats.2.Peak_level=-6\nlavfi.astats.2.RMS_level=-9\n';
    const readings = [...parser.push(text.slice(0, 50)), ...parser.push(text.slice(50))];
    expect(readings).toEqual([
      [{ peakDb: -21.1, rmsDb: -24.1 }, { peakDb: -120, rmsDb: -120 }],
      [{ peakDb: -0, rmsDb: -3 }, { peakDb: -6, rmsDb: -9 }],
    ]);
    expect(combineChannels(readings[1]!)).toEqual({ peakDb: -0, rmsDb: -3, clipped: true });
    expect(combineChannels(readings[0]!)).toEqual({ peakDb: -21.1, rmsDb: -24.1, clipped: false });
  });
});
