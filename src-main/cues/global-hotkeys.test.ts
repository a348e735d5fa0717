import { describe, expect, it } from 'vitest';
import type { CueFire, CueFireRequest, CuesState } from '../contract/domains/cues';
import { Emitter } from '../core/emitter';
import { StudioError } from '../core/studio-error';
import { defaultBoard } from './default-board';
import { bindGlobalHotkeys, globalHotkeyPlan, toAccelerator, type GlobalShortcutRegistrar } from './global-hotkeys';

describe('toAccelerator', () => {
  it.each([
    ['1', '1'],
    ['Q', 'Q'],
    ['F5', 'F5'],
    ['Ctrl+Shift+P', 'Control+Shift+P'],
    ['Alt+Meta+Space', 'Alt+Super+Space'],
    ['Num3', 'num3'],
    ['ArrowUp', 'Up'],
    ['Ctrl+BracketLeft', 'Control+['],
    ['Hyper+Q', undefined],
  ])('%s → %s', (hotkey, accelerator) => {
    expect(toAccelerator(hotkey)).toBe(accelerator);
  });
});

function state(globalHotkeys: boolean): CuesState {
  const second = defaultBoard('second');
  for (const cue of second.pages[0]!.cues) cue.id = `${cue.id}-2`;
  second.pages[0]!.cues[0]!.hotkey = 'F9';
  return {
    boards: [defaultBoard(), second],
    armed: true,
    settings: { seenTimeoutSeconds: 15, stateResendSeconds: 5, globalHotkeys },
    latest: {},
    lateJoinerState: [],
    queued: 0,
    limitBytes: 1024,
  };
}

class Registrar implements GlobalShortcutRegistrar {
  readonly active = new Map<string, () => void>();
  refuse = new Set<string>();
  register(accelerator: string, callback: () => void): boolean {
    if (this.refuse.has(accelerator)) return false;
    this.active.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.active.delete(accelerator);
  }
}

describe('global hotkeys', () => {
  it('off by default: nothing registered', () => {
    expect(globalHotkeyPlan(state(false)).size).toBe(0);
  });

  it('registers every cue hotkey (first board keeps a shared key), fires, follows the setting, and cleans up', async () => {
    const changes = new Emitter<CuesState>();
    let current = state(true);
    const fired: [CueFireRequest, string][] = [];
    const reports: string[] = [];
    const registrar = new Registrar();
    registrar.refuse.add('5');
    const binding = bindGlobalHotkeys(
      {
        getState: () => current,
        onDidChangeState: changes.event,
        fire: async (request, via) => {
          fired.push([request, via]);
          if (request.cueId === 'poll') throw new StudioError('NOT_LIVE', { message: '"Poll" was not sent: x is not live.' });
          return {} as CueFire;
        },
      },
      registrar,
      (m) => reports.push(m),
    );
    expect([...registrar.active.keys()].sort()).toEqual(['1', '2', '3', '4', '6', '7', 'F9']);
    expect(reports).toEqual(['The global hotkey 5 for cue "Countdown 60 s" could not be registered: another application probably uses it.']);

    registrar.active.get('F9')!();
    registrar.active.get('1')!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(fired).toEqual([
      [{ cueId: 'poll-2', boardId: 'second', via: 'global-hotkey' }, 'global-hotkey'],
      [{ cueId: 'poll', boardId: 'show', via: 'global-hotkey' }, 'global-hotkey'],
    ]);
    expect(reports.at(-1)).toBe('Global hotkey 1: "Poll" was not sent: x is not live.');

    current = state(false);
    changes.fire(current);
    expect(registrar.active.size).toBe(0);
    current = state(true);
    changes.fire(current);
    expect(registrar.active.size).toBe(7);
    binding.dispose();
    expect(registrar.active.size).toBe(0);
  });
});
