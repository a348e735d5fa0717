import { useEffect, useId, useState } from 'react';
import type { AppInfo, Theme } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';

const themes: { value: Theme; label: string }[] = [
  { value: 'system', label: 'System' },
  { value: 'dark', label: 'Dark' },
  { value: 'light', label: 'Light' },
];

/** Settings: theme, remote access, the ffmpeg in use (and what it lacks), about. */
export function SettingsPane() {
  const settings = useStudio((s) => s.settings);
  if (!settings) return <p className="muted">Loading settings…</p>;
  return (
    <div className="settings">
      <ThemeSetting value={settings.theme} />
      <RemoteAccessSetting enabled={settings.remoteAccess} />
      <FfmpegSetting path={settings.ffmpegPath} />
      <About />
    </div>
  );
}

function ThemeSetting({ value }: { value: Theme }) {
  const updateSettings = useStudio((s) => s.updateSettings);
  const name = useId();
  return (
    <fieldset className="setting">
      <legend>Theme</legend>
      <div className="segmented" role="radiogroup" aria-label="Theme">
        {themes.map((theme) => (
          <label key={theme.value} className="segment">
            <input type="radio" name={name} value={theme.value} checked={value === theme.value} onChange={() => void updateSettings({ theme: theme.value })} />
            <span>{theme.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function RemoteAccessSetting({ enabled }: { enabled: boolean }) {
  const updateSettings = useStudio((s) => s.updateSettings);
  const remoteAccess = useStudio((s) => s.remoteAccess);
  const reveal = useStudio((s) => s.revealRemoteAccess);
  const hide = useStudio((s) => s.hideRemoteAccess);
  const mode = useStudio((s) => s.info?.mode);
  const hintId = useId();
  return (
    <fieldset className="setting">
      <legend>Remote access</legend>
      <label className="toggle">
        <input type="checkbox" checked={enabled} aria-describedby={hintId} onChange={(e) => void updateSettings({ remoteAccess: e.currentTarget.checked })} />
        <span>Let devices on my network open the cue board</span>
      </label>
      <p id={hintId} className="muted small">
        {enabled
          ? 'The studio listens on your network. Remote devices need this run’s link (it carries the access token) and get cue-board rights only.'
          : `Off: only this ${mode === 'electron' ? 'computer' : 'machine'} can reach the studio.`}
      </p>
      {enabled && !remoteAccess && (
        <button type="button" onClick={() => void reveal()}>
          Show link for other devices
        </button>
      )}
      {remoteAccess && (
        <div className="reveal">
          {remoteAccess.urls.length === 0 ? (
            <p className="muted small">{remoteAccess.enabled ? 'This machine has no network address other devices could use.' : 'Remote access is still switching on; try again in a moment.'}</p>
          ) : (
            <ul className="link-list" aria-label="Links for other devices">
              {remoteAccess.urls.map((url) => (
                <li key={url}>
                  <code className="selectable">{url}</code>
                </li>
              ))}
            </ul>
          )}
          <button type="button" onClick={hide}>
            Hide link
          </button>
        </div>
      )}
    </fieldset>
  );
}

function FfmpegSetting({ path }: { path: string }) {
  const info = useStudio((s) => s.info);
  const updateSettings = useStudio((s) => s.updateSettings);
  const [draft, setDraft] = useState(path);
  useEffect(() => setDraft(path), [path]);
  const inputId = useId();
  return (
    <fieldset className="setting">
      <legend>ffmpeg</legend>
      <FfmpegInfo ffmpeg={info?.ffmpeg} />
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void updateSettings({ ffmpegPath: draft.trim() });
        }}
      >
        <label htmlFor={inputId}>Use this ffmpeg binary (empty: find it automatically)</label>
        <div className="row">
          <input id={inputId} type="text" spellCheck={false} value={draft} placeholder="FFMPEG_PATH, bundled, then PATH" onChange={(e) => setDraft(e.currentTarget.value)} />
          <button type="submit" disabled={draft.trim() === path}>
            Save
          </button>
        </div>
        <p className="muted small">Takes effect the next time the studio starts.</p>
      </form>
    </fieldset>
  );
}

function FfmpegInfo({ ffmpeg }: { ffmpeg: AppInfo['ffmpeg'] | undefined }) {
  if (!ffmpeg) return <p className="muted">Checking ffmpeg…</p>;
  if ('error' in ffmpeg) {
    return (
      <p className="error-text" role="note">
        ffmpeg is not usable: {ffmpeg.error}
      </p>
    );
  }
  return (
    <div className="ffmpeg-info">
      <dl className="facts">
        <dt>Version</dt>
        <dd>{ffmpeg.version}</dd>
        <dt>Binary</dt>
        <dd>
          <code className="selectable">{ffmpeg.path}</code> <span className="muted">({sourceLabel[ffmpeg.source]})</span>
        </dd>
        <dt>Encoders</dt>
        <dd>{summarize(ffmpeg.encoders, ['libx264', 'h264_nvenc', 'h264_videotoolbox', 'h264_qsv', 'h264_amf', 'aac'])}</dd>
      </dl>
      {ffmpeg.missing.length === 0 ? (
        <p className="ok-text">Everything the studio needs is present.</p>
      ) : (
        <div role="note" aria-label="Missing ffmpeg features">
          <p className="warning-text">Missing:</p>
          <ul className="missing-list">
            {ffmpeg.missing.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

const sourceLabel: Record<'setting' | 'env' | 'bundled' | 'path', string> = {
  setting: 'from Settings',
  env: 'from FFMPEG_PATH',
  bundled: 'bundled with the studio',
  path: 'found on PATH',
};

function summarize(available: string[], interesting: string[]): string {
  const present = interesting.filter((name) => available.includes(name));
  return present.length > 0 ? present.join(', ') : 'none of the usual H.264/AAC encoders';
}

function About() {
  const info = useStudio((s) => s.info);
  if (!info) return null;
  return (
    <fieldset className="setting">
      <legend>About</legend>
      <dl className="facts">
        <dt>Version</dt>
        <dd>
          {info.name} {info.version}
        </dd>
        <dt>Mode</dt>
        <dd>{info.mode === 'electron' ? 'Desktop window' : 'Browser'}</dd>
        <dt>Platform</dt>
        <dd>{info.platform}</dd>
        {info.dataDir && (
          <>
            <dt>Data folder</dt>
            <dd>
              <code className="selectable">{info.dataDir}</code>
            </dd>
          </>
        )}
      </dl>
    </fieldset>
  );
}
