import { formatRemaining, type CountdownCue } from './overlay-model';

/** Time left until `endsAt` (the wall clock the cue carries, so a late joiner sees the real time left). */
export function CountdownOverlay({ cue, nowMs }: { cue: CountdownCue; nowMs: number }) {
  const remaining = cue.endsAtMs - nowMs;
  return (
    <section className="cue-overlay cue-overlay-countdown" aria-label="Countdown" data-overlay="countdown" data-fid={cue.fid}>
      {cue.label && <span className="cue-overlay-label">{cue.label}</span>}
      <time role="timer" aria-live="off">
        {formatRemaining(remaining)}
      </time>
    </section>
  );
}
