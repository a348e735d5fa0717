/**
 * Hotkeys for cues, by physical key (`event.code`) so Shift or a keyboard layout does not change
 * which cue fires: `Q`, `1`, `F5`, `Num3`, `Ctrl+Shift+P`. Modifiers always in the order Ctrl, Alt,
 * Shift, Meta — the same syntax the engine validates (src-main/cues/board-rules.ts). Pure.
 */
export type KeyLike = Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey'>;

const NAMED = new Set([
  'Space', 'Enter', 'Backspace', 'Tab', 'Insert', 'Delete', 'Home', 'End', 'PageUp', 'PageDown',
  'ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Minus', 'Equal', 'Comma', 'Period', 'Slash',
  'Semicolon', 'Quote', 'BracketLeft', 'BracketRight', 'Backslash', 'Backquote',
]);

/** The key part of a hotkey, or undefined for keys a cue cannot use (modifiers alone, media keys…). */
export function keyName(code: string): string | undefined {
  let match: RegExpExecArray | null;
  if ((match = /^Key([A-Z])$/.exec(code))) return match[1];
  if ((match = /^Digit([0-9])$/.exec(code))) return match[1];
  if ((match = /^Numpad([0-9])$/.exec(code))) return `Num${match[1]}`;
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(code)) return code;
  return NAMED.has(code) ? code : undefined;
}

export function hotkeyFromEvent(event: KeyLike): string | undefined {
  const key = keyName(event.code);
  if (!key) return undefined;
  const parts: string[] = [];
  if (event.ctrlKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey) parts.push('Shift');
  if (event.metaKey) parts.push('Meta');
  return [...parts, key].join('+');
}

/** Typing in a field must never fire a cue. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  const tag = element.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = ((element as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}
