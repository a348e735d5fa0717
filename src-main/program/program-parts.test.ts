import { describe, expect, it } from 'vitest';
import { colourScenes } from '../../test/support/scene-fixtures';
import { buildSourcePlan } from '../capture/source-plan';
import { compileProgramGraph } from '../compose/program-graph';
import { defaultEncoderSettings } from '../encode/encoder-profile';
import { parseZmqReply, stdinCommandLine } from './command-channel';
import { childEnvironment } from './ffmpeg-child';
import { parsePsCpuTime } from './cpu-usage';
import { buildProgramArgs } from './program-args';
import { parseProgressLine, ProgressParser } from './progress';

describe('progress parsing', () => {
  const block = 'frame=90\nfps=29.97\nstream_0_0_q=28.0\nbitrate=3512.4kbits/s\ntotal_size=1318000\nout_time_us=3000000\nout_time_ms=3000000\nout_time=00:00:03.000000\ndup_frames=2\ndrop_frames=1\nspeed=1.01x\nprogress=continue\n';

  it('one line', () => {
    expect(parseProgressLine('speed=1.01x')).toEqual({ key: 'speed', value: '1.01x' });
    expect(parseProgressLine('')).toBeUndefined();
    expect(parseProgressLine('garbage')).toBeUndefined();
  });

  it('a block, in any chunking', () => {
    const expected = { frame: 90, fps: 29.97, bitrateKbps: 3512.4, totalSize: 1318000, outTimeMs: 3000, dupFrames: 2, dropFrames: 1, speed: 1.01, end: false };
    expect(new ProgressParser().pushChunk(block)).toEqual([expected]);
    const parser = new ProgressParser();
    const out = [];
    for (let i = 0; i < block.length; i += 7) out.push(...parser.pushChunk(block.slice(i, i + 7)));
    expect(out).toEqual([expected]);
  });

  it('N/A values read as 0; the last block says end', () => {
    expect(new ProgressParser().pushChunk('frame=0\nbitrate=N/A\nspeed=N/A\nout_time_us=N/A\nprogress=end\n')).toEqual([
      { frame: 0, fps: 0, bitrateKbps: 0, totalSize: 0, outTimeMs: 0, dupFrames: 0, dropFrames: 0, speed: 0, end: true },
    ]);
  });
});

describe('cpu time parsing', () => {
  // /proc/<pid>/stat is read by core/proc-stat (tested there); macOS's ps is read here.
  it('ps time', () => {
    expect(parsePsCpuTime('0:03.25')).toBe(3.25);
    expect(parsePsCpuTime('1:02:03')).toBe(3723);
    expect(parsePsCpuTime('2-01:00:00')).toBe(176400);
    expect(parsePsCpuTime('nonsense')).toBeUndefined();
  });
});

describe('command channel wire formats', () => {
  it('zmq replies', () => {
    expect(parseZmqReply('x', '0 Success')).toEqual({ command: 'x', ok: true, text: 'Success' });
    expect(parseZmqReply('x', '-22 Invalid argument')).toEqual({ command: 'x', ok: false, text: 'Invalid argument' });
    expect(parseZmqReply('x', '-38 Function not implemented\nextra')).toEqual({ command: 'x', ok: false, text: 'Function not implemented' });
  });
  it('stdin command lines', () => {
    expect(stdinCommandLine('streamselect@program map 1')).toBe('cstreamselect@program -1 map 1\n');
    expect(stdinCommandLine('amix@fade weights 0.5 0.5')).toBe('camix@fade -1 weights 0.5 0.5\n');
  });
});

describe('program command line', () => {
  const collection = colourScenes(['red', 'green']);
  const plans = new Map(collection.sources.map((s) => [s.id, buildSourcePlan(s, { platform: 'linux', canvas: collection.canvas, workDir: '/w' })]));
  const graph = compileProgramGraph(collection, plans, { commandAddress: 'ipc:///w/cmd.sock' });
  const args = buildProgramArgs({ graph, graphFile: '/w/program.filtergraph', canvas: collection.canvas, settings: defaultEncoderSettings(), videoEncoder: 'x264', commandMode: 'zmq', progressFd: 3 });

  it('FLV on stdout, progress on fd 3, graph from a file, constant frame rate', () => {
    expect(args.slice(-7)).toEqual(['-f', 'flv', '-flvflags', 'no_duration_filesize', '-flush_packets', '1', 'pipe:1']);
    expect(args).toEqual(expect.arrayContaining(['-progress', 'pipe:3', '-filter_complex_script', '/w/program.filtergraph', '-nostdin', '-fps_mode', 'cfr']));
    expect(args.filter((a) => /^(rtmps?|srt|https?):\/\//.test(a))).toEqual([]);
  });

  it('stdin mode keeps stdin open for commands', () => {
    const stdinArgs = buildProgramArgs({ graph, graphFile: '/w/g', canvas: collection.canvas, settings: defaultEncoderSettings(), videoEncoder: 'x264', commandMode: 'stdin', progressFd: 3 });
    expect(stdinArgs).not.toContain('-nostdin');
  });

  it('children get the capture environment, not the engine secrets', () => {
    const env = childEnvironment({ PATH: '/bin', DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/u', AWS_SECRET_ACCESS_KEY: 'x', STUDIO_TOKEN: 'y' });
    expect(env).toEqual({ PATH: '/bin', DISPLAY: ':0', XDG_RUNTIME_DIR: '/run/u' });
  });
});
