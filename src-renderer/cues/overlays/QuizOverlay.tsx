import type { QuizCue } from './overlay-model';

/** A quiz question; when the cue carries the correct answer (the reveal), it is marked. */
export function QuizOverlay({ cue }: { cue: QuizCue }) {
  return (
    <section className="cue-overlay cue-overlay-quiz" aria-label="Quiz" data-overlay="quiz" data-fid={cue.fid}>
      <h3>{cue.question}</h3>
      <ol type="A">
        {cue.answers.map((answer, i) => (
          <li key={i} className={cue.correct === i ? 'cue-overlay-correct' : undefined} aria-label={cue.correct === i ? `${answer} (correct)` : undefined}>
            {answer}
          </li>
        ))}
      </ol>
    </section>
  );
}
