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
        <label className="toggle">
          <span>Flag a cue “not seen” when no player reported it within</span>
          <input
            type="number"
            min={2}
            max={600}
            value={settings.seenTimeoutSeconds}
            onChange={(e) => void update({ seenTimeoutSeconds: clamp(e.target.valueAsNumber, 2, 600) })}
            aria-label="Not-seen timeout in seconds"
          />
          <span>seconds</span>
        </label>
      </fieldset>
      <fieldset className="setting">
        <legend>Late joiners</legend>
        <label className="toggle">
          <span>Re-send the open poll, product, quiz, chapter and countdown every</span>
          <input
            type="number"
            min={0}
            max={600}
            value={settings.stateResendSeconds}
            onChange={(e) => void update({ stateResendSeconds: clamp(e.target.valueAsNumber, 0, 600) })}
            aria-label="Late-joiner re-send interval in seconds"
          />
          <span>seconds (0: off)</span>
        </label>
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

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : min;
}
