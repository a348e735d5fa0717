import { useEffect, useState } from 'react';
import { ChapterOverlay } from './ChapterOverlay';
import { CountdownOverlay } from './CountdownOverlay';
import { expireOverlays, type OverlayState } from './overlay-model';
import { PollOverlay } from './PollOverlay';
import { ProductOverlay } from './ProductOverlay';
import { QuizOverlay } from './QuizOverlay';
import './overlays.css';

export interface CueOverlaysProps {
  state: OverlayState;
  /** The clock for countdowns; ticks by itself (4×/s) when not given. */
  nowMs?: number;
  onVote?: (index: number) => void;
}

/**
 * Every overlay of the cue board's templates, laid over a player: place it in a positioned box the
 * size of the video. Used by the viewer example page and the preview pane.
 */
export function CueOverlays({ state, nowMs, onVote }: CueOverlaysProps) {
  const ticking = useNow(nowMs === undefined && !!state.countdown);
  const now = nowMs ?? ticking;
  const shown = expireOverlays(state, now);
  return (
    <div className="cue-overlays" data-testid="cue-overlays">
      {shown.chapter && <ChapterOverlay cue={shown.chapter} />}
      {shown.countdown && <CountdownOverlay cue={shown.countdown} nowMs={now} />}
      {shown.poll && <PollOverlay cue={shown.poll} {...(onVote ? { onVote } : {})} />}
      {shown.quiz && <QuizOverlay cue={shown.quiz} />}
      {shown.product && <ProductOverlay cue={shown.product} />}
    </div>
  );
}

function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
