import { describe, expect, it } from 'vitest';
import type { CueFire, CueTemplate } from '../contract/domains/cues';
import { LateJoinerState, type AcceptedFire } from './late-joiner-state';
import { fireIdOf, matchReportedPayload } from './seen-matcher';

const accepted = (fid: string, template: CueTemplate, lateJoiners = true): AcceptedFire => ({
  fid,
  cueId: `cue-${fid}`,
  cueName: fid,
  channelArn: 'arn',
  template,
  lateJoiners,
  payload: `{"fid":"${fid}"}`,
});

describe('LateJoinerState', () => {
  it('keeps one item per overlay; a newer cue replaces, clear removes one or all, countdowns expire', () => {
    const state = new LateJoinerState();
    const t0 = Date.parse('2026-11-29T10:00:00Z');
    state.apply(accepted('poll1', { kind: 'poll', question: 'q', options: ['a', 'b'] }), t0);
    state.apply(accepted('prod1', { kind: 'product', title: 't', price: '', imageUrl: '', link: '' }), t0);
    state.apply(accepted('poll2', { kind: 'poll', question: 'q2', options: ['a', 'b'] }), t0);
    expect(state.items().map((i) => [i.kind, i.fid])).toEqual([
      ['poll', 'poll2'],
      ['product', 'prod1'],
    ]);
    state.apply(accepted('clr', { kind: 'clear', target: 'poll' }), t0);
    expect(state.items().map((i) => i.fid)).toEqual(['prod1']);
    state.apply(accepted('cd', { kind: 'countdown', label: 'x', seconds: 10 }), t0);
    expect(state.expire(t0 + 9_999)).toBe(false);
    expect(state.expire(t0 + 10_000)).toBe(true);
    state.apply(accepted('clr2', { kind: 'clear' }), t0);
    expect(state.items()).toEqual([]);
  });

  it('a cue without late-joiner re-sends removes the stale state of its overlay', () => {
    const state = new LateJoinerState();
    state.apply(accepted('p1', { kind: 'poll', question: 'q', options: ['a', 'b'] }), 0);
    expect(state.apply(accepted('p2', { kind: 'poll', question: 'q', options: ['a', 'b'] }, false), 0)).toBe(true);
    expect(state.items()).toEqual([]);
  });

  it('hands out due items, oldest send first, at the interval', () => {
    const state = new LateJoinerState();
    state.apply(accepted('a', { kind: 'chapter', title: 'x' }), 0);
    state.apply(accepted('b', { kind: 'poll', question: 'q', options: ['a', 'b'] }), 1_000);
    expect(state.due('arn', 4_999, 5_000)).toEqual([]);
    expect(state.due('arn', 6_000, 5_000).map((d) => d.fid)).toEqual(['a', 'b']);
    state.markResent('chapter', 'a', 6_000);
    expect(state.due('arn', 6_000, 5_000).map((d) => d.fid)).toEqual(['b']);
    expect(state.due('other-arn', 60_000, 5_000)).toEqual([]);
    expect(state.due('arn', 60_000, 0)).toEqual([]);
    expect(state.items().find((i) => i.fid === 'a')!.resends).toBe(1);
  });
});

describe('matching sightings to fires', () => {
  const fires: CueFire[] = [
    { fid: 'aaaa1111', payload: '{"type":"poll","fid":"aaaa1111"}', status: 'accepted' },
    { fid: 'bbbb2222', payload: 'hello', status: 'seen' },
    { fid: 'cccc3333', payload: 'hello', status: 'accepted' },
    { fid: 'dddd4444', payload: 'hello', status: 'unseen' },
  ] as CueFire[];
  const lookup = {
    byFid: (fid: string) => fires.find((f) => f.fid === fid),
    awaitingSight: () => fires.filter((f) => f.status === 'accepted' || f.status === 'unseen'),
  };

  it.each<[string, string, string | undefined]>([
    ['by fid in JSON', '{"type":"poll","fid":"aaaa1111","question":"changed by a proxy?"}', 'aaaa1111'],
    ['free text: the oldest waiting fire of that text', 'hello', 'cccc3333'],
    ['unknown text', 'bye', undefined],
    ['JSON with an unknown fid and no text match', '{"fid":"zzzz9999"}', undefined],
  ])('%s', (_name, text, fid) => {
    expect(matchReportedPayload(text, lookup)?.fid).toBe(fid);
  });

  it.each([
    ['{"fid":"abcd1234"}', 'abcd1234'],
    [' {"type":"x","fid":"abcd1234"}', 'abcd1234'],
    ['{"fid":12}', undefined],
    ['{"fid":"NOT_OURS!"}', undefined],
    ['not json', undefined],
    ['{broken', undefined],
  ])('fireIdOf(%s)', (text, fid) => {
    expect(fireIdOf(text)).toBe(fid);
  });
});
