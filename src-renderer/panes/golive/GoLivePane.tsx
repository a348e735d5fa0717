import './golive.css';
import { useEffect, useId, useState } from 'react';
import type { OutputStats, StreamSnapshot, StreamState, StreamTargetRequest } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { formatBitrate, formatBytes, formatDuration, stateLabel } from './format';

/**
 * Go Live: one button, with the stream's state next to it (offline, starting, live, reconnecting,
 * stopping), the target it goes to, an optional recording, and the output's figures every second.
 * While reconnecting it says what failed and when the next try is, with "Reconnect now".
 */
export function GoLivePane() {
  const stream = useStudio((s) => s.stream);
  const stats = useStudio((s) => s.outputStats);
  if (!stream) return <p className="muted">Loading…</p>;
  const active = stream.state !== 'offline';
  return (
    <div className="golive-pane" data-testid="golive-pane">
      <StateBanner stream={stream} />
      {active ? <ActiveControls stream={stream} /> : <StartForm />}
      {stream.reconnect && stream.state === 'reconnecting' && <ReconnectInfo stream={stream} />}
      {stats && (active || stats.bytesSent > 0) && <OutputFigures stats={stats} />}
    </div>
  );
}

function StateBanner({ stream }: { stream: StreamSnapshot }) {
  return (
    <div className="row golive-banner">
      <span className={`stream-state stream-state-${stream.state}`} data-testid="stream-state" data-state={stream.state} role="status" aria-live="polite">
        {stateLabel(stream.state)}
      </span>
      {stream.target && (
        <span className="muted small" data-testid="stream-target">
          {stream.target.label} · {stream.target.ingestUrl} · key {stream.target.streamKeyMasked}
        </span>
      )}
    </div>
  );
}

type TargetChoice = 'selected' | 'local-channel';

function StartForm() {
  const selected = useStudio((s) => s.accounts?.selected);
  const start = useStudio((s) => s.startStreaming);
  const busy = useStudio((s) => s.streamBusy);
  const error = useStudio((s) => s.streamError);
  const lastError = useStudio((s) => s.stream?.lastError);
  const [choice, setChoice] = useState<TargetChoice | undefined>(undefined);
  const [record, setRecord] = useState(false);
  const [recordPath, setRecordPath] = useState('');
  const name = useId();
  const target: TargetChoice = choice ?? (selected ? 'selected' : 'local-channel');
  const selectedLabel = selected ? selected.channel?.name || selected.channelArn?.split('/').pop() || selected.ingestUrl : undefined;
  const shownError = error ?? lastError;
  const goLive = () => {
    const request: StreamTargetRequest = target === 'selected' ? { kind: 'selected' } : { kind: 'local-channel' };
    void start(record && recordPath.trim() ? { target: request, recordPath: recordPath.trim() } : { target: request });
  };
  return (
    <div className="golive-form">
      <fieldset className="setting">
        <legend>Stream to</legend>
        <label className="toggle">
          <input type="radio" name={name} checked={target === 'selected'} disabled={!selected} onChange={() => setChoice('selected')} data-testid="target-selected" />
          <span>{selectedLabel ? `Selected channel: ${selectedLabel}` : 'Selected channel (none — pick one in Channel)'}</span>
        </label>
        <label className="toggle">
          <input type="radio" name={name} checked={target === 'local-channel'} onChange={() => setChoice('local-channel')} data-testid="target-local" />
          <span>Local channel (its default channel, for rehearsals)</span>
        </label>
      </fieldset>
      <div className="row golive-record">
        <label className="toggle">
          <input type="checkbox" checked={record} onChange={(e) => setRecord(e.target.checked)} data-testid="record-toggle" />
          <span>Also record to</span>
        </label>
        <input
          type="text"
          aria-label="Recording file"
          placeholder="/path/to/recording.mkv"
          value={recordPath}
          disabled={!record}
          onChange={(e) => setRecordPath(e.target.value)}
          data-testid="record-path"
        />
      </div>
      <div className="row">
        <button type="button" className="go-live-button" disabled={busy === 'start' || (record && !recordPath.trim())} onClick={goLive} data-testid="go-live">
          {busy === 'start' ? 'Connecting…' : 'Go Live'}
        </button>
      </div>
      {shownError && (
        <div className="golive-error" role="alert" data-testid="stream-error" data-code={shownError.code}>
          <p className="error-text">{shownError.message}</p>
          {shownError.action && <p className="small">{shownError.action}</p>}
        </div>
      )}
    </div>
  );
}

function ActiveControls({ stream }: { stream: StreamSnapshot }) {
  const stop = useStudio((s) => s.stopStreaming);
  const busy = useStudio((s) => s.streamBusy);
  const stoppable: StreamState[] = ['starting', 'live', 'reconnecting'];
  return (
    <div className="row">
      <button type="button" className="danger" disabled={!stoppable.includes(stream.state) || busy === 'stop'} onClick={() => void stop()} data-testid="stop-stream">
        {stream.state === 'stopping' ? 'Stopping…' : 'Stop streaming'}
      </button>
      {stream.recordPath && <span className="muted small">Recording to {stream.recordPath}</span>}
    </div>
  );
}

function ReconnectInfo({ stream }: { stream: StreamSnapshot }) {
  const reconnect = useStudio((s) => s.reconnectNow);
  const busy = useStudio((s) => s.streamBusy);
  const now = useNow(stream.state === 'reconnecting');
  const info = stream.reconnect!;
  const nextIn = info.nextAttemptAt ? Math.max(0, Date.parse(info.nextAttemptAt) - now) : undefined;
  return (
    <div className="golive-reconnect" data-testid="reconnect-info">
      <p>
        Connection lost {formatDuration(now - Date.parse(info.droppedAt))} ago · attempt {info.attempt}
        {nextIn !== undefined ? `, next in ${(nextIn / 1000).toFixed(1)} s` : ', trying now…'}
      </p>
      {info.lastError && <p className="small warning-text">{info.lastError.message}</p>}
      <p className="small muted">Capture, encoding and any recording keep running; the last seconds are buffered and sent on reconnect.</p>
      <button type="button" disabled={busy === 'reconnect' || nextIn === undefined} onClick={() => void reconnect()} data-testid="reconnect-now">
        Reconnect now
      </button>
    </div>
  );
}

function OutputFigures({ stats }: { stats: OutputStats }) {
  const lastReconnect = stats.reconnects.durationsMs.at(-1);
  return (
    <dl className="facts golive-figures" data-testid="output-stats">
      <dt>Live for</dt>
      <dd data-testid="stat-uptime">{formatDuration(stats.uptimeMs)}</dd>
      <dt>Bitrate</dt>
      <dd data-testid="stat-bitrate">{formatBitrate(stats.bitrateBps)}</dd>
      <dt>Sent / acknowledged</dt>
      <dd>
        {formatBytes(stats.bytesSent)} / {formatBytes(stats.bytesAcked)}
      </dd>
      <dt>Congestion</dt>
      <dd>
        <meter min={0} max={1} high={0.5} value={Math.min(1, stats.congestion)} aria-label="Send buffer" /> {formatBytes(stats.congestionBytes)} waiting
      </dd>
      <dt>Dropped frames</dt>
      <dd data-testid="stat-dropped">
        {stats.droppedFrames.total}
        {stats.droppedFrames.total > 0 &&
          ` (network ${stats.droppedFrames.congestion}, disconnected ${stats.droppedFrames.disconnected}, buffer full ${stats.droppedFrames['buffer-full']})`}
      </dd>
      <dt>Reconnects</dt>
      <dd data-testid="stat-reconnects">
        {stats.reconnects.count}
        {lastReconnect !== undefined && ` (last took ${formatDuration(lastReconnect)})`}
      </dd>
    </dl>
  );
}

/** Re-renders every 250 ms while `active`, for countdowns. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
