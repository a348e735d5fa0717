import type { ChapterCue } from './overlay-model';

/** The current chapter, as a small label. */
export function ChapterOverlay({ cue }: { cue: ChapterCue }) {
  return (
    <section className="cue-overlay cue-overlay-chapter" aria-label="Chapter" data-overlay="chapter" data-fid={cue.fid}>
      <span>{cue.title}</span>
    </section>
  );
}
