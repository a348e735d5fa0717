/**
 * The program pipeline as the monitor sees it: its per-second figures, its processes, its canvas, and
 * the taps (program monitor frames, audio levels). Built from the ProgramEngine and the tap the engine
 * handed to it.
 */
import type { Canvas } from '../contract/domains/scenes';
import type { Event } from '../core/emitter';
import type { ProgramMonitorTap } from './monitor-taps';
import type { ProgramStatsLike, ProgramView } from './monitor-service';

export interface ProgramLike {
  readonly onStats: Event<ProgramStatsLike>;
  readonly pid: number | undefined;
  getState(): { videoEncoder?: string; phase: string };
}

export function programViewOf(program: ProgramLike, tap: ProgramMonitorTap, canvas: () => Canvas): ProgramView {
  return {
    onStats: program.onStats,
    processes: () => (program.pid !== undefined ? [{ label: 'program ffmpeg', pid: program.pid }] : []),
    canvas: () => canvas(),
    encoderName: () => program.getState().videoEncoder,
    onMonitorFrame: tap.onFrame,
    onAudioLevels: tap.onAudioLevels,
    monitorState: () => tap.state(),
    onMonitorStateChange: tap.onStateChange,
  };
}
