import { useStudio } from '../store/studio-store';

const levelLabel = { info: 'Info', warning: 'Warning', error: 'Error' } as const;

/** Notices from the engine (app:notice, e.g. a corrupt settings file) and failed requests. */
export function NoticeArea() {
  const notices = useStudio((s) => s.notices);
  const dismiss = useStudio((s) => s.dismissNotice);
  return (
    <section className="notices" aria-label="Notices" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`} role={notice.level === 'error' ? 'alert' : 'status'} data-code={notice.code}>
          <div className="notice-text">
            <strong>{levelLabel[notice.level]}:</strong> {notice.message}
            {notice.action && <div className="notice-action">{notice.action}</div>}
          </div>
          <button type="button" className="notice-dismiss" onClick={() => dismiss(notice.id)} aria-label={`Dismiss: ${notice.message}`}>
            Dismiss
          </button>
        </div>
      ))}
    </section>
  );
}
