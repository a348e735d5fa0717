import type { PollCue } from './overlay-model';

/** An open poll: the question and its options (a real app would wire votes to its own backend). */
export function PollOverlay({ cue, onVote }: { cue: PollCue; onVote?: (index: number) => void }) {
  return (
    <section className="cue-overlay cue-overlay-poll" aria-label="Poll" data-overlay="poll" data-fid={cue.fid}>
      <h3>{cue.question}</h3>
      <ol>
        {cue.options.map((option, i) => (
          <li key={i}>
            {onVote ? (
              <button type="button" onClick={() => onVote(i)}>
                {option}
              </button>
            ) : (
              <span>{option}</span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
