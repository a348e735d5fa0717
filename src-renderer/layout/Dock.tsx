import { useEffect, useRef, useState, type ReactNode } from 'react';
import { focusPane } from './focus-pane';

export interface DockProps {
  /** The docked panes, in order: id, title and 1-based hotkey number. */
  entries: { id: string; title: string; hotkey: number }[];
  children: ReactNode;
}

/**
 * The right-hand dock: panes that need reaching more than watching (stats, channel, settings),
 * stacked in one scrolling column under Go Live. Every pane stays rendered (a hidden tab would hide
 * its live figures and its controls from keyboard and tests alike); the bar on top jumps to a pane
 * and marks the one in view, like a tab strip.
 */
export function Dock({ entries, children }: DockProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const [current, setCurrent] = useState(entries[0]?.id);
  // The effect depends on the ids, not on the array (a new one every render).
  const ids = entries.map((e) => e.id).join(' ');

  useEffect(() => {
    const box = scroller.current;
    if (!box) return;
    // The pane in view is the last one whose top has reached the top quarter of the dock.
    const order = ids.split(' ');
    const update = () => {
      // In a narrow window the page scrolls instead of the dock: use the part of the dock in view.
      const rect = box.getBoundingClientRect();
      const visibleTop = Math.max(rect.top, 0);
      const top = visibleTop + (Math.min(rect.bottom, window.innerHeight) - visibleTop) / 4;
      let inView = order[0];
      for (const id of order) {
        const pane = document.getElementById(`pane-${id}`);
        if (pane && pane.getBoundingClientRect().top <= top) inView = id;
      }
      // Scrolled to the end: the last pane is the one being read even if it is short.
      if (box.scrollHeight > box.clientHeight && box.scrollTop + box.clientHeight >= box.scrollHeight - 2) inView = order[order.length - 1];
      setCurrent(inView);
    };
    update();
    box.addEventListener('scroll', update, { passive: true });
    window.addEventListener('scroll', update, { passive: true });
    // Panes grow as their content arrives: re-check when the dock or any pane changes size.
    const resize = new ResizeObserver(update);
    resize.observe(box);
    for (const pane of Array.from(box.children)) resize.observe(pane);
    return () => {
      box.removeEventListener('scroll', update);
      window.removeEventListener('scroll', update);
      resize.disconnect();
    };
  }, [ids]);

  return (
    <div className="studio-dock">
      <nav className="dock-bar" aria-label="Dock">
        {entries.map((entry) => (
          <button
            key={entry.id}
            type="button"
            className="dock-jump"
            aria-current={current === entry.id ? 'true' : undefined}
            title={`Alt+Shift+${entry.hotkey}`}
            onClick={() => focusPane(entry.id)}
          >
            {entry.title}
          </button>
        ))}
      </nav>
      <div className="dock-panes" ref={scroller}>
        {children}
      </div>
    </div>
  );
}
