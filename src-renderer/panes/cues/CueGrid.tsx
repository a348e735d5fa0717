import { useState, type CSSProperties } from 'react';
import type { Cue, CueFire, CuePage } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { badgeForFire, badgeForRefusal, type CueBadge } from './cue-badge';

export interface CueGridProps {
  page: CuePage;
  /** Edit mode: a click selects the cue instead of firing it. */
  selectedCueId?: string;
  onSelect?: (cueId: string) => void;
  onFire?: (cue: Cue, values?: Record<string, string>) => void;
}

/** The page's buttons, `columns` per row, each with its hotkey and the state of its latest fire. */
export function CueGrid({ page, selectedCueId, onSelect, onFire }: CueGridProps) {
  const [valuesFor, setValuesFor] = useState<string | undefined>();
  const valuesCue = page.cues.find((c) => c.id === valuesFor);
  if (page.cues.length === 0) return <p className="muted">This page has no cues yet{onSelect ? ': add one below.' : '.'}</p>;
  return (
    <>
      <div className="cue-grid" style={{ gridTemplateColumns: `repeat(${page.columns}, minmax(0, 1fr))` }} data-testid="cue-grid">
        {page.cues.map((cue) => (
          <div key={cue.id} className="cue-cell">
            <CueButton cue={cue} selected={cue.id === selectedCueId} onClick={() => (onSelect ? onSelect(cue.id) : onFire?.(cue))} />
            {!onSelect && cue.variables.length > 0 && (
              <button
                type="button"
                className="cue-values-toggle"
                aria-expanded={valuesFor === cue.id}
                aria-label={`Values for ${cue.name}`}
                title="Fire with other values"
                onClick={() => setValuesFor(valuesFor === cue.id ? undefined : cue.id)}
              >
                …
              </button>
            )}
          </div>
        ))}
      </div>
      {valuesCue && onFire && <ValuesForm key={valuesCue.id} cue={valuesCue} onFire={(values) => onFire(valuesCue, values)} onClose={() => setValuesFor(undefined)} />}
    </>
  );
}

function CueButton({ cue, selected, onClick }: { cue: Cue; selected: boolean; onClick: () => void }) {
  const badge = useCueBadge(cue.id);
  const style = { '--cue-color': cue.color } as CSSProperties;
  return (
    <button
      type="button"
      className={`cue-button${selected ? ' cue-button-selected' : ''}`}
      style={style}
      onClick={onClick}
      data-testid={`cue-button-${cue.id}`}
      data-status={badge?.status ?? 'ready'}
      aria-pressed={selected || undefined}
      title={badge?.detail}
    >
      <span className="cue-name">{cue.name}</span>
      {cue.hotkey && <kbd className="cue-hotkey">{cue.hotkey}</kbd>}
      <span className={`cue-badge cue-badge-${badge?.tone ?? 'none'}`} data-testid={`cue-badge-${cue.id}`} data-status={badge?.status ?? 'ready'} aria-live="polite">
        {badge?.label ?? ''}
      </span>
    </button>
  );
}

/** The newest of: the cue's latest fire, or a refusal that came after it. */
export function useCueBadge(cueId: string): CueBadge | undefined {
  const fire: CueFire | undefined = useStudio((s) => s.cues?.latest[cueId]);
  const refusal = useStudio((s) => s.cueRefusals[cueId]);
  const timeout = useStudio((s) => s.cues?.settings.seenTimeoutSeconds ?? 15);
  if (refusal && (!fire || refusal.at > Date.parse(fire.firedAt))) return badgeForRefusal(refusal.error);
  return fire ? badgeForFire(fire, timeout) : undefined;
}

function ValuesForm({ cue, onFire, onClose }: { cue: Cue; onFire: (values: Record<string, string>) => void; onClose: () => void }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(cue.variables.map((v) => [v.name, v.defaultValue])));
  return (
    <form
      className="cue-values"
      aria-label={`Values for ${cue.name}`}
      onSubmit={(event) => {
        event.preventDefault();
        onFire(values);
      }}
    >
      <strong>{cue.name}</strong>
      {cue.variables.map((variable) => (
        <label key={variable.name}>
          <span>{variable.label || variable.name}</span>
          {variable.type === 'choice' ? (
            <select value={values[variable.name]} onChange={(e) => setValues({ ...values, [variable.name]: e.target.value })}>
              {(variable.options ?? []).map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
          ) : (
            <input
              type={variable.type === 'number' ? 'number' : 'text'}
              value={values[variable.name] ?? ''}
              step="any"
              onChange={(e) => setValues({ ...values, [variable.name]: e.target.value })}
            />
          )}
        </label>
      ))}
      <button type="submit">Fire with these values</button>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </form>
  );
}
