import { recordStudioEvent } from '../test-hook/studio-test-hook';

/**
 * Moves keyboard focus to a pane and brings its top into view. Panes in the scrolling dock may sit
 * below its fold, and `focus()` alone only scrolls them "nearest" (their heading can stay hidden).
 */
export function focusPane(id: string): boolean {
  const element = document.getElementById(`pane-${id}`);
  if (!element) return false;
  element.focus({ preventScroll: true });
  element.scrollIntoView({ block: 'start', inline: 'nearest' });
  recordStudioEvent('ui:pane-focused', { pane: id });
  return true;
}
