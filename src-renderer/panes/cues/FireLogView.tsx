import { useEffect, useState } from 'react';
import type { CueFire } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { badgeForFire, formatSeconds } from './cue-badge';
import { downloadExport } from './download';

/** Every fire of the show, newest first: time, cue, how it was fired, outcome, delivery, payload. */
export function FireLogView({ canClear }: { canClear: boolean }) {
  const log = useStudio((s) => s.cueLog);
  const load = useStudio((s) => s.loadCueLog);
  const exportLog = useStudio((s) => s.exportCueLog);
  const clear = useStudio((s) => s.clearCueLog);
  const timeout = useStudio((s) => s.cues?.settings.seenTimeoutSeconds ?? 15);
  const [confirmClear, setConfirmClear] = useState(false);
  useEffect(() => {
    void load();
  }, [load]);
  if (!log) return <p className="muted">Loading the fire log…</p>;
  const shown = [...log].reverse();
  return (
    <div className="cue-log">
      <div className="row cue-tools">
        <span className="muted small">
          {log.length} fire{log.length === 1 ? '' : 's'}
          {summary(log)}
        </span>
        <button type="button" onClick={() => void exportLog('csv').then((f) => f && downloadExport(f))}>
          Export CSV
        </button>
        <button type="button" onClick={() => void exportLog('json').then((f) => f && downloadExport(f))}>
          Export JSON
        </button>
        {canClear &&
          (confirmClear ? (
            <button type="button" className="danger" onClick={() => void clear().then(() => setConfirmClear(false))}>
              Clear the log
            </button>
          ) : (
            <button type="button" onClick={() => setConfirmClear(true)}>
              Clear…
            </button>
          ))}
      </div>
      {shown.length === 0 ? (
        <p className="muted">No cue fired yet.</p>
      ) : (
        <table className="cue-log-table" data-testid="cue-log">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Time</th>
              <th scope="col">Cue</th>
              <th scope="col">Via</th>
              <th scope="col">Outcome</th>
              <th scope="col">Accepted</th>
              <th scope="col">Seen</th>
              <th scope="col">Payload</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((fire) => {
              const badge = badgeForFire(fire, timeout);
              return (
                <tr key={fire.fid} data-fid={fire.fid} data-status={fire.status}>
                  <td>{fire.seq}</td>
                  <td>{new Date(fire.firedAt).toLocaleTimeString()}</td>
                  <td>{fire.cueName}</td>
                  <td>{fire.via}</td>
                  <td className={`cue-badge-${badge.tone}`} title={badge.detail}>
                    {badge.label}
                  </td>
                  <td>{fire.acceptMs !== undefined ? formatSeconds(fire.acceptMs) : ''}</td>
                  <td>{fire.deliveryMs !== undefined ? formatSeconds(fire.deliveryMs) : ''}</td>
                  <td>
                    <code className="cue-log-payload" title={fire.payload}>
                      {fire.payload}
                    </code>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

function summary(log: CueFire[]): string {
  const delivered = log.filter((f) => f.deliveryMs !== undefined).map((f) => f.deliveryMs!).sort((a, b) => a - b);
  const failed = log.filter((f) => f.status === 'failed').length;
  const parts: string[] = [];
  if (delivered.length > 0) parts.push(`${delivered.length} seen, median ${formatSeconds(delivered[Math.floor(delivered.length / 2)]!)}`);
  if (failed > 0) parts.push(`${failed} failed`);
  return parts.length > 0 ? ` · ${parts.join(' · ')}` : '';
}
