import { describe, expect, it } from 'vitest';
import { applyOverlayCue, expireOverlays, formatRemaining, parseOverlayCue, type OverlayState } from './overlay-model';
import { ivsPayloadOf } from '../../viewer/ivs-metadata-cues';

describe('parseOverlayCue (untrusted payloads from the stream)', () => {
  it.each<[string, string, unknown]>([
    ['poll', '{"type":"poll","fid":"f1","question":"Q?","options":["a","b"]}', { type: 'poll', fid: 'f1', question: 'Q?', options: ['a', 'b'] }],
    [
      'product with safe URLs',
      '{"type":"product","fid":"f2","title":"Mug","price":"€12","imageUrl":"https://x.test/m.jpg","link":"https://x.test/m"}',
      { type: 'product', fid: 'f2', title: 'Mug', price: '€12', imageUrl: 'https://x.test/m.jpg', link: 'https://x.test/m' },
    ],
    ['product drops a javascript: link', '{"type":"product","title":"T","price":"1","link":"javascript:alert(1)","imageUrl":"data:x"}', { type: 'product', title: 'T', price: '1' }],
    ['quiz reveal', '{"type":"quiz","question":"Q","answers":["a","b"],"correct":1}', { type: 'quiz', question: 'Q', answers: ['a', 'b'], correct: 1 }],
    ['quiz drops an out-of-range answer', '{"type":"quiz","question":"Q","answers":["a","b"],"correct":5}', { type: 'quiz', question: 'Q', answers: ['a', 'b'] }],
    ['chapter', '{"type":"chapter","title":"Part 2"}', { type: 'chapter', title: 'Part 2' }],
    ['countdown', '{"type":"countdown","label":"Back","seconds":60,"endsAt":"2026-11-29T10:01:00.000Z"}', { type: 'countdown', label: 'Back', seconds: 60, endsAtMs: Date.parse('2026-11-29T10:01:00.000Z') }],
    ['clear one', '{"type":"clear","target":"poll"}', { type: 'clear', target: 'poll' }],
    ['clear with an unknown target clears all', '{"type":"clear","target":"banner"}', { type: 'clear' }],
    ['free text', 'hello', undefined],
    ['other JSON', '{"type":"banner"}', undefined],
    ['poll without options', '{"type":"poll","question":"Q","options":[]}', undefined],
    ['poll with a non-string option', '{"type":"poll","question":"Q","options":[1]}', undefined],
    ['an array', '[1]', undefined],
  ])('%s', (_name, text, expected) => {
    expect(parseOverlayCue(text)).toEqual(expected);
  });
});

describe('overlay state', () => {
  const poll = parseOverlayCue('{"type":"poll","fid":"p1","question":"Q","options":["a","b"]}')!;
  const product = parseOverlayCue('{"type":"product","fid":"x1","title":"T","price":"1"}')!;

  it('one overlay per kind; a re-send with the same fid changes nothing; clear removes one or all', () => {
    let state: OverlayState = {};
    state = applyOverlayCue(state, poll);
    state = applyOverlayCue(state, product);
    const before = state;
    expect(applyOverlayCue(state, poll)).toBe(before);
    state = applyOverlayCue(state, parseOverlayCue('{"type":"poll","fid":"p2","question":"Q2","options":["c","d"]}')!);
    expect(state.poll?.fid).toBe('p2');
    state = applyOverlayCue(state, { type: 'clear', target: 'poll' });
    expect(Object.keys(state)).toEqual(['product']);
    expect(applyOverlayCue(state, { type: 'clear' })).toEqual({});
  });

  it('a countdown expires and formats the time left', () => {
    const countdown = parseOverlayCue('{"type":"countdown","label":"x","seconds":5,"endsAt":"2026-11-29T10:00:05.000Z"}')!;
    const state = applyOverlayCue({}, countdown);
    expect(expireOverlays(state, Date.parse('2026-11-29T10:00:04.999Z'))).toBe(state);
    expect(expireOverlays(state, Date.parse('2026-11-29T10:00:05.000Z'))).toEqual({});
    expect([formatRemaining(65_000), formatRemaining(9_001), formatRemaining(-5)]).toEqual(['1:05', '0:10', '0:00']);
  });
});

describe('IVS cues on hls.js metadata tracks', () => {
  const bytes = (text: string) => new TextEncoder().encode(text).buffer;
  it.each<[string, unknown, string | undefined]>([
    ['PutMetadata PRIV', { key: 'PRIV', info: 'metadata.live-video.net', data: bytes('{"a":"é"}') }, '{"a":"é"}'],
    ['typed array data', { key: 'PRIV', info: 'metadata.live-video.net', data: new TextEncoder().encode('x') }, 'x'],
    ['another owner', { key: 'PRIV', info: 'com.apple.streaming.transportStreamTimestamp', data: bytes('x') }, undefined],
    ['TXXX segment metadata', { key: 'TXXX', info: 'segmentmetadata', data: '{}' }, undefined],
    ['nothing', undefined, undefined],
  ])('%s', (_name, value, expected) => {
    expect(ivsPayloadOf(value)).toBe(expected);
  });
});
