import { useStudio } from '../../store/studio-store';

/** Delivery timeout, late-joiner re-send interval, global hotkeys (desktop app only). */
export function CueSettingsView() {
  const settings = useStudio((s) => s.cues?.settings);
  const update = useStudio((s) => s.updateCueSettings);
  const mode = useStudio((s) => s.info?.mode);
  if (!settings) return null;
  const desktop = mode === 'electron';
  return (
    <div className="settings cue-settings">
      <fieldset className="setting">
        <legend>Delivery</legend>
        <SecondsField
          before="Flag a cue “not seen” when no player reported it within"
          after="seconds"
          min={2}
          value={settings.seenTimeoutSeconds}
          onChange={(seconds) => void update({ seenTimeoutSeconds: seconds })}
          label="Not-seen timeout in seconds"
        />
      </fieldset>
      <fieldset className="setting">
        <legend>Late joiners</legend>
        <SecondsField
          before="Re-send the open poll, product, quiz, chapter and countdown every"
          after="seconds (0: off)"
          min={0}
          value={settings.stateResendSeconds}
          onChange={(seconds) => void update({ stateResendSeconds: seconds })}
          label="Late-joiner re-send interval in seconds"
        />
        <p className="muted small">Re-sends use spare PutMetadata budget only, so they never delay a cue you fire.</p>
      </fieldset>
      <fieldset className="setting">
        <legend>Global hotkeys</legend>
        <label className="toggle">
          <input type="checkbox" checked={settings.globalHotkeys} disabled={!desktop} onChange={(e) => void update({ globalHotkeys: e.target.checked })} />
          <span>Cue hotkeys work while another application has focus</span>
        </label>
        <p className="muted small" data-testid="global-hotkeys-note">
          {desktop
            ? 'Off by default. The operating system may refuse a hotkey another application already uses.'
            : 'Only the desktop app can register global hotkeys. In a browser, cue hotkeys work while this page has focus.'}
        </p>
      </fieldset>
    </div>
  );
}

/** A whole number of seconds inside a sentence, clamped to [min, 600] (both settings' documented range). */
function SecondsField(props: { before: string; after: string; min: number; value: number; onChange: (seconds: number) => void; label: string }) {
  const max = 600;
  return (
    <label className="toggle">
      <span>{props.before}</span>
      <input type="number" min={props.min} max={max} value={props.value} onChange={(e) => props.onChange(clamp(e.target.valueAsNumber, props.min, max))} aria-label={props.label} />
      <span>{props.after}</span>
    </label>
  );
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
