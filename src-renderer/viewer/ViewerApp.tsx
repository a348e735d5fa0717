/**
 * The viewer example page — the reference for app builders: play an IVS channel with hls.js, read
 * the timed metadata from the stream (ID3 PRIV `metadata.live-video.net`), and render the cue
 * board's overlays when the playhead reaches each cue.
 *
 * Opened from the studio (its access token in the URL fragment) it also tells the studio when it
 * showed each cue (`cues:report-seen`), which closes the cue board's loop: "seen in stream +x.x s".
 * Opened anywhere else it is just a player with overlays.
 */
import Hls from 'hls.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { StudioConnection } from '../api/studio-connection';
import { createConnectionForPage } from '../api/create-connection';
import { CueOverlays } from '../cues/overlays/CueOverlays';
import { applyOverlayCue, parseOverlayCue, type OverlayState } from '../cues/overlays/overlay-model';
import { recordStudioEvent } from '../test-hook/studio-test-hook';
import { watchIvsMetadataCues, type ShownCue } from './ivs-metadata-cues';

type PlayerStatus = 'waiting' | 'playing' | 'error';

interface ReceivedCue extends ShownCue {
  kind: string;
  /** The same cue again: the studio re-sends open overlays for viewers who join late. */
  repeat: boolean;
  /** What the studio answered to the report. */
  delivery?: string;
}

const RETRY_MS = 3_000;
/** Once playing, jump to hls.js's live sync point: its target latency (PART-HOLD-BACK) instead of 0.3–1.2 s above it. */
const SEEK_TO_LIVE_AFTER_MS = 1_500;

export function ViewerApp() {
  const playbackUrl = useMemo(() => new URLSearchParams(window.location.search).get('playbackUrl') ?? '', []);
  const connection = useStudioLink();
  const videoRef = useRef<HTMLVideoElement>(null);
  const [status, setStatus] = useState<PlayerStatus>('waiting');
  const [problem, setProblem] = useState<string | undefined>();
  const [overlays, setOverlays] = useState<OverlayState>({});
  const [received, setReceived] = useState<ReceivedCue[]>([]);
  const connectionRef = useRef(connection);
  connectionRef.current = connection;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !playbackUrl) return;
    if (!Hls.isSupported()) {
      setStatus('error');
      setProblem('This browser cannot play HLS with Media Source Extensions.');
      return;
    }
    let hls: Hls | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let seek: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const shown = new Set<string>();

    const onCue = (cue: ShownCue) => {
      const overlay = parseOverlayCue(cue.text);
      if (overlay) setOverlays((state) => applyOverlayCue(state, overlay));
      const identity = overlay?.fid ?? cue.text;
      const repeat = shown.has(identity);
      shown.add(identity);
      const entry: ReceivedCue = { ...cue, kind: overlay?.type ?? 'text', repeat };
      setReceived((list) => [entry, ...list].slice(0, 50));
      recordStudioEvent('viewer:cue', { text: cue.text, fid: overlay?.fid, shownAt: cue.shownAt, repeat });
      // The first sighting is the one that measures delivery; re-sends need no report.
      if (repeat) return;
      void reportSeen(connectionRef.current, cue).then((delivery) => {
        if (!delivery) return;
        setReceived((list) => list.map((c) => (c === entry ? { ...c, delivery } : c)));
      });
    };
    const stopWatching = watchIvsMetadataCues(video, onCue);

    const start = () => {
      if (stopped) return;
      // Catch up (up to 1.5× speed) after a stall instead of staying behind the live edge for good.
      hls = new Hls({ lowLatencyMode: true, maxLiveSyncPlaybackRate: 1.5 });
      hls.on(Hls.Events.ERROR, (_event, data) => {
        if (!data.fatal) return;
        // Offline channels answer 404: wait and try again, as a viewer page does before the show.
        setStatus('waiting');
        setProblem(`${data.details}${data.response?.code ? ` (HTTP ${data.response.code})` : ''}`);
        hls?.destroy();
        hls = undefined;
        retry = setTimeout(start, RETRY_MS);
      });
      hls.loadSource(playbackUrl);
      hls.attachMedia(video);
      void video.play().catch(() => undefined);
    };
    const onPlaying = () => {
      setStatus('playing');
      setProblem(undefined);
      recordStudioEvent('viewer:playing', {});
      if (seek) return;
      seek = setTimeout(() => {
        if (hls?.liveSyncPosition) video.currentTime = hls.liveSyncPosition;
      }, SEEK_TO_LIVE_AFTER_MS);
    };
    video.addEventListener('playing', onPlaying);
    start();
    return () => {
      stopped = true;
      if (retry) clearTimeout(retry);
      if (seek) clearTimeout(seek);
      video.removeEventListener('playing', onPlaying);
      stopWatching();
      hls?.destroy();
    };
  }, [playbackUrl]);

  if (!playbackUrl) {
    return (
      <main className="viewer">
        <h1>Viewer example</h1>
        <p role="alert">
          Add the channel’s playback URL: <code>viewer.html?playbackUrl=https://…m3u8</code>. The cue board links here with its channel filled in.
        </p>
      </main>
    );
  }

  return (
    <main className="viewer">
      <header className="viewer-header">
        <h1>Viewer example</h1>
        <span className={`viewer-status viewer-status-${status}`} role="status" data-testid="viewer-status" data-state={status}>
          {status === 'playing' ? 'Playing' : status === 'waiting' ? 'Waiting for the stream…' : 'Cannot play'}
        </span>
        <span className="viewer-link" data-testid="viewer-link" data-state={connection ? 'reporting' : 'standalone'}>
          {connection ? 'Reporting cues to the studio' : 'Not connected to a studio: cues are shown, not reported'}
        </span>
      </header>
      <div className="viewer-player">
        <video ref={videoRef} muted autoPlay playsInline controls={false} />
        <CueOverlays state={overlays} />
      </div>
      {problem && status !== 'playing' && <p className="viewer-problem">{problem}</p>}
      <section aria-label="Cues received" className="viewer-received">
        <h2>Cues received</h2>
        {received.length === 0 ? (
          <p className="viewer-muted">None yet. Fire a cue on the cue board.</p>
        ) : (
          <ol reversed data-testid="viewer-cues">
            {received.map((cue, i) => (
              <li key={`${cue.shownAt}-${i}`}>
                <span className="viewer-kind">{cue.kind}</span> <code>{cue.text}</code>
                {cue.repeat && <span className="viewer-muted"> · re-sent for late joiners</span>}
                {cue.delivery && <span className="viewer-delivery"> · {cue.delivery}</span>}
              </li>
            ))}
          </ol>
        )}
      </section>
    </main>
  );
}

/** The studio connection when this page was opened with the studio's token; otherwise none. */
function useStudioLink(): StudioConnection | undefined {
  const [connection, setConnection] = useState<StudioConnection | undefined>();
  useEffect(() => {
    // The token leaves the address bar on the first read and is kept in sessionStorage for reloads.
    const choice = createConnectionForPage(window);
    if (!choice.ok) return;
    setConnection(choice.connection);
    return () => {
      setConnection(undefined);
      choice.connection.dispose();
    };
  }, []);
  return connection;
}

async function reportSeen(connection: StudioConnection | undefined, cue: ShownCue): Promise<string | undefined> {
  if (!connection) return undefined;
  const reply = await connection.invoke('cues:report-seen', { text: cue.text, shownAt: cue.shownAt, player: 'viewer page' });
  recordStudioEvent('viewer:reported', { text: cue.text, reply });
  if (!reply.ok) return `not reported: ${reply.error.message}`;
  if (!reply.value.matched) return 'not a cue from this studio';
  return reply.value.deliveryMs !== undefined ? `delivered +${(reply.value.deliveryMs / 1000).toFixed(1)} s after the press` : 'reported';
}
