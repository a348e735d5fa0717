import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { colourScenes, item, source } from '../../test/support/scene-fixtures';
import type { SceneCollection, SourceId } from '../contract/domains/scenes';
import { buildSourcePlan, type SourcePlan } from '../capture/source-plan';
import { findFfmpeg } from '../ffmpeg/resolve-ffmpeg';
import { compileProgramGraph, itemKey, linearGain } from './program-graph';
import { audioCommands, cutCommands, fadeEndCommands, fadeProgressCommands, fadeStartCommands, itemCommands, structureKey } from './live-commands';

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-graph-'));
afterAll(() => fs.rmSync(workDir, { recursive: true, force: true }));

function plansFor(collection: SceneCollection): Map<SourceId, SourcePlan> {
  return new Map(collection.sources.map((s) => [s.id, buildSourcePlan(s, { platform: 'linux', canvas: collection.canvas, workDir })]));
}

/** Two scenes sharing a tone source, a text and an image; a global microphone. */
function richCollection(): SceneCollection {
  const base = colourScenes(['red', 'blue']);
  base.sources.push(
    source('bars', { kind: 'test-pattern', pattern: 'bars', toneHz: 440 }, { gainDb: -6 }),
    source('title', { kind: 'text', text: 'Live', fontSize: 20, color: '#ffffff', background: '#00000000' }),
    source('unused', { kind: 'test-pattern', pattern: 'grid', toneHz: 880 }),
  );
  base.scenes[0]!.items.push(item('bars-small', 'bars', { x: 160, y: 0, width: 160, height: 90, opacity: 0.5 }), item('title', 'title', { x: 10, y: 140, width: 100, height: 30 }));
  base.scenes[1]!.items.push(item('bars-hidden', 'bars', { visible: false, crop: { top: 10, right: 20, bottom: 0, left: 5 } }));
  return base;
}

describe('compileProgramGraph', () => {
  it('opens each used source once, normalises every input, never the unused ones', () => {
    const collection = richCollection();
    const graph = compileProgramGraph(collection, plansFor(collection));
    const sourcesOpened = graph.inputs.map((i) => i.sourceId);
    expect(sourcesOpened).toEqual([undefined, 'src-red', 'src-blue', 'bars', 'bars', 'title']);
    // every input stream used starts with setpts/asetpts=PTS-STARTPTS
    for (const [index, input] of graph.inputs.entries()) {
      if (input.args.includes('color=c=black:size=320x180:rate=30')) expect(graph.filtergraph).toContain(`[${index}:v]setpts=PTS-STARTPTS`);
    }
    expect(graph.filtergraph).toContain('[3:v:0]setpts=PTS-STARTPTS,split=2[v_s0i1][v_s1i1]');
    expect(graph.filtergraph).toContain(`[4:a:0]asetpts=PTS-STARTPTS,aformat=sample_fmts=fltp:sample_rates=48000:channel_layouts=stereo,volume@src2=volume=${linearGain(-6, false)},asplit=2[a_s0i1][a_s1i1]`);
    expect(graph.filtergraph).not.toContain('880');
  });

  it('names the live-changeable filters for each item and source', () => {
    const collection = richCollection();
    const { targets, filtergraph } = compileProgramGraph(collection, plansFor(collection));
    expect(targets.sceneIndex).toEqual({ 'scene-red': 0, 'scene-blue': 1 });
    expect(targets.items[itemKey('scene-red', 'bars-small')]).toEqual({ alpha: 'lutyuv@s0i1a', crop: 'crop@s0i1c', scale: 'scale@s0i1s', overlay: 'overlay@s0i1o', hiddenX: 384, audio: 'volume@s0i1v' });
    expect(targets.sourceVolume).toEqual({ bars: 'volume@src2' });
    expect(filtergraph).toContain('lutyuv@s0i1a=a=val*0.5:enable=1');
    // Hidden: overlaid off the canvas (320 wide) rather than switched off.
    expect(filtergraph).toContain('overlay@s1i1o=x=384:y=0:eof_action=pass:repeatlast=1[');
    expect(filtergraph).toContain('crop@s1i1c=w=max(2\\,iw-5-20):h=max(2\\,ih-10-0):x=5:y=10,null,scale@s1i1s');
    expect(filtergraph).toContain('[a_s1i1]volume@s1i1v=volume=0[am_s1i1]');
    expect(filtergraph).toContain('[pv0][pv1]streamselect@program=inputs=2:map=0[pgm]');
    expect(filtergraph).toContain('[pgm][nxt]blend@fade=all_mode=normal:all_opacity=1:enable=0[vmix]');
    expect(filtergraph).toContain('[apgm][anxt]amix@fade=inputs=2:weights=1 0:normalize=0[amixsel]');
  });

  it('starts on the saved program scene', () => {
    const collection = { ...colourScenes(['red', 'green', 'blue']), programSceneId: 'scene-blue' };
    expect(compileProgramGraph(collection, plansFor(collection)).filtergraph).toContain('streamselect@program=inputs=3:map=2');
  });

  it('a single scene has no selectors; silence when no source has audio', () => {
    const collection = colourScenes(['green']);
    const graph = compileProgramGraph(collection, plansFor(collection));
    expect(graph.targets.select).toBeUndefined();
    expect(graph.filtergraph).not.toContain('streamselect');
    expect(graph.filtergraph).toContain('anullsrc=r=48000:cl=stereo[sa0]');
    expect(cutCommands(graph.targets, 0)).toEqual([]);
  });

  it('a bottom item filling the canvas from a paced source is the scene picture: no canvas, no overlay', () => {
    const collection = colourScenes(['red']);
    collection.sources.push(source('bars', { kind: 'test-pattern', pattern: 'testsrc', toneHz: 0 }));
    collection.scenes[0]!.items = [item('full', 'bars'), item('box', 'src-red', { width: 40, height: 40 })];
    const graph = compileProgramGraph(collection, plansFor(collection));
    expect(graph.inputs.map((i) => i.sourceId)).toEqual(['src-red', 'bars']);
    expect(graph.inputs.flatMap((i) => i.args).join(' ')).not.toContain('color=c=black');
    expect(graph.filtergraph).not.toContain('[0:v]setpts=PTS-STARTPTS,null[base0]');
    expect(graph.filtergraph).toContain('[v_s0i0]scale=w=320:h=180:flags=bilinear,format=yuv420p[sc0_0]');
    expect(graph.filtergraph).toContain('[sc0_0][it_s0i1]overlay@s0i1o');
    expect(graph.targets.items[itemKey('scene-red', 'full')]).toEqual({});
    // Moving it changes the graph's shape (a restart); a colour (looped, unpaced) never takes this path.
    const moved = structuredClone(collection);
    moved.scenes[0]!.items[0]!.x = 10;
    expect(structureKey(moved)).not.toBe(structureKey(collection));
    expect(compileProgramGraph(colourScenes(['red']), plansFor(colourScenes(['red']))).inputs[0]!.args.join(' ')).toContain('color=c=black');
  });

  it('escapes the zmq address for the filtergraph', () => {
    const collection = colourScenes(['green']);
    const graph = compileProgramGraph(collection, plansFor(collection), { commandAddress: 'tcp://127.0.0.1:5555' });
    expect(graph.filtergraph).toContain('[sc0_0]zmq=bind_address=tcp\\\\://127.0.0.1\\\\:5555,format=yuv420p[vout]');
  });

  it('mixes global audio into every scene', () => {
    const collection = colourScenes(['red', 'green'], { tones: true });
    const graph = compileProgramGraph(collection, plansFor(collection));
    expect(graph.filtergraph).toContain('[amixsel][a_g0]amix=inputs=2:normalize=0,aformat');
  });

  it('the compiled graph runs in the real ffmpeg', async () => {
    const collection = richCollection();
    const graph = compileProgramGraph(collection, plansFor(collection));
    for (const file of graph.files) fs.writeFileSync(path.join(workDir, file.name), file.contents);
    const graphFile = path.join(workDir, 'graph.txt');
    fs.writeFileSync(graphFile, graph.filtergraph);
    const args = ['-hide_banner', '-loglevel', 'error', '-nostdin', ...graph.inputs.flatMap((i) => i.args), '-filter_complex_script', graphFile, '-map', '[vout]', '-map', '[aout]', '-t', '0.5', '-f', 'null', '-'];
    const stderr = await new Promise<string>((resolve, reject) =>
      execFile(findFfmpeg().path, args, { timeout: 30_000 }, (error, _o, err) => (error ? reject(new Error(`${error.message}\n${err}`)) : resolve(err))),
    );
    expect(stderr).toBe('');
  });
});

describe('live commands', () => {
  const collection = richCollection();
  const { targets } = compileProgramGraph(collection, plansFor(collection));

  it('cut: both selectors, video and audio', () => {
    expect(cutCommands(targets, 1)).toEqual(['streamselect@program map 1', 'astreamselect@program map 1', 'streamselect@next map 1', 'astreamselect@next map 1']);
  });

  it('fade: target under the program, opacity steps, then select and blend off in one batch', () => {
    expect(fadeStartCommands(targets, 1)).toEqual(['streamselect@next map 1', 'astreamselect@next map 1', 'blend@fade all_opacity 1', 'blend@fade enable 1', 'amix@fade weights 1 0']);
    expect(fadeProgressCommands(targets, 0.25)).toEqual(['blend@fade all_opacity 0.75', 'amix@fade weights 0.75 0.25']);
    expect(fadeProgressCommands(targets, 1.5)).toEqual(['blend@fade all_opacity 0', 'amix@fade weights 0 1']);
    expect(fadeEndCommands(targets, 1)).toEqual([
      'blend@fade all_opacity 0',
      'streamselect@program map 1',
      'astreamselect@program map 1',
      'blend@fade enable 0',
      'blend@fade all_opacity 1',
      'amix@fade weights 1 0',
    ]);
  });

  it('item: only what changed', () => {
    const key = itemKey('scene-red', 'bars-small');
    const before = collection.scenes[0]!.items[1]!;
    const changed = { ...before, x: 5, width: 100, opacity: 1, visible: false, crop: { top: 1, right: 2, bottom: 3, left: 4 } };
    expect(itemCommands(targets.items[key]!, before, changed)).toEqual([
      'overlay@s0i1o x 384',
      'volume@s0i1v volume 0',
      'lutyuv@s0i1a a val',
      'lutyuv@s0i1a enable 0',
      'crop@s0i1c w max(2,iw-4-2)',
      'crop@s0i1c h max(2,ih-1-3)',
      'crop@s0i1c x 4',
      'crop@s0i1c y 1',
      'scale@s0i1s w 100',
    ]);
    // Moved while hidden: nothing to send for x; shown again: everything else first, back on the canvas last.
    expect(itemCommands(targets.items[key]!, changed, { ...changed, x: 7 })).toEqual([]);
    expect(itemCommands(targets.items[key]!, changed, { ...changed, visible: true, opacity: 0.25 })).toEqual([
      'lutyuv@s0i1a a val*0.25',
      'lutyuv@s0i1a enable 1',
      'overlay@s0i1o x 5',
      'volume@s0i1v volume 1',
    ]);
    expect(itemCommands(targets.items[key]!, before, before)).toEqual([]);
  });

  it('audio: gain as a linear factor, mute as 0', () => {
    expect(audioCommands('volume@src2', { gainDb: -6, muted: false })).toEqual([`volume@src2 volume ${linearGain(-6, false)}`]);
    expect(audioCommands('volume@src2', { gainDb: 6, muted: true })).toEqual(['volume@src2 volume 0']);
    expect(linearGain(0, false)).toBe('1');
  });

  it('structure: live values and scene order do not change it; sources and items do', () => {
    const moved = structuredClone(collection);
    moved.scenes[0]!.items[1]!.x = 99;
    moved.sources[0]!.audio.muted = true;
    moved.programSceneId = 'scene-blue';
    moved.scenes.reverse();
    moved.scenes[0]!.name = 'renamed';
    expect(structureKey(moved)).toBe(structureKey(collection));
    const added = structuredClone(collection);
    added.scenes[1]!.items.push(item('new', 'title'));
    expect(structureKey(added)).not.toBe(structureKey(collection));
  });
});
