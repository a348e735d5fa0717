import type { ProgramState, ProgramStats } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';

const phaseLabels: Record<ProgramState['phase'], string> = { idle: 'Program off', starting: 'Starting…', running: 'Program running', stopping: 'Stopping…' };

function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The program's own controls: start/stop the long-lived pipeline, record it, and its figures every
 * second (frame rate, dropped/duplicated frames, encoder speed, CPU of its ffmpeg processes).
 */
export function ProgramBar() {
  const program = useStudio((s) => s.program);
  const stats = useStudio((s) => s.programStats);
  const busy = useStudio((s) => s.programBusy);
  const start = useStudio((s) => s.startProgram);
  const stop = useStudio((s) => s.stopProgram);
  const startRecording = useStudio((s) => s.startRecording);
  const stopRecording = useStudio((s) => s.stopRecording);
  if (!program) return null;
  const running = program.phase === 'running';
  const recording = program.recording.phase !== 'idle';
  return (
    <div className="program-bar">
      <div className="row">
        <span className={`program-phase program-phase-${program.phase}`} role="status" aria-live="polite" data-testid="program-state" data-phase={program.phase}>
          {phaseLabels[program.phase]}
        </span>
        {program.phase === 'idle' || program.phase === 'starting' ? (
          <button type="button" onClick={() => void start()} disabled={busy !== undefined || program.phase === 'starting'} data-testid="program-start">
            Start program
          </button>
        ) : (
          <button type="button" onClick={() => void stop()} disabled={busy !== undefined || program.phase === 'stopping'} data-testid="program-stop">
            Stop program
          </button>
        )}
        {recording ? (
          <button type="button" className="record-on" onClick={() => void stopRecording()} disabled={busy === 'record'} data-testid="record-stop">
            Stop recording
          </button>
        ) : (
          <button type="button" onClick={() => void startRecording()} disabled={busy !== undefined || program.phase === 'stopping'} data-testid="record-start" title="Records the program to a crash-safe MP4 in the data folder">
            Record
          </button>
        )}
        {program.videoEncoder && <span className="muted small">{program.videoEncoder} · {program.commandMode} commands</span>}
      </div>
      {program.recording.file && (
        <p className="small" data-testid="recording-file" data-phase={program.recording.phase}>
          {recording ? 'Recording to' : 'Last recording:'} <code>{program.recording.file}</code> ({formatBytes(program.recording.bytes)})
        </p>
      )}
      {program.recording.lastError && <p className="error small">{program.recording.lastError.message}</p>}
      {program.needsRestart && running && <p className="warning small" data-testid="program-needs-restart">Sources or items were added or removed: restart the program to show them.</p>}
      {program.warnings.map((w, i) => (
        <p key={i} className="warning small" data-testid="program-warning">
          {w.message}
        </p>
      ))}
      {program.lastError && program.phase === 'idle' && (
        <p className="error small" data-testid="program-error">
          {program.lastError.message}
          {program.lastError.action ? ` ${program.lastError.action}` : ''}
        </p>
      )}
      {running && stats && <ProgramFigures stats={stats} />}
    </div>
  );
}

function ProgramFigures({ stats }: { stats: ProgramStats }) {
  return (
    <dl className="program-figures small" data-testid="program-stats">
      <dt>fps</dt>
      <dd>{stats.fps.toFixed(1)}</dd>
      <dt>dropped</dt>
      <dd>{stats.droppedFrames}</dd>
      <dt>duplicated</dt>
      <dd>{stats.duplicatedFrames}</dd>
      <dt>speed</dt>
      <dd>{stats.speed.toFixed(2)}×</dd>
      <dt>bitrate</dt>
      <dd>{Math.round(stats.bitrateKbps)} kbps</dd>
      <dt>CPU</dt>
      <dd>{Math.round(stats.cpuPercent)}%</dd>
    </dl>
  );
}
