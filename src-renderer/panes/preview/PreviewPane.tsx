import './preview.css';
import { useEffect, useRef, useState } from 'react';
import type { PlayerState, PreviewPlayerKind, PreviewSource } from '@contract/studio-api';
import { applyOverlayCue, CueOverlays, parseOverlayCue, type OverlayState } from '../../cues/overlays';
import { createPreviewPlayer } from '../../player/create-player';
import type { PreviewPlayer } from '../../player/preview-player';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { recordStudioEvent } from '../../test-hook/studio-test-hook';
import { formatSeconds, median, playerStateLabel } from './preview-format';

/** What the readout shows, from the player's own last second (the stats dock shows the engine's 5 s median). */
interface Readout {
  glassToGlassMs?: number;
  bufferMs?: number;
  targetMs?: number;
  seiPresent: boolean;
}

/**
 * What viewers see: the channel's playback (hls.js low-latency for the local channel, the IVS player
 * for IVS), muted until the user unmutes, with its state, the glass-to-glass latency measured from
 * our SEI stamps and the player's own buffer latency next to IVS's "under 5 s", and the cue board's
 * overlays as viewers get them.
 */
export function PreviewPane() {
  const preview = useStudio((s) => s.monitor?.preview);
  const customUrl = useStudio((s) => s.monitor?.customPlaybackUrl);
  const streamState = useStudio((s) => s.stream?.state);
  return (
    <div className="preview-pane" data-testid="preview-pane">
      {preview ? <PreviewStage key={`${preview.player}|${preview.playbackUrl}`} source={preview} streamState={streamState} /> : <NoSource streaming={streamState !== undefined && streamState !== 'offline'} />}
      <CustomUrl current={customUrl} />
    </div>
  );
}

function PreviewStage({ source, streamState }: { source: PreviewSource; streamState: string | undefined }) {
  const store = useStudioStore();
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<PreviewPlayer | undefined>(undefined);
  const [state, setState] = useState<{ state: PlayerState; detail?: string }>({ state: 'starting' });
  const [readout, setReadout] = useState<Readout>({ seiPresent: false });
  const [muted, setMuted] = useState(true);
  const [overlays, setOverlays] = useState<OverlayState>({});

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const player = createPreviewPlayer(source.player, video, {
      onState: (next, detail) => {
        setState({ state: next, ...(detail ? { detail } : {}) });
        recordStudioEvent('ui:preview-state', { state: next, detail });
      },
      onReport: (report) => {
        store.getState().reportLatency(report);
        const glassToGlassMs = report.seiPresent ? median(report.samplesMs) : undefined;
        const next: Readout = { seiPresent: report.seiPresent };
        if (glassToGlassMs !== undefined) next.glassToGlassMs = glassToGlassMs;
        if (report.bufferMs !== undefined) next.bufferMs = report.bufferMs;
        if (report.targetMs !== undefined) next.targetMs = report.targetMs;
        setReadout(next);
        recordStudioEvent('ui:preview-latency', { ...next, state: report.state, samples: report.samplesMs.length, at: Date.now() });
      },
      onCue: (text, shownAt) => {
        const cue = parseOverlayCue(text);
        if (cue) setOverlays((current) => applyOverlayCue(current, cue));
        recordStudioEvent('ui:preview-cue', { text, shownAt });
        // The cue board learns its cue reached a player ("delivered +x s").
        void store.connection.invoke('cues:report-seen', { text, shownAt, player: 'preview' });
      },
    });
    playerRef.current = player;
    if (window.__studioTest) (window as unknown as { __studioPreview?: PreviewPlayer }).__studioPreview = player;
    player.load(source.playbackUrl);
    return () => {
      player.dispose();
      playerRef.current = undefined;
    };
  }, [source.player, source.playbackUrl, store]);

  // The studio went live again (or started): look for the stream at once rather than at the next retry.
  const lastStream = useRef(streamState);
  useEffect(() => {
    if (lastStream.current !== 'live' && streamState === 'live' && state.state !== 'playing') playerRef.current?.reload();
    lastStream.current = streamState;
  }, [streamState, state.state]);

  useEffect(() => {
    if (videoRef.current) videoRef.current.muted = muted;
  }, [muted]);

  const g2g = readout.glassToGlassMs;
  const level = g2g === undefined ? 'none' : g2g >= 5000 ? 'danger' : g2g >= 3000 ? 'warning' : 'ok';
  return (
    <>
      <div className="preview-stage">
        <video ref={videoRef} muted playsInline autoPlay aria-label={`Preview of ${source.label}`} data-testid="preview-video" />
        <div className="preview-overlays">
          <CueOverlays state={overlays} />
        </div>
        <span className={`preview-state preview-state-${state.state}`} data-testid="preview-state" data-state={state.state} role="status" aria-live="polite" title={state.detail}>
          {playerStateLabel(state.state)}
        </span>
        <button type="button" className="preview-mute" onClick={() => setMuted(!muted)} aria-pressed={!muted} aria-label={muted ? 'Unmute the preview' : 'Mute the preview'}>
          <SpeakerIcon muted={muted} />
        </button>
        {state.state !== 'playing' && <div className="video-message preview-message">{stateMessage(state.state, state.detail, streamState)}</div>}
        <div className="preview-readout" data-testid="latency-readout" data-level={level} data-ms={g2g ?? ''} data-sei={readout.seiPresent ? 'yes' : 'no'}>
          {state.state === 'playing' && !readout.seiPresent ? (
            <span className="readout-none">No SEI stamps in this stream: glass-to-glass latency unknown</span>
          ) : (
            <span className="readout-main" title="Glass-to-glass: from capture to this screen, measured from the SEI wall-clock stamps">
              <strong>{g2g !== undefined ? formatSeconds(g2g) : '–'}</strong> glass-to-glass
            </span>
          )}
          <span className="readout-detail" data-testid="buffer-readout" data-ms={readout.bufferMs ?? ''}>
            buffer {readout.bufferMs !== undefined ? formatSeconds(readout.bufferMs) : '–'}
            {readout.targetMs !== undefined && ` (target ${formatSeconds(readout.targetMs)})`}
          </span>
          <span className="readout-target" title="IVS advertises under 5 s end to end">IVS &lt; 5 s</span>
        </div>
      </div>
      <p className="preview-source small muted">
        {source.player === 'ivs-player' ? 'IVS player' : 'hls.js low-latency'} · {source.label}
        {source.problem && <span className="warning-text"> · {source.problem}</span>}
      </p>
    </>
  );
}

function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
      <path d="M2 6h3l4-3v10l-4-3H2z" fill="currentColor" />
      {muted ? <path d="M11 6l4 4m0-4l-4 4" stroke="currentColor" strokeWidth="1.5" /> : <path d="M11 5.5a3.5 3.5 0 010 5M12.5 3.5a6 6 0 010 9" stroke="currentColor" strokeWidth="1.3" fill="none" />}
    </svg>
  );
}

function stateMessage(state: PlayerState, detail: string | undefined, streamState: string | undefined): string {
  if (state === 'error') return detail ?? 'The preview cannot play this stream.';
  if (state === 'reconnecting') return 'The stream dropped: reconnecting…';
  if (state === 'offline') return streamState === 'live' ? 'Waiting for the stream to reach the channel…' : 'The channel is offline. Go live to see what viewers see.';
  return 'Loading the stream…';
}

function NoSource({ streaming }: { streaming: boolean }) {
  return (
    <div className="preview-stage preview-empty">
      <div className="video-message preview-message">
        {streaming ? 'This target has no playback URL the studio knows: enter one below.' : 'No channel to preview yet: select one in Channel, or go live to the local channel.'}
      </div>
    </div>
  );
}

function CustomUrl({ current }: { current: string | undefined }) {
  const setPreviewUrl = useStudio((s) => s.setPreviewUrl);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(current ?? '');
  const [player, setPlayer] = useState<'auto' | PreviewPlayerKind>('auto');
  if (!open) {
    return (
      <div className="preview-custom row small">
        {current && <span className="muted">Custom URL</span>}
        <button type="button" className="preview-link" onClick={() => setOpen(true)}>
          {current ? 'Change playback URL…' : 'Play another URL…'}
        </button>
        {current && (
          <button type="button" className="preview-link" onClick={() => void setPreviewUrl(null)}>
            Back to the channel
          </button>
        )}
      </div>
    );
  }
  return (
    <form
      className="preview-custom row small"
      aria-label="Preview playback URL"
      onSubmit={(event) => {
        event.preventDefault();
        void setPreviewUrl(value.trim() || null, player === 'auto' ? undefined : player).then((ok) => ok && setOpen(false));
      }}
    >
      <label>
        Playback URL <input type="url" value={value} onChange={(e) => setValue(e.target.value)} placeholder="https://…/playlist.m3u8" size={28} />
      </label>
      <label>
        Player{' '}
        <select value={player} onChange={(e) => setPlayer(e.target.value as 'auto' | PreviewPlayerKind)}>
          <option value="auto">automatic</option>
          <option value="hls.js">hls.js</option>
          <option value="ivs-player">IVS player</option>
        </select>
      </label>
      <button type="submit">Play</button>
      <button type="button" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}
