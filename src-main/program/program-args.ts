/**
 * The program ffmpeg's whole command line, from the compiled graph and the encoder settings. Pure.
 * The encoded program leaves on stdout as FLV; no output URL (and so no stream key) is ever in argv.
 */
import type { EncoderSettings } from '../contract/domains/program';
import type { Canvas } from '../contract/domains/scenes';
import type { ProgramGraph } from '../compose/program-graph';
import { buildAudioEncoderArgs, buildVideoEncoderArgs, type VideoEncoderKind } from '../encode/encoder-args';

export interface ProgramArgsPlan {
  graph: ProgramGraph;
  /** Where the filtergraph is written (`-filter_complex_script`): no length limit, nothing long in `ps`. */
  graphFile: string;
  canvas: Canvas;
  settings: EncoderSettings;
  videoEncoder: VideoEncoderKind;
  /** 'stdin' leaves stdin open for ffmpeg's command mode; 'zmq' closes it (-nostdin). */
  commandMode: 'zmq' | 'stdin';
  /** fd of the `-progress` pipe. */
  progressFd: number;
  /** More outputs after the encoded program (the program monitor's taps, on pipes of their own). */
  extraOutputArgs?: string[];
}

export function buildProgramArgs(plan: ProgramArgsPlan): string[] {
  const { graph, canvas, settings } = plan;
  return [
    '-hide_banner',
    '-loglevel', 'level+warning',
    '-nostats',
    ...(plan.commandMode === 'zmq' ? ['-nostdin'] : []),
    '-progress', `pipe:${plan.progressFd}`,
    '-stats_period', '1',
    ...graph.inputs.flatMap((input) => input.args),
    '-filter_complex_script', plan.graphFile,
    '-map', `[${graph.videoOut}]`,
    '-map', `[${graph.audioOut}]`,
    ...buildVideoEncoderArgs(plan.videoEncoder, settings, canvas),
    ...buildAudioEncoderArgs(settings),
    // Constant frame rate out: a late capture frame is duplicated, a surplus one dropped (both counted in stats).
    '-fps_mode', 'cfr',
    '-r', String(canvas.fps),
    '-max_muxing_queue_size', '1024',
    '-f', 'flv',
    '-flvflags', 'no_duration_filesize',
    // Each packet leaves at once: the output and the recorder see frames as soon as they are encoded.
    '-flush_packets', '1',
    'pipe:1',
    ...(plan.extraOutputArgs ?? []),
  ];
}
