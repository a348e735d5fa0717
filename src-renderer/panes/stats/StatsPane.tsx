import './stats.css';
import { useState } from 'react';
import type { HealthLevel, IvsView, StudioStats } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { ReportView } from './ReportView';
import { headline, kbps, levelWord, seconds } from './stats-format';

/**
 * The stats dock, every second: the program (fps against its target, skipped frames, encoder speed),
 * the output (bitrate, network drops, reconnects), the measured latency, CPU and memory of the studio
 * and its ffmpeg children — coloured as OBS users know (warning from 1% dropped / under 95% fps,
 * danger from 5% / under 80%) — and IVS's own view beside the studio's, flagging where they disagree.
 * Post-show reports open from here.
 */
export function StatsPane() {
  const stats = useStudio((s) => s.stats);
  const history = useStudio((s) => s.statsHistory);
  const [details, setDetails] = useState(false);
  if (!stats) return <p className="muted">Waiting for the first figures…</p>;
  const problem = headline(stats);
  return (
    <div className="stats-pane" data-testid="stats-pane" data-at={stats.at} data-level={stats.level}>
      <div className={`stats-headline level-${stats.level}`} role="status">
        <span className="dot" aria-hidden="true" />
        <strong>{levelWord(stats.level)}</strong>
        {problem && <span className="stats-problem">{problem}</span>}
      </div>
      <Figures stats={stats} history={history} />
      <IvsComparison stats={stats} />
      <button type="button" className="stats-toggle" aria-expanded={details} onClick={() => setDetails(!details)}>
        {details ? 'Fewer details' : 'Processes & reconnects'}
      </button>
      {details && <Details stats={stats} />}
      <Reports />
    </div>
  );
}

function Figure({ label, value, level = 'ok', sub, testId, state }: { label: string; value: string; level?: HealthLevel; sub?: string; testId: string; state?: string }) {
  return (
    <div className={`figure level-${level}`} data-testid={testId} data-level={level} {...(state ? { 'data-state': state } : {})}>
      <span className="figure-value">{value}</span>
      <span className="figure-label">
        {label}
        {sub && <span className="figure-sub"> · {sub}</span>}
      </span>
    </div>
  );
}

function Figures({ stats, history }: { stats: StudioStats; history: StudioStats[] }) {
  const p = stats.program;
  const o = stats.output;
  const l = stats.latency;
  const bitrateHistory = history.map((h) => h.output?.bitrateKbps ?? 0);
  return (
    <div className="figures">
      <Figure testId="stat-fps" label="fps" value={p?.running ? `${p.fps.toFixed(1)}` : '–'} level={p?.running ? p.fpsLevel : 'ok'} sub={p?.targetFps ? `of ${p.targetFps}` : undefined} />
      <Figure
        testId="stat-skipped"
        label="skipped (program)"
        value={p ? `${p.droppedFrames + p.duplicatedFrames}` : '–'}
        level={p?.skippedLevel}
        sub={p ? `${p.skippedPercent}% · ${p.droppedFrames} dropped, ${p.duplicatedFrames} dup` : undefined}
      />
      <Figure testId="stat-dropped" label="dropped (network)" value={o ? `${o.droppedFrames}` : '–'} level={o?.droppedLevel} sub={o ? `${o.droppedPercent}%` : undefined} />
      <Figure testId="stat-output" state={o?.state ?? 'offline'} label={o ? outputStateLabel(o.state) : 'not streaming'} value={o && o.state !== 'offline' ? kbps(o.bitrateKbps) : '–'} level={o?.state === 'reconnecting' ? 'danger' : 'ok'} sub={o?.reconnects.count ? `${o.reconnects.count} reconnect${o.reconnects.count > 1 ? 's' : ''}` : undefined} />
      <Figure testId="stat-speed" label="encoder speed" value={p?.running ? `${p.speed.toFixed(2)}×` : '–'} level={p?.running && p.speed > 0 && p.speed < 0.95 ? (p.speed < 0.8 ? 'danger' : 'warning') : 'ok'} sub={p?.encoder} />
      <Figure testId="stat-cpu" label="CPU · memory" value={`${Math.round(stats.cpuTotalPercent)}%`} sub={`${Math.round(stats.memoryTotalMb)} MB`} />
      <Figure
        testId="stat-latency"
        label={l.source === 'sei' ? 'glass-to-glass' : l.playerState === 'playing' ? 'no SEI in stream' : 'latency (preview off)'}
        value={l.glassToGlassMs !== undefined ? seconds(l.glassToGlassMs) : '–'}
        level={l.level}
        sub={l.bufferMs !== undefined ? `buffer ${seconds(l.bufferMs)} · IVS < 5 s` : 'IVS < 5 s'}
      />
      <Sparkline values={bitrateHistory} label="Output bitrate, last minute" />
    </div>
  );
}

function outputStateLabel(state: string): string {
  return { offline: 'not streaming', starting: 'starting', live: 'output bitrate', reconnecting: 'reconnecting', stopping: 'stopping' }[state] ?? state;
}

function Sparkline({ values, label }: { values: number[]; label: string }) {
  const max = Math.max(1, ...values);
  const w = 120;
  const h = 26;
  const step = values.length > 1 ? w / (values.length - 1) : w;
  const d = values.map((v, i) => `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)} ${(h - (v / max) * (h - 2) - 1).toFixed(1)}`).join('');
  return (
    <div className="figure sparkline" aria-label={label} role="img">
      <svg viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" width="100%" height={h}>
        {d && <path d={d} fill="none" stroke="currentColor" strokeWidth="1.4" vectorEffect="non-scaling-stroke" />}
      </svg>
      <span className="figure-label">bitrate, 60 s</span>
    </div>
  );
}

function IvsComparison({ stats }: { stats: StudioStats }) {
  const ivs: IvsView | undefined = stats.ivs;
  const local = stats.output?.state ?? 'offline';
  const flagged = new Set(stats.divergences.map((d) => d.id));
  return (
    <table className="ivs-compare" data-testid="ivs-compare">
      <caption className="small muted">Studio vs IVS’s own view</caption>
      <tbody>
        <tr className={flagged.has('state') ? 'diverges' : ''}>
          <th scope="row">State</th>
          <td data-testid="local-state">{local}</td>
          <td data-testid="ivs-state">{ivs ? ivs.state : <span className="muted">not polled</span>}</td>
        </tr>
        {ivs && (
          <>
            <tr className={flagged.has('health') ? 'diverges' : ''}>
              <th scope="row">Health · viewers</th>
              <td>{stats.output ? `${stats.output.droppedPercent}% dropped` : '–'}</td>
              <td>
                {ivs.health ?? '–'} · {ivs.viewerCount ?? 0}
              </td>
            </tr>
            {ivs.video && (
              <tr className={flagged.has('resolution') || flagged.has('framerate') ? 'diverges' : ''}>
                <th scope="row">Ingest</th>
                <td colSpan={2}>
                  {ivs.video.videoWidth}×{ivs.video.videoHeight} @ {ivs.video.targetFramerate} fps, {kbps(ivs.video.targetBitrate / 1000)} {ivs.video.codec}
                  {ivs.audio ? ` · ${ivs.audio.codec} ${ivs.audio.sampleRate / 1000} kHz` : ''}
                </td>
              </tr>
            )}
          </>
        )}
        {stats.divergences.map((d) => (
          <tr key={d.id} className={`divergence level-${d.level}`}>
            <td colSpan={3} role="alert">
              ⚠ {d.message}
            </td>
          </tr>
        ))}
        {ivs?.error && (
          <tr>
            <td colSpan={3} className="small warning-text">
              IVS status: {ivs.error.message}
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function Details({ stats }: { stats: StudioStats }) {
  const o = stats.output;
  return (
    <div className="stats-details">
      <table className="process-table">
        <thead>
          <tr>
            <th>Process</th>
            <th>CPU</th>
            <th>Memory</th>
          </tr>
        </thead>
        <tbody>
          {stats.processes.map((p) => (
            <tr key={`${p.label}-${p.pid}`}>
              <td>
                {p.label} <span className="muted">{p.pid}</span>
              </td>
              <td>{p.cpuPercent.toFixed(0)}%</td>
              <td>{p.memoryMb.toFixed(0)} MB</td>
            </tr>
          ))}
        </tbody>
      </table>
      {o && o.reconnects.durationsMs.length > 0 && <p className="small">Reconnects took {o.reconnects.durationsMs.map((d) => seconds(d)).join(', ')}.</p>}
    </div>
  );
}

function Reports() {
  const reports = useStudio((s) => s.reports);
  const open = useStudio((s) => s.openReport);
  const showReport = useStudio((s) => s.showReport);
  return (
    <section className="stats-reports" aria-label="Post-show reports">
      <h3 className="small">Post-show reports</h3>
      {reports.length === 0 ? (
        <p className="small muted">Each stream leaves one here when it ends.</p>
      ) : (
        <ul className="report-list">
          {reports.slice(0, 5).map((r) => (
            <li key={r.id}>
              <button type="button" className="preview-link" onClick={() => void showReport(r.id)}>
                {new Date(r.startedAt).toLocaleString()} · {seconds(r.durationMs)}
              </button>
              <span className="muted small"> {r.reconnects} reconnects, {r.droppedFrames} dropped</span>
            </li>
          ))}
        </ul>
      )}
      {open && <ReportView report={open} onClose={() => void showReport(undefined)} />}
    </section>
  );
}
