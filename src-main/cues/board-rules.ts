/**
 * What makes a board savable, checked with messages that name the cue and page: every cue valid
 * (fields, variables), every payload within IVS's 1 KB (measured as it would be sent next, saying by
 * how much it is over), hotkeys well-formed and unique on the board, ids unique. Pure.
 */
import type { Cue, CueBoard } from '../contract/domains/cues';
import { StudioError } from '../core/studio-error';
import { describeOversize, previewPayload } from './cue-payload';

const MODIFIERS = ['Ctrl', 'Alt', 'Shift', 'Meta'] as const;
const NAMED_KEYS = new Set([
  'Space', 'Enter', 'Backspace', 'Tab', 'Insert', 'Delete', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Minus', 'Equal', 'Comma', 'Period', 'Slash',
  'Semicolon', 'Quote', 'BracketLeft', 'BracketRight', 'Backslash', 'Backquote',
]);

/** `Ctrl+Shift+P` → its parts, or a reason it is not a hotkey. Modifiers in the order Ctrl, Alt, Shift, Meta. */
export function parseHotkey(hotkey: string): { modifiers: string[]; key: string } | { problem: string } {
  const parts = hotkey.split('+');
  const key = parts.pop() ?? '';
  const modifiers = parts;
  let last = -1;
  for (const modifier of modifiers) {
    const index = (MODIFIERS as readonly string[]).indexOf(modifier);
    if (index < 0) return { problem: `"${modifier}" is not a modifier (Ctrl, Alt, Shift, Meta)` };
    if (index <= last) return { problem: 'modifiers go in the order Ctrl, Alt, Shift, Meta, each once' };
    last = index;
  }
  const validKey = /^[A-Z0-9]$/.test(key) || /^F([1-9]|1[0-9]|2[0-4])$/.test(key) || /^Num[0-9]$/.test(key) || NAMED_KEYS.has(key);
  if (!validKey) return { problem: `"${key}" is not a key the board knows (A–Z, 0–9, F1–F24, Num0–Num9, Space, arrows…)` };
  return { modifiers, key };
}

/** Alt+Shift+1…9 are the studio's pane hotkeys. */
function isPaneHotkey(parsed: { modifiers: string[]; key: string }): boolean {
  return parsed.modifiers.join('+') === 'Alt+Shift' && /^[1-9]$/.test(parsed.key);
}

export function hotkeyProblem(hotkey: string): string | undefined {
  const parsed = parseHotkey(hotkey);
  if ('problem' in parsed) return parsed.problem;
  if (isPaneHotkey(parsed)) return `${hotkey} is taken by the studio's pane hotkeys`;
  return undefined;
}

export interface BoardCheckOptions {
  /** The next {{counter}} of a cue (for the exact size of its next fire). */
  nextCounter(cueId: string): number;
}

/** Throws the first problem as a StudioError: METADATA_TOO_LARGE for size, DOCUMENT_INVALID otherwise. */
export function checkBoard(board: CueBoard, options: BoardCheckOptions): void {
  const pageIds = new Set<string>();
  const cueIds = new Map<string, string>();
  const hotkeys = new Map<string, string>();
  for (const page of board.pages) {
    if (pageIds.has(page.id)) invalid(`Board "${board.name}" has two pages with the id "${page.id}".`);
    pageIds.add(page.id);
    for (const cue of page.cues) {
      const where = `Cue "${cue.name}" on page "${page.name}"`;
      if (cueIds.has(cue.id)) invalid(`${where} has the same id as cue "${cueIds.get(cue.id)}"; every cue on a board needs its own id.`);
      cueIds.set(cue.id, cue.name);
      if (cue.hotkey) {
        const problem = hotkeyProblem(cue.hotkey);
        if (problem) invalid(`${where}: hotkey ${problem}.`);
        const other = hotkeys.get(cue.hotkey);
        if (other) invalid(`${where}: hotkey ${cue.hotkey} is already used by cue "${other}".`);
        hotkeys.set(cue.hotkey, cue.name);
      }
      checkCue(cue, where, options.nextCounter(cue.id));
    }
  }
}

export function checkCue(cue: Cue, where: string, nextCounter: number): void {
  const preview = previewPayload(cue, { counter: nextCounter });
  if (preview.problems.length > 0) invalid(`${where}: ${preview.problems.join('; ')}.`);
  if (preview.overBy > 0) {
    throw new StudioError('METADATA_TOO_LARGE', {
      message: `${where} cannot be saved: its payload is ${describeOversize(preview.bytes)}.`,
      action: `Shorten it by at least ${preview.overBy.toLocaleString('en-US')} byte${preview.overBy === 1 ? '' : 's'} (UTF-8: accented letters take 2 bytes, emoji 4).`,
    });
  }
}

function invalid(message: string): never {
  throw new StudioError('DOCUMENT_INVALID', { message });
}
