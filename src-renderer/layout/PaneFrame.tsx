import type { ReactNode } from 'react';

export interface PaneFrameProps {
  id: string;
  title: string;
  /** 1-based pane number: Alt+Shift+<n> focuses the pane. */
  hotkey: number;
  children: ReactNode;
}

/**
 * The frame every pane sits in: a labelled region (screen readers and tests find it by name), a
 * heading with its hotkey, and a scrolling body. Focusable so the pane hotkey can move focus to it.
 */
export function PaneFrame({ id, title, hotkey, children }: PaneFrameProps) {
  const headingId = `pane-${id}-title`;
  return (
    <section id={`pane-${id}`} className={`pane pane-${id}`} aria-labelledby={headingId} tabIndex={-1} data-pane={id}>
      <header className="pane-header">
        <h2 id={headingId}>{title}</h2>
        <kbd className="pane-hotkey" title={`Alt+Shift+${hotkey} focuses this pane`} aria-hidden="true">
          Alt+Shift+{hotkey}
        </kbd>
      </header>
      <div className="pane-body">{children}</div>
    </section>
  );
}

/** An honest placeholder for a pane whose feature has not landed yet. */
export function PendingPane({ arrivesWith, children }: { arrivesWith: string; children: ReactNode }) {
  return (
    <div className="pending-pane">
      <p>{children}</p>
      <p className="muted">Arrives with {arrivesWith}.</p>
    </div>
  );
}
