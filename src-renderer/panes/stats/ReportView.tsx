import { useEffect, useRef } from 'react';
import type { ShowReport } from '@contract/studio-api';
import { seconds } from './stats-format';

/**
 * One post-show report as a page: the figures that matter, then the plots (SVG drawn by the engine
 * from the report's numbers, the same as in the HTML file beside it), then reconnects, cues, throttles.
 */
export function ReportView({ report, onClose }: { report: ShowReport; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = dialog.current;
    if (d && !d.open) d.showModal();
  }, []);
  const start = Date.parse(report.startedAt);
  const at = (iso: string) => seconds(Date.parse(iso) - start);
  return (
    <dialog ref={dialog} className="report-dialog" aria-labelledby="report-title" onClose={onClose} data-testid="report-view">
      <header className="report-header">
        <h2 id="report-title">Show report · {report.label}</h2>
        <button type="button" onClick={() => dialog.current?.close()} aria-label="Close the report">
          Close
        </button>
      </header>
      <p className="muted small">
        {new Date(report.startedAt).toLocaleString()} · saved as {report.files.html}
      </p>
      <div className="report-figures">
        <Fig label="duration" value={seconds(report.durationMs)} />
        <Fig label="dropped (network)" value={String(report.dropped.output)} />
        <Fig label="skipped (program)" value={String(report.dropped.programDropped + report.dropped.programDuplicated)} />
        <Fig label="reconnects" value={String(report.reconnects)} />
        <Fig label="latency p50 / p95" value={report.latency.p50Ms !== undefined ? `${seconds(report.latency.p50Ms)} / ${seconds(report.latency.p95Ms ?? 0)}` : 'not measured'} />
        <Fig label="cues fired / seen" value={`${report.cues.fired} / ${report.cues.confirmed}`} />
        <Fig label="throttles" value={String(report.throttles.length)} />
      </div>
      {report.plots.map((plot) => (
        // The engine draws these from numbers only (no script, text escaped): see src-main/monitor/report-plots.ts.
        <figure key={plot.id} className="report-plot" data-plot={plot.id} dangerouslySetInnerHTML={{ __html: plot.svg }} />
      ))}
      <h3>Reconnects</h3>
      {report.reconnectList.length === 0 ? <p className="muted small">None.</p> : <ul>{report.reconnectList.map((r) => <li key={r.at}>at {at(r.at)}: back after {seconds(r.durationMs)}</li>)}</ul>}
      <h3>Cues</h3>
      {report.cues.items.length === 0 ? (
        <p className="muted small">None.</p>
      ) : (
        <ul>
          {report.cues.items.map((c, i) => (
            <li key={i}>
              at {at(c.at)}: {c.label} — {c.failed ? `failed (${c.failed})` : c.confirmedAfterMs !== undefined ? `seen after ${seconds(c.confirmedAfterMs)}` : 'not seen by a player'}
            </li>
          ))}
        </ul>
      )}
      <h3>Throttling</h3>
      {report.throttles.length === 0 ? <p className="muted small">None.</p> : <ul>{report.throttles.map((t, i) => <li key={i}>at {at(t.at)}: {t.what}</li>)}</ul>}
    </dialog>
  );
}

function Fig({ label, value }: { label: string; value: string }) {
  return (
    <div className="report-fig">
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
    </div>
  );
}
