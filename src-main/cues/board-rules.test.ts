import { describe, expect, it } from 'vitest';
import type { Cue, CueBoard } from '../contract/domains/cues';
import { StudioError } from '../core/studio-error';
import { checkBoard, hotkeyProblem } from './board-rules';
import { defaultBoard } from './default-board';

const cue = (overrides: Partial<Cue>): Cue => ({
  id: 'c1',
  name: 'Cue',
  color: '#123456',
  template: { kind: 'text', text: 'hi' },
  variables: [],
  burst: 'queue',
  lateJoiners: false,
  ...overrides,
});
const board = (cues: Cue[]): CueBoard => ({ id: 'b', name: 'Board', show: 'Show', pages: [{ id: 'p', name: 'Page', columns: 4, cues }] });

function problem(b: CueBoard): StudioError | undefined {
  try {
    checkBoard(b, { nextCounter: () => 1 });
    return undefined;
  } catch (error) {
    return error as StudioError;
  }
}

describe('hotkeys', () => {
  it.each<[string, string | undefined]>([
    ['1', undefined],
    ['Q', undefined],
    ['F12', undefined],
    ['Ctrl+Shift+P', undefined],
    ['Ctrl+Alt+Shift+Meta+Space', undefined],
    ['Num5', undefined],
    ['Shift+Ctrl+P', 'modifiers go in the order Ctrl, Alt, Shift, Meta, each once'],
    ['Ctrl+Ctrl+P', 'modifiers go in the order Ctrl, Alt, Shift, Meta, each once'],
    ['Hyper+P', '"Hyper" is not a modifier (Ctrl, Alt, Shift, Meta)'],
    ['q', '"q" is not a key the board knows (A–Z, 0–9, F1–F24, Num0–Num9, Space, arrows…)'],
    ['F25', '"F25" is not a key the board knows (A–Z, 0–9, F1–F24, Num0–Num9, Space, arrows…)'],
    ['Alt+Shift+3', "Alt+Shift+3 is taken by the studio's pane hotkeys"],
  ])('%s', (hotkey, expected) => {
    expect(hotkeyProblem(hotkey)).toBe(expected);
  });
});

describe('checkBoard', () => {
  it('accepts the default board', () => {
    expect(problem(defaultBoard())).toBeUndefined();
  });

  it.each<[string, CueBoard, string, RegExp]>([
    ['a payload of 1,025 bytes, saying by how much', board([cue({ template: { kind: 'text', text: 'x'.repeat(1025) } })]), 'METADATA_TOO_LARGE', /Cue "Cue" on page "Page" cannot be saved: its payload is 1,025 bytes, 1 byte over IVS's 1,024-byte limit/],
    ['a poll whose JSON passes 1 KB', board([cue({ template: { kind: 'poll', question: 'q', options: ['a'.repeat(500), 'b'.repeat(500)] } })]), 'METADATA_TOO_LARGE', /bytes over/],
    ['the same hotkey twice', board([cue({ hotkey: 'Q' }), cue({ id: 'c2', name: 'Other', hotkey: 'Q' })]), 'DOCUMENT_INVALID', /Cue "Other" on page "Page": hotkey Q is already used by cue "Cue"/],
    ['a cue id twice', board([cue({}), cue({ name: 'Twin' })]), 'DOCUMENT_INVALID', /same id as cue "Cue"/],
    ['an undeclared variable', board([cue({ template: { kind: 'text', text: '{{score}}' } })]), 'DOCUMENT_INVALID', /\{\{score\}\} is not a variable of this cue/],
    ['a bad hotkey', board([cue({ hotkey: 'Alt+Shift+1' })]), 'DOCUMENT_INVALID', /pane hotkeys/],
  ])('refuses %s', (_name, b, code, message) => {
    const error = problem(b);
    expect(error).toBeInstanceOf(StudioError);
    expect(error!.code).toBe(code);
    expect(error!.message).toMatch(message);
  });

  it('accepts exactly 1,024 bytes', () => {
    expect(problem(board([cue({ template: { kind: 'text', text: 'x'.repeat(1024) } })]))).toBeUndefined();
  });
});
