import { describe, expect, it } from 'vitest';
import type { CueFire } from '@contract/studio-api';
import { badgeForFire, badgeForRefusal, formatSeconds } from './cue-badge';
import { hotkeyFromEvent, isTypingTarget, keyName } from './cue-hotkeys';

const key = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('hotkeys from key events (physical keys)', () => {
  it.each<[string, ReturnType<typeof key>, string | undefined]>([
    ['a letter', key('KeyQ'), 'Q'],
    ['a digit', key('Digit1'), '1'],
    ['shifted digit keeps the digit', key('Digit1', { shiftKey: true }), 'Shift+1'],
    ['numpad', key('Numpad3'), 'Num3'],
    ['function key', key('F5'), 'F5'],
    ['modifiers in order', key('KeyP', { metaKey: true, shiftKey: true, ctrlKey: true }), 'Ctrl+Shift+Meta+P'],
    ['space', key('Space'), 'Space'],
    ['a modifier alone', key('ShiftLeft', { shiftKey: true }), undefined],
    ['a media key', key('MediaPlayPause'), undefined],
    ['F25 does not exist', key('F25'), undefined],
  ])('%s', (_name, event, expected) => {
    expect(hotkeyFromEvent(event)).toBe(expected);
  });

  it('knows which targets are for typing', () => {
    const el = (tagName: string, extra: Record<string, unknown> = {}) => ({ tagName, isContentEditable: false, ...extra }) as unknown as EventTarget;
    expect(isTypingTarget(el('INPUT', { type: 'text' }))).toBe(true);
    expect(isTypingTarget(el('INPUT', { type: 'checkbox' }))).toBe(false);
    expect(isTypingTarget(el('TEXTAREA'))).toBe(true);
    expect(isTypingTarget(el('SELECT'))).toBe(true);
    expect(isTypingTarget(el('DIV', { isContentEditable: true }))).toBe(true);
    expect(isTypingTarget(el('BUTTON'))).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
    expect(keyName('KeyZ')).toBe('Z');
  });
});

describe('badges', () => {
  const fire = (overrides: Partial<CueFire>): CueFire =>
    ({ fid: 'f', seq: 1, cueId: 'c', cueName: 'C', status: 'queued', attempts: 0, throttled: 0, firedAt: '2026-11-29T10:00:00Z', payload: 'x', bytes: 1, ...overrides }) as CueFire;

  it.each<[string, Partial<CueFire>, string, string]>([
    ['queued', { status: 'queued' }, 'queued', 'pending'],
    ['accepted', { status: 'accepted', acceptMs: 40 }, 'accepted', 'accepted'],
    ['seen with its latency', { status: 'seen', deliveryMs: 1260, seenBy: 'viewer page' }, 'seen +1.3 s', 'seen'],
    ['not seen in time', { status: 'unseen' }, 'not seen', 'warning'],
    ['failed: not live', { status: 'failed', error: { code: 'NOT_LIVE', message: 'x is not live.', fatal: false } }, 'failed: not live', 'failed'],
    ['coalesced', { status: 'coalesced', coalescedInto: 'g' }, 'replaced', 'muted'],
  ])('%s', (_name, overrides, label, tone) => {
    expect(badgeForFire(fire(overrides), 15)).toMatchObject({ label, tone });
  });

  it('a refusal says why in a few words and in full', () => {
    const badge = badgeForRefusal({ code: 'CUES_DISARMED', message: 'The cue board is disarmed: "C" was not sent.', action: 'Switch "Armed" on.', fatal: false });
    expect(badge).toEqual({ status: 'refused', tone: 'failed', label: 'not sent: disarmed', detail: 'The cue board is disarmed: "C" was not sent. Switch "Armed" on.' });
    expect(formatSeconds(-250)).toBe('−0.3 s');
  });
});
