import { useEffect, useRef } from 'react';
import type { CueBoard } from '@contract/studio-api';
import { hotkeyFromEvent, isTypingTarget } from './cue-hotkeys';

/**
 * Window hotkeys for the cues of a board (all its pages), while `enabled`. A key typed into a field
 * never fires; a held key does not repeat-fire. `onFire` gets the cue id.
 */
export function useCueHotkeys(board: CueBoard | undefined, enabled: boolean, onFire: (cueId: string) => void): void {
  const onFireRef = useRef(onFire);
  onFireRef.current = onFire;
  useEffect(() => {
    if (!enabled || !board) return;
    const byHotkey = new Map<string, string>();
    for (const page of board.pages) for (const cue of page.cues) if (cue.hotkey) byHotkey.set(cue.hotkey, cue.id);
    if (byHotkey.size === 0) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.defaultPrevented || isTypingTarget(event.target)) return;
      const hotkey = hotkeyFromEvent(event);
      const cueId = hotkey ? byHotkey.get(hotkey) : undefined;
      if (!cueId) return;
      event.preventDefault();
      onFireRef.current(cueId);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [board, enabled]);
}
