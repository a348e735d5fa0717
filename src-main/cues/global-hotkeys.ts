/**
 * Global hotkeys for cues (desktop app only, off by default): while `settings.globalHotkeys` is on,
 * every cue hotkey is registered with the OS, so a producer can fire cues while another application
 * has the focus. The engine never imports electron: the Electron shell passes its `globalShortcut`
 * as the registrar (`bindGlobalHotkeys(engine.cues, globalShortcut, …)`), and gets a Disposable.
 */
import type { CueFire, CueFireRequest, CueFireVia, CuesState } from '../contract/domains/cues';
import type { Disposable } from '../core/disposable';
import type { Event } from '../core/emitter';
import { parseHotkey } from './board-rules';

/** Electron's `globalShortcut`, as far as this needs it. */
export interface GlobalShortcutRegistrar {
  /** False when the OS (or another application) refused the accelerator. */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface GlobalHotkeyCues {
  getState(): CuesState;
  readonly onDidChangeState: Event<CuesState>;
  fire(request: CueFireRequest, via: CueFireVia): Promise<CueFire>;
}

const KEY_TO_ACCELERATOR: Record<string, string> = {
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Minus: '-',
  Equal: '=',
  Comma: ',',
  Period: '.',
  Slash: '/',
  Semicolon: ';',
  Quote: "'",
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Backquote: '`',
};
const MODIFIER_TO_ACCELERATOR: Record<string, string> = { Ctrl: 'Control', Alt: 'Alt', Shift: 'Shift', Meta: 'Super' };

/** A cue hotkey (`Ctrl+Shift+P`, `Num3`, `ArrowUp`) as an Electron accelerator (`Control+Shift+P`, `num3`, `Up`). */
export function toAccelerator(hotkey: string): string | undefined {
  const parsed = parseHotkey(hotkey);
  if ('problem' in parsed) return undefined;
  const numpad = /^Num([0-9])$/.exec(parsed.key);
  const key = numpad ? `num${numpad[1]}` : (KEY_TO_ACCELERATOR[parsed.key] ?? parsed.key);
  return [...parsed.modifiers.map((m) => MODIFIER_TO_ACCELERATOR[m]!), key].join('+');
}

/** Which cue each accelerator fires: boards in order, the first board to claim a key keeps it. */
export function globalHotkeyPlan(state: CuesState): Map<string, { cueId: string; boardId: string; cueName: string }> {
  const plan = new Map<string, { cueId: string; boardId: string; cueName: string }>();
  if (!state.settings.globalHotkeys) return plan;
  for (const board of state.boards) {
    for (const page of board.pages) {
      for (const cue of page.cues) {
        const accelerator = cue.hotkey ? toAccelerator(cue.hotkey) : undefined;
        if (accelerator && !plan.has(accelerator)) plan.set(accelerator, { cueId: cue.id, boardId: board.id, cueName: cue.name });
      }
    }
  }
  return plan;
}

/**
 * Keeps the OS registrations in step with the boards and the setting. `report` hears what the user
 * should know: a key another application holds, a fire that was refused (no window has the focus
 * to show it).
 */
export function bindGlobalHotkeys(cues: GlobalHotkeyCues, registrar: GlobalShortcutRegistrar, report: (message: string) => void): Disposable {
  let registered = new Map<string, string>();
  const apply = (state: CuesState) => {
    const plan = globalHotkeyPlan(state);
    const next = new Map<string, string>();
    for (const [accelerator, cueId] of registered) {
      if (plan.get(accelerator)?.cueId !== cueId) registrar.unregister(accelerator);
      else next.set(accelerator, cueId);
    }
    for (const [accelerator, target] of plan) {
      if (next.has(accelerator)) continue;
      const ok = registrar.register(accelerator, () => {
        void cues.fire({ cueId: target.cueId, boardId: target.boardId, via: 'global-hotkey' }, 'global-hotkey').catch((error: unknown) => {
          report(`Global hotkey ${accelerator}: ${(error as Error).message}`);
        });
      });
      if (ok) next.set(accelerator, target.cueId);
      else report(`The global hotkey ${accelerator} for cue "${target.cueName}" could not be registered: another application probably uses it.`);
    }
    registered = next;
  };
  apply(cues.getState());
  const subscription = cues.onDidChangeState(apply);
  return {
    dispose() {
      subscription.dispose();
      for (const accelerator of registered.keys()) registrar.unregister(accelerator);
      registered.clear();
    },
  };
}
