import './first-run.css';
import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import { parseFragment } from '../../api/page-fragment';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { recordStudioEvent } from '../../test-hook/studio-test-hook';
import {
  FIRST_RUN_FRAGMENT_KEY,
  describeLocalChannel,
  goLiveSteps,
  permissionGuide,
  shouldShowFirstRun,
  type LocalChannelCheck,
} from './first-run-content';

const steps = ['welcome', 'permissions', 'go-live'] as const;
type Step = (typeof steps)[number];

/**
 * The first-run guide of the desktop app: what the studio is and that its local channel is ready,
 * what the OS will ask before the screen, camera and microphone can be captured (so the prompts are
 * expected, not alarming), and the short way to a real IVS channel. A modal <dialog>: focus stays in
 * it and Escape closes it. Finishing, skipping or Escape all record `firstRunCompleted` in settings,
 * so it never shows again on any window.
 */
export function FirstRun() {
  const settings = useStudio((s) => s.settings);
  const info = useStudio((s) => s.info);
  const rights = useStudio((s) => s.info?.rights);
  const [requested] = useState(() => parseFragment(window.location.hash).get(FIRST_RUN_FRAGMENT_KEY) === '1');
  // Closed for this page even before the engine confirms the setting (a refusal becomes a notice).
  const [dismissed, setDismissed] = useState(false);
  const show = !dismissed && shouldShowFirstRun({ mode: info?.mode, rights, settings, requested });
  if (!show || !info) return null;
  return <FirstRunDialog platform={info.platform} mode={info.mode} onClose={() => setDismissed(true)} />;
}

function FirstRunDialog({ platform, mode, onClose }: { platform: string; mode: 'electron' | 'browser'; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const updateSettings = useStudio((s) => s.updateSettings);
  const [step, setStep] = useState<Step>('welcome');
  const headingId = useId();
  const index = steps.indexOf(step);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    recordStudioEvent('ui:first-run-shown', {});
  }, []);
  useEffect(() => {
    heading.current?.focus();
    recordStudioEvent('ui:first-run-step', { step });
  }, [step]);

  const finish = (how: 'finished' | 'skipped') => {
    dialog.current?.close();
    onClose();
    recordStudioEvent('ui:first-run-closed', { how });
    void updateSettings({ firstRunCompleted: true });
  };

  return (
    <dialog
      ref={dialog}
      className="first-run"
      aria-labelledby={headingId}
      onCancel={(event) => {
        // Escape: the same as "Skip the guide".
        event.preventDefault();
        finish('skipped');
      }}
    >
      <div className="first-run-progress" aria-label={`Step ${index + 1} of ${steps.length}`}>
        {steps.map((s, i) => (
          <span key={s} className={`first-run-dot${i === index ? ' first-run-dot-current' : i < index ? ' first-run-dot-done' : ''}`} />
        ))}
      </div>
      <div className="first-run-body">
        {step === 'welcome' && <Welcome headingId={headingId} headingRef={heading} />}
        {step === 'permissions' && <Permissions headingId={headingId} headingRef={heading} platform={platform} mode={mode} />}
        {step === 'go-live' && <GoLiveGuide headingId={headingId} headingRef={heading} />}
      </div>
      <footer className="first-run-actions">
        <button type="button" className="first-run-skip" onClick={() => finish('skipped')}>
          Skip the guide
        </button>
        <span className="first-run-spacer" />
        {index > 0 && (
          <button type="button" onClick={() => setStep(steps[index - 1]!)}>
            Back
          </button>
        )}
        {index < steps.length - 1 ? (
          <button type="button" className="primary" onClick={() => setStep(steps[index + 1]!)}>
            Next
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => finish('finished')}>
            Start using IVS Studio
          </button>
        )}
      </footer>
    </dialog>
  );
}

interface StepProps {
  headingId: string;
  headingRef: RefObject<HTMLHeadingElement | null>;
}

function Welcome({ headingId, headingRef }: StepProps) {
  return (
    <section>
      <div className="first-run-brand">
        <AppMark />
        <h2 id={headingId} ref={headingRef} tabIndex={-1}>
          Welcome to IVS Studio
        </h2>
      </div>
      <p>
        Compose scenes from your screen, camera, microphone and media, go live to Amazon IVS over RTMPS, fire timed-metadata cues, and watch what viewers see with
        low latency.
      </p>
      <p>
        You do not need an AWS account to start: the studio has its own <strong>local channel</strong>, an IVS-compatible channel on this computer for rehearsals and
        tests.
      </p>
      <LocalChannelStatus />
    </section>
  );
}

function LocalChannelStatus() {
  const connection = useStudioStore().connection;
  const [check, setCheck] = useState<LocalChannelCheck>({ state: 'checking' });
  useEffect(() => {
    let current = true;
    void connection.invoke('accounts:test-connection', 'local').then((reply) => {
      if (!current) return;
      const next: LocalChannelCheck = reply.ok ? { state: 'done', test: reply.value } : { state: 'failed', error: reply.error };
      setCheck(next);
      recordStudioEvent('ui:first-run-local-channel', { ok: reply.ok && reply.value.ok });
    });
    return () => {
      current = false;
    };
  }, [connection]);
  const line = describeLocalChannel(check);
  return (
    <div className={`first-run-local first-run-local-${line.tone}`} role="status" aria-label="Local channel">
      <p className="first-run-local-text">{line.text}</p>
      {line.detail && <p className="muted small">{line.detail}</p>}
    </div>
  );
}

function Permissions({ headingId, headingRef, platform, mode }: StepProps & { platform: string; mode: 'electron' | 'browser' }) {
  const guide = permissionGuide(platform, mode);
  return (
    <section>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        {guide.heading}
      </h2>
      <p>{guide.intro}</p>
      {guide.remoteNote && <p className="first-run-note">{guide.remoteNote}</p>}
      <ul className="first-run-permissions">
        {guide.items.map((item) => (
          <li key={item.id} aria-label={item.title}>
            <h3>{item.title}</h3>
            <p>
              <span className="first-run-label">When</span> {item.when}
            </p>
            <p>
              <span className="first-run-label">Then</span> {item.answer}
            </p>
            <p className="muted small">
              <span className="first-run-label">Later</span> {item.later}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}

function GoLiveGuide({ headingId, headingRef }: StepProps) {
  return (
    <section>
      <h2 id={headingId} ref={headingRef} tabIndex={-1}>
        Go live to a real IVS channel
      </h2>
      <ol className="first-run-steps">
        {goLiveSteps.map((s) => (
          <li key={s.title}>
            <strong>{s.title}.</strong> {s.text}
          </li>
        ))}
      </ol>
      <p className="muted small">This guide does not show again. Everything it mentions lives in the Channel, Go Live and Settings panes.</p>
    </section>
  );
}

/** The app icon's mark (assets/icon.svg), small and inline. */
function AppMark() {
  return (
    <svg className="first-run-mark" viewBox="0 0 1024 1024" aria-hidden="true" focusable="false">
      <defs>
        <linearGradient id="first-run-mark-tile" x1="0" y1="0" x2="1" y2="1">
          <stop offset="0" stopColor="#6A3DF5" />
          <stop offset="1" stopColor="#21155C" />
        </linearGradient>
      </defs>
      <rect width="1024" height="1024" rx="228" fill="url(#first-run-mark-tile)" />
      <g fill="none" stroke="#FFFFFF" strokeLinecap="round" strokeWidth="64">
        <path d="M672.9 377 A210 210 0 0 1 672.9 647" />
        <path d="M351.1 377 A210 210 0 0 0 351.1 647" />
        <path d="M764.8 299.9 A330 330 0 0 1 764.8 724.1" strokeOpacity="0.72" />
        <path d="M259.2 299.9 A330 330 0 0 0 259.2 724.1" strokeOpacity="0.72" />
      </g>
      <circle cx="512" cy="512" r="92" fill="#F0344B" />
    </svg>
  );
}
