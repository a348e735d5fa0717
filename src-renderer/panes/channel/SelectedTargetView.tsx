import { useState } from 'react';
import type { ChannelLiveStatus, SelectedTarget } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';

/** The target the studio streams to: ingest, masked key (reveal on request), rotation, IVS status. */
export function SelectedTargetView() {
  const selected = useStudio((s) => s.accounts?.selected);
  const status = useStudio((s) => s.channelStatus);
  if (!selected) {
    return (
      <section className="selected-target" aria-label="Selected channel" data-testid="selected-target">
        <p className="muted">No channel selected: pick one below, and the studio fetches its ingest and stream key into the keychain.</p>
      </section>
    );
  }
  const showStatus = status && selected.channelArn && status.channelArn === selected.channelArn ? status : undefined;
  return (
    <section className="selected-target" aria-label="Selected channel" data-testid="selected-target" data-channel-arn={selected.channelArn ?? ''}>
      <h3>
        Streaming to {selected.channel?.name || selected.channelArn?.split('/').pop() || 'custom target'}
        {selected.channel && <span className="muted small"> · {selected.channel.type}</span>}
      </h3>
      <dl className="facts">
        <dt>Ingest</dt>
        <dd data-testid="ingest-url">{selected.ingestUrl}</dd>
        <dt>Stream key</dt>
        <dd>
          <StreamKey selected={selected} />
        </dd>
        {selected.channel?.playbackUrl && (
          <>
            <dt>Playback</dt>
            <dd className="small">{selected.channel.playbackUrl}</dd>
          </>
        )}
      </dl>
      {selected.channelArn && <LiveStatus selected={selected} status={showStatus} />}
    </section>
  );
}

function StreamKey({ selected }: { selected: SelectedTarget }) {
  const revealed = useStudio((s) => s.revealedKey);
  const reveal = useStudio((s) => s.revealKey);
  const hide = useStudio((s) => s.hideKey);
  const rotate = useStudio((s) => s.rotateKey);
  const busy = useStudio((s) => s.channelBusy);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const target = selected.channelArn ?? selected.accountId;
  const shown = revealed?.target === target ? revealed.key : undefined;
  return (
    <span className="row wrap">
      <code data-testid="stream-key">{shown ?? selected.streamKeyMasked ?? '(none)'}</code>
      {shown ? (
        <button type="button" onClick={hide}>
          Hide
        </button>
      ) : (
        <button type="button" onClick={() => void reveal(selected.accountId, selected.channelArn)}>
          Reveal
        </button>
      )}
      {selected.channelArn &&
        (confirmRotate ? (
          <>
            <span>The current key stops working at once.</span>
            <button
              type="button"
              className="danger"
              disabled={busy === 'rotate'}
              onClick={() => void rotate(selected.accountId, selected.channelArn!).then(() => setConfirmRotate(false))}
            >
              Rotate now
            </button>
            <button type="button" onClick={() => setConfirmRotate(false)}>
              Cancel
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmRotate(true)}>
            Rotate key…
          </button>
        ))}
    </span>
  );
}

function LiveStatus({ selected, status }: { selected: SelectedTarget; status: ChannelLiveStatus | undefined }) {
  const stop = useStudio((s) => s.stopStream);
  const busy = useStudio((s) => s.channelBusy);
  const [confirmStop, setConfirmStop] = useState(false);
  const state = status?.state ?? 'UNKNOWN';
  return (
    <div className="ivs-status" aria-label="IVS status" data-testid="ivs-status" data-state={state}>
      <p className="row wrap">
        <span className={`badge ivs-state ivs-state-${state.toLowerCase()}`} data-testid="ivs-state">
          IVS: {state === 'LIVE' ? 'LIVE' : state === 'OFFLINE' ? 'Offline' : 'Unknown'}
        </span>
        {status?.health && <span className={status.health === 'STARVING' ? 'warning-text' : 'muted'}>Health {status.health.toLowerCase()}</span>}
        {status?.viewerCount !== undefined && status.viewerCount >= 0 && <span className="muted">{status.viewerCount} viewer{status.viewerCount === 1 ? '' : 's'}</span>}
        {status?.startTime && <span className="muted">since {new Date(status.startTime).toLocaleTimeString()}</span>}
      </p>
      {status?.error && (
        <p className="warning-text small">
          {status.error.message} Next check in {Math.round(status.nextPollMs / 1000)} s.
        </p>
      )}
      {status?.sessionLimit && status.sessionLimit.level !== 'ok' && (
        <p className={status.sessionLimit.level === 'critical' ? 'error-text' : 'warning-text'} data-testid="session-limit">
          {status.sessionLimit.message}
        </p>
      )}
      {state === 'LIVE' && (status?.video || status?.audio) && (
        <dl className="facts" data-testid="ingest-configuration">
          {status.video && (
            <>
              <dt>IVS receives</dt>
              <dd>
                {status.video.codec} {status.video.videoWidth}×{status.video.videoHeight} @ {status.video.targetFramerate} fps, {formatBitrate(status.video.targetBitrate)}
                {status.video.profile ? ` (${status.video.profile}${status.video.level ? ` ${status.video.level}` : ''})` : ''}
              </dd>
            </>
          )}
          {status.audio && (
            <>
              <dt>Audio</dt>
              <dd>
                {status.audio.codec} {status.audio.sampleRate / 1000} kHz, {status.audio.channels} ch, {formatBitrate(status.audio.targetBitrate)}
              </dd>
            </>
          )}
        </dl>
      )}
      {status && status.events.length > 0 && (
        <details>
          <summary>Stream events ({status.events.length})</summary>
          <ol className="link-list small" data-testid="stream-events">
            {status.events.slice(0, 20).map((e, i) => (
              <li key={`${e.eventTime}-${i}`}>
                {e.eventTime ? new Date(e.eventTime).toLocaleTimeString() : ''} {e.name}
                {e.code ? ` (${e.code})` : ''}
              </li>
            ))}
          </ol>
        </details>
      )}
      {state === 'LIVE' &&
        (confirmStop ? (
          <p className="row wrap">
            <span>IVS disconnects the encoder; an encoder set to reconnect may come back.</span>
            <button
              type="button"
              className="danger"
              disabled={busy === 'stop'}
              onClick={() => void stop(selected.accountId, selected.channelArn!).then(() => setConfirmStop(false))}
            >
              Stop the stream
            </button>
            <button type="button" onClick={() => setConfirmStop(false)}>
              Cancel
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirmStop(true)}>
            Stop stream (IVS)…
          </button>
        ))}
    </div>
  );
}

function formatBitrate(bps: number): string {
  if (!bps) return '—';
  return bps >= 1_000_000 ? `${(bps / 1_000_000).toFixed(1)} Mbps` : `${Math.round(bps / 1000)} kbps`;
}
