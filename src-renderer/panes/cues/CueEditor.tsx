import { useEffect, useId, useState } from 'react';
import type { Cue, CueBurstPolicy, CuePayloadPreview, CueTemplate, CueTemplateKind, CueVariable, OverlayKind } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { hotkeyFromEvent } from './cue-hotkeys';

export interface CueEditorProps {
  cue: Cue;
  onChange: (cue: Cue) => void;
  /** The live measurement of this cue's next payload (the parent decides whether it can be saved). */
  onPreview?: (preview: CuePayloadPreview | undefined) => void;
}

const KIND_LABELS: Record<CueTemplateKind, string> = {
  text: 'Free text',
  poll: 'Poll',
  product: 'Product card',
  quiz: 'Quiz question',
  chapter: 'Chapter mark',
  countdown: 'Countdown',
  clear: 'Clear overlay',
};

export function templateFor(kind: CueTemplateKind): CueTemplate {
  switch (kind) {
    case 'text':
      return { kind, text: '' };
    case 'poll':
      return { kind, question: '', options: ['', ''] };
    case 'product':
      return { kind, title: '', price: '', imageUrl: '', link: '' };
    case 'quiz':
      return { kind, question: '', answers: ['', ''] };
    case 'chapter':
      return { kind, title: '' };
    case 'countdown':
      return { kind, label: '', seconds: 60 };
    case 'clear':
      return { kind };
  }
}

const lines = (text: string) => text.split('\n');

/**
 * One cue's form: name, colour, hotkey, template fields, typed variables, burst policy, late-joiner
 * re-sends — and the payload it would send next with its exact size, measured by the engine as it
 * will send it. Over 1,024 bytes, it says by how much (the parent keeps Save disabled).
 */
export function CueEditor({ cue, onChange, onPreview }: CueEditorProps) {
  const preview = usePayloadPreview(cue);
  useEffect(() => onPreview?.(preview), [preview, onPreview]);
  const id = useId();
  const set = (patch: Partial<Cue>) => onChange({ ...cue, ...patch });
  const setTemplate = (template: CueTemplate) => set({ template });
  const t = cue.template;
  const overlay = t.kind !== 'text' && t.kind !== 'clear';
  return (
    <form className="cue-editor" aria-label={`Edit cue ${cue.name}`} onSubmit={(e) => e.preventDefault()}>
      <div className="cue-editor-row">
        <label>
          Name
          <input type="text" value={cue.name} maxLength={80} onChange={(e) => set({ name: e.target.value })} />
        </label>
        <label className="cue-editor-narrow">
          Colour
          <input type="color" value={cue.color} onChange={(e) => set({ color: e.target.value })} />
        </label>
        <label className="cue-editor-narrow">
          Hotkey
          <input
            type="text"
            readOnly
            value={cue.hotkey ?? ''}
            placeholder="press keys"
            aria-describedby={`${id}-hotkey`}
            onKeyDown={(e) => {
              if (e.key === 'Tab') return;
              e.preventDefault();
              if (e.key === 'Escape' || e.key === 'Backspace' || e.key === 'Delete') {
                const { hotkey: _removed, ...rest } = cue;
                onChange(rest);
                return;
              }
              const hotkey = hotkeyFromEvent(e.nativeEvent);
              if (hotkey) set({ hotkey });
            }}
          />
        </label>
      </div>
      <p id={`${id}-hotkey`} className="muted small">
        Focus the hotkey box and press the keys; Backspace clears it.
      </p>
      <div className="cue-editor-row">
        <label>
          Template
          <select value={t.kind} onChange={(e) => setTemplate(templateFor(e.target.value as CueTemplateKind))}>
            {(Object.keys(KIND_LABELS) as CueTemplateKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repeated presses
          <select value={cue.burst} onChange={(e) => set({ burst: e.target.value as CueBurstPolicy })}>
            <option value="queue">queue every press</option>
            <option value="coalesce">send only the latest</option>
            <option value="reject">refuse while one waits</option>
          </select>
        </label>
        {overlay && (
          <label className="toggle">
            <input type="checkbox" checked={cue.lateJoiners} onChange={(e) => set({ lateJoiners: e.target.checked })} />
            <span>Re-send for late joiners</span>
          </label>
        )}
      </div>

      {t.kind === 'text' && (
        <label>
          Text
          <textarea rows={3} value={t.text} onChange={(e) => setTemplate({ ...t, text: e.target.value })} data-testid="cue-text" />
        </label>
      )}
      {(t.kind === 'poll' || t.kind === 'quiz') && (
        <>
          <label>
            Question
            <input type="text" value={t.question} onChange={(e) => setTemplate({ ...t, question: e.target.value })} />
          </label>
          <label>
            {t.kind === 'poll' ? 'Options' : 'Answers'} (one per line)
            <textarea
              rows={4}
              value={(t.kind === 'poll' ? t.options : t.answers).join('\n')}
              onChange={(e) => setTemplate(t.kind === 'poll' ? { ...t, options: lines(e.target.value) } : { ...t, answers: lines(e.target.value) })}
            />
          </label>
          {t.kind === 'quiz' && (
            <label>
              Correct answer (sent only when set: fire the question first, then a copy with the answer)
              <select
                value={t.correct === undefined ? '' : String(t.correct)}
                onChange={(e) => {
                  const { correct: _c, ...rest } = t;
                  setTemplate(e.target.value === '' ? rest : { ...rest, correct: Number(e.target.value) });
                }}
              >
                <option value="">not revealed</option>
                {t.answers.map((a, i) => (
                  <option key={i} value={i}>
                    {i + 1}. {a}
                  </option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
      {t.kind === 'product' && (
        <div className="cue-editor-grid">
          {(['title', 'price', 'imageUrl', 'link'] as const).map((field) => (
            <label key={field}>
              {{ title: 'Title', price: 'Price', imageUrl: 'Image URL', link: 'Link' }[field]}
              <input type="text" value={t[field]} onChange={(e) => setTemplate({ ...t, [field]: e.target.value })} />
            </label>
          ))}
        </div>
      )}
      {t.kind === 'chapter' && (
        <label>
          Chapter title
          <input type="text" value={t.title} onChange={(e) => setTemplate({ ...t, title: e.target.value })} />
        </label>
      )}
      {t.kind === 'countdown' && (
        <div className="cue-editor-row">
          <label>
            Label
            <input type="text" value={t.label} onChange={(e) => setTemplate({ ...t, label: e.target.value })} />
          </label>
          <label className="cue-editor-narrow">
            Seconds
            <input type="number" min={1} max={86400} value={t.seconds} onChange={(e) => setTemplate({ ...t, seconds: Number(e.target.value) })} />
          </label>
        </div>
      )}
      {t.kind === 'clear' && (
        <label>
          Clears
          <select
            value={t.target ?? ''}
            onChange={(e) => setTemplate(e.target.value ? { kind: 'clear', target: e.target.value as OverlayKind } : { kind: 'clear' })}
          >
            <option value="">every overlay</option>
            {(['poll', 'product', 'quiz', 'chapter', 'countdown'] as const).map((k) => (
              <option key={k} value={k}>
                the {k}
              </option>
            ))}
          </select>
        </label>
      )}

      <VariablesEditor variables={cue.variables} onChange={(variables) => set({ variables })} />
      <PayloadMeter preview={preview} />
    </form>
  );
}

function VariablesEditor({ variables, onChange }: { variables: CueVariable[]; onChange: (variables: CueVariable[]) => void }) {
  const update = (index: number, patch: Partial<CueVariable>) => onChange(variables.map((v, i) => (i === index ? { ...v, ...patch } : v)));
  return (
    <fieldset className="cue-variables">
      <legend>Variables</legend>
      <p className="muted small">
        Write <code>{'{{name}}'}</code> in any text. Built in: <code>{'{{now}}'}</code> (time of the fire), <code>{'{{counter}}'}</code> (how many times this cue fired),{' '}
        <code>{'{{fid}}'}</code> (the fire id).
      </p>
      {variables.map((variable, i) => (
        <div key={i} className="cue-variable-row">
          <input type="text" aria-label="Variable name" value={variable.name} onChange={(e) => update(i, { name: e.target.value })} />
          <select aria-label="Variable type" value={variable.type} onChange={(e) => update(i, { type: e.target.value as CueVariable['type'] })}>
            <option value="text">text</option>
            <option value="number">number</option>
            <option value="choice">choice</option>
          </select>
          <input type="text" aria-label="Default value" value={variable.defaultValue} onChange={(e) => update(i, { defaultValue: e.target.value })} />
          {variable.type === 'choice' && (
            <input
              type="text"
              aria-label="Choices (comma separated)"
              placeholder="a, b, c"
              value={(variable.options ?? []).join(', ')}
              onChange={(e) => update(i, { options: e.target.value.split(',').map((o) => o.trim()).filter(Boolean) })}
            />
          )}
          <button type="button" aria-label={`Remove variable ${variable.name}`} onClick={() => onChange(variables.filter((_, j) => j !== i))}>
            ✕
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...variables, { name: `value${variables.length + 1}`, type: 'text', defaultValue: '' }])}>
        Add variable
      </button>
    </fieldset>
  );
}

/** Asks the engine to measure the cue as it would send it, 120 ms after the last change. */
function usePayloadPreview(cue: Cue): CuePayloadPreview | undefined {
  const previewCuePayload = useStudio((s) => s.previewCuePayload);
  const [preview, setPreview] = useState<CuePayloadPreview | undefined>();
  const key = JSON.stringify(cue);
  useEffect(() => {
    let current = true;
    const timer = setTimeout(() => {
      void previewCuePayload(JSON.parse(key) as Cue).then((reply) => {
        if (!current) return;
        // A shape error (e.g. an empty name) comes back as a request error: show it as a problem.
        setPreview(reply.ok ? reply.value : { payload: '', bytes: 0, limitBytes: 1024, overBy: 0, problems: [reply.error.message] });
      });
    }, 120);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [key, previewCuePayload]);
  return preview;
}

function PayloadMeter({ preview }: { preview: CuePayloadPreview | undefined }) {
  if (!preview) return <p className="muted small">Measuring…</p>;
  const over = preview.overBy > 0;
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    <div className={`cue-payload${over ? ' cue-payload-over' : ''}`} data-testid="cue-payload" data-bytes={preview.bytes} data-over-by={preview.overBy}>
      <div className="cue-payload-size" role="status">
        <meter min={0} max={preview.limitBytes} value={Math.min(preview.bytes, preview.limitBytes)} />
        <span data-testid="cue-payload-size">
          {n(preview.bytes)} / {n(preview.limitBytes)} bytes
        </span>
      </div>
      {over && (
        <p className="error-text" role="alert" data-testid="cue-payload-refusal">
          {n(preview.bytes)} bytes is {n(preview.overBy)} byte{preview.overBy === 1 ? '' : 's'} over IVS’s {n(preview.limitBytes)}-byte limit: this cue cannot be saved until it is {n(preview.overBy)} byte
          {preview.overBy === 1 ? '' : 's'} shorter.
        </p>
      )}
      {preview.problems.length > 0 && (
        <ul className="error-text small" data-testid="cue-problems">
          {preview.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      <details>
        <summary className="small">Payload as sent (next fire)</summary>
        <pre className="cue-payload-text">{preview.payload}</pre>
      </details>
    </div>
  );
}
