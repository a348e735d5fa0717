import './program.css';
import { useEffect, useRef, useState } from 'react';
import type { AudioMeter, MonitorView, ProgramMonitorState } from '@contract/studio-api';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { recordStudioEvent } from '../../test-hook/studio-test-hook';
import { meterFill, METER_FLOOR_DB } from './meter-scale';

/**
 * The program monitor: the composed program as the encoder receives it, before it leaves this
 * machine (small JPEG frames tapped from the program's own ffmpeg), with the audio meters beside it.
 * In studio mode the scene in preview is named beside it.
 */
export function ProgramPane() {
  const monitor = useStudio((s) => s.monitor?.programMonitor);
  const collection = useStudio((s) => s.scenes?.collection);
  const studioMode = collection?.studioMode ?? false;
  const programScene = collection?.scenes.find((s) => s.id === collection.programSceneId)?.name;
  const previewScene = collection?.scenes.find((s) => s.id === collection.previewSceneId)?.name;
  const twoViews = studioMode && (monitor?.views.includes('preview') ?? false);
  return (
    <div className="program-pane" data-testid="program-pane">
      <div className="program-row">
        {twoViews && <MonitorPicture view="preview" state={monitor} label={previewScene ? `Preview · ${previewScene}` : 'Preview'} />}
        <MonitorPicture view="program" state={monitor} label={programScene ? `Program · ${programScene}` : 'Program'} />
        <Meters />
      </div>
      {studioMode && previewScene && !twoViews && (
        <p className="small muted program-studio-note">
          Studio mode: <strong>{previewScene}</strong> is in preview; it goes to program with the next transition.
        </p>
      )}
    </div>
  );
}

function MonitorPicture({ view, state, label }: { view: MonitorView; state: ProgramMonitorState | undefined; label: string }) {
  const store = useStudioStore();
  const imgRef = useRef<HTMLImageElement>(null);
  const [hasFrame, setHasFrame] = useState(false);
  const [info, setInfo] = useState<{ fps: number; delayMs?: number }>({ fps: 0 });
  const running = state?.state === 'running';

  useEffect(() => {
    let frames = 0;
    let delays: number[] = [];
    let shown = false;
    const off = store.connection.on('monitor:program-frame', (frame) => {
      if (frame.view !== view || !imgRef.current) return;
      frames++;
      if (frame.capturedAt !== undefined) delays.push(Date.now() - frame.capturedAt);
      imgRef.current.src = `data:image/jpeg;base64,${frame.jpeg}`;
      if (!shown) {
        shown = true;
        setHasFrame(true);
      }
    });
    const timer = setInterval(() => {
      delays.sort((a, b) => a - b);
      const delayMs = delays.length ? delays[Math.floor(delays.length / 2)] : undefined;
      setInfo(delayMs !== undefined ? { fps: frames, delayMs } : { fps: frames });
      if (frames > 0) recordStudioEvent('ui:program-monitor', { view, fps: frames, delayMs });
      frames = 0;
      delays = [];
    }, 1000);
    return () => {
      off();
      clearInterval(timer);
    };
  }, [store, view]);

  useEffect(() => {
    if (!running) setHasFrame(false);
  }, [running]);

  return (
    <figure className="monitor-picture" data-testid={`monitor-${view}`} data-running={running && hasFrame ? 'yes' : 'no'}>
      <img ref={imgRef} alt={`${label}: the composed picture before encoding`} hidden={!running || !hasFrame} />
      {(!running || !hasFrame) && <div className="video-message monitor-message">{running ? 'Waiting for the first frame…' : (state?.reason ?? 'Loading…')}</div>}
      <figcaption>
        <span className="monitor-label">{label}</span>
        {running && hasFrame && (
          <span className="monitor-info" data-testid="monitor-info" data-delay-ms={info.delayMs ?? ''}>
            {info.fps} fps{info.delayMs !== undefined ? ` · ${info.delayMs} ms to screen` : ''}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

/** Peak (bar) and RMS (brighter inner bar) per meter, dBFS, clipping in red. */
function Meters() {
  const levels = useStudio((s) => s.audioLevels);
  const running = useStudio((s) => s.monitor?.programMonitor.state === 'running');
  const [clipHold, setClipHold] = useState<Record<string, number>>({});
  useEffect(() => {
    if (!levels) return;
    const clipped = levels.meters.filter((m) => m.clipped);
    if (clipped.length === 0) return;
    const until = Date.now() + 2000;
    setClipHold((hold) => ({ ...hold, ...Object.fromEntries(clipped.map((m) => [m.id, until])) }));
  }, [levels]);
  const meters: AudioMeter[] = running && levels ? levels.meters : [];
  if (meters.length === 0) return <div className="meters meters-empty" aria-label="Audio meters: no audio yet" />;
  return (
    <div className="meters" role="group" aria-label="Audio meters" data-testid="audio-meters">
      {meters.map((m) => (
        <Meter key={m.id} meter={m} clipping={(clipHold[m.id] ?? 0) > Date.now()} />
      ))}
    </div>
  );
}

function Meter({ meter, clipping }: { meter: AudioMeter; clipping: boolean }) {
  const peak = meterFill(meter.peakDb);
  const rms = meterFill(meter.rmsDb);
  const text = meter.peakDb <= METER_FLOOR_DB ? 'silent' : `peak ${meter.peakDb.toFixed(1)} dBFS, RMS ${meter.rmsDb.toFixed(1)} dBFS`;
  return (
    <div className={`meter${meter.id === 'program' ? ' meter-program' : ''}`} title={`${meter.label}: ${text}${clipping ? ' — clipping' : ''}`} data-meter={meter.id} data-peak={meter.peakDb} data-rms={meter.rmsDb}>
      <span className={`meter-clip${clipping ? ' on' : ''}`} aria-label={clipping ? 'clipping' : undefined} />
      <div className="meter-track" role="meter" aria-label={meter.label} aria-valuemin={METER_FLOOR_DB} aria-valuemax={0} aria-valuenow={Math.max(METER_FLOOR_DB, meter.peakDb)} aria-valuetext={text}>
        <div className="meter-peak" style={{ clipPath: `inset(${((1 - peak) * 100).toFixed(1)}% 0 0 0)` }} />
        <div className="meter-rms" style={{ clipPath: `inset(${((1 - rms) * 100).toFixed(1)}% 0 0 0)` }} />
      </div>
      <span className="meter-name" aria-hidden="true">
        {meter.id === 'program' ? 'PGM' : meter.label.slice(0, 3)}
      </span>
    </div>
  );
}
