import { describe, expect, it } from 'vitest';
import type { Cue, CueTemplate } from '../contract/domains/cues';
import { FIRE_ID_LENGTH, cueProblems, describeOversize, newFireId, payloadBytes, previewPayload, renderPayload, templateProblems } from './cue-payload';

const context = { fid: 'abcd1234', now: new Date('2026-11-29T10:00:00.000Z'), counter: 3, values: { price: '€12', who: 'Ana' } };

describe('renderPayload', () => {
  it.each<[string, CueTemplate, string]>([
    ['free text as written, variables filled', { kind: 'text', text: 'hello {{who}} #{{counter}} at {{now}}' }, 'hello Ana #3 at 2026-11-29T10:00:00.000Z'],
    ['free text carries the fire id only when asked', { kind: 'text', text: 'x{{fid}}' }, 'xabcd1234'],
    ['poll', { kind: 'poll', question: 'Best?', options: ['A', 'B {{counter}}'] }, '{"type":"poll","fid":"abcd1234","question":"Best?","options":["A","B 3"]}'],
    [
      'product card',
      { kind: 'product', title: 'Mug', price: '{{price}}', imageUrl: 'https://x/m.jpg', link: 'https://x/m' },
      '{"type":"product","fid":"abcd1234","title":"Mug","price":"€12","imageUrl":"https://x/m.jpg","link":"https://x/m"}',
    ],
    ['quiz without the answer', { kind: 'quiz', question: 'Q?', answers: ['a', 'b'] }, '{"type":"quiz","fid":"abcd1234","question":"Q?","answers":["a","b"]}'],
    ['quiz reveal', { kind: 'quiz', question: 'Q?', answers: ['a', 'b'], correct: 1 }, '{"type":"quiz","fid":"abcd1234","question":"Q?","answers":["a","b"],"correct":1}'],
    ['chapter', { kind: 'chapter', title: 'Part {{counter}}' }, '{"type":"chapter","fid":"abcd1234","title":"Part 3"}'],
    ['countdown ends at fire time + seconds', { kind: 'countdown', label: 'Back in', seconds: 90 }, '{"type":"countdown","fid":"abcd1234","label":"Back in","seconds":90,"endsAt":"2026-11-29T10:01:30.000Z"}'],
    ['clear all', { kind: 'clear' }, '{"type":"clear","fid":"abcd1234"}'],
    ['clear one overlay', { kind: 'clear', target: 'poll' }, '{"type":"clear","fid":"abcd1234","target":"poll"}'],
    ['JSON-escapes filled values', { kind: 'chapter', title: 'say "{{who}}"\n' }, '{"type":"chapter","fid":"abcd1234","title":"say \\"Ana\\"\\n"}'],
  ])('%s', (_name, template, expected) => {
    expect(renderPayload(template, context)).toBe(expected);
  });
});

describe('payload size (UTF-8 bytes of the final payload)', () => {
  it.each([
    ['ASCII', 'abc', 3],
    ['2-byte letters', 'ééé', 6],
    ['3-byte CJK', '日本', 6],
    ['4-byte emoji', '🎉', 4],
    ['empty', '', 0],
  ])('%s', (_name, text, bytes) => {
    expect(payloadBytes(text)).toBe(bytes);
  });

  const textCue = (text: string): Pick<Cue, 'template' | 'variables'> => ({ template: { kind: 'text', text }, variables: [] });

  it.each([
    ['1,024 ASCII bytes fit', 'a'.repeat(1024), 1024, 0],
    ['1,025 ASCII bytes are 1 over', 'a'.repeat(1025), 1025, 1],
    ['512 two-byte letters are exactly 1,024', 'é'.repeat(512), 1024, 0],
    ['257 emoji are 4 over', '🎉'.repeat(257), 1028, 4],
  ])('%s', (_name, text, bytes, overBy) => {
    const preview = previewPayload(textCue(text), { counter: 1 });
    expect(preview).toMatchObject({ bytes, overBy, limitBytes: 1024 });
    expect(preview.payload).toBe(text);
  });

  it('measures a template cue with its fire id and time at their real widths', () => {
    const cue: Pick<Cue, 'template' | 'variables'> = { template: { kind: 'chapter', title: '{{now}}' }, variables: [] };
    const preview = previewPayload(cue, { counter: 1, now: context.now });
    const real = renderPayload(cue.template, { ...context, fid: newFireId() });
    expect(preview.bytes).toBe(payloadBytes(real));
    expect(newFireId()).toMatch(new RegExp(`^[0-9a-z]{${FIRE_ID_LENGTH}}$`));
  });

  it('uses the next counter value (its digits count)', () => {
    const cue: Pick<Cue, 'template' | 'variables'> = { template: { kind: 'text', text: '{{counter}}' }, variables: [] };
    expect(previewPayload(cue, { counter: 9 }).bytes).toBe(1);
    expect(previewPayload(cue, { counter: 10 }).bytes).toBe(2);
  });

  it('says by how much', () => {
    expect(describeOversize(1025)).toBe("1,025 bytes, 1 byte over IVS's 1,024-byte limit");
    expect(describeOversize(2000)).toBe("2,000 bytes, 976 bytes over IVS's 1,024-byte limit");
  });
});

describe('template and cue problems', () => {
  it.each<[string, CueTemplate, RegExp | undefined]>([
    ['a fine poll', { kind: 'poll', question: 'Q', options: ['a', 'b'] }, undefined],
    ['a poll with one option', { kind: 'poll', question: 'Q', options: ['a'] }, /at least 2 options/],
    ['a poll with an empty option', { kind: 'poll', question: 'Q', options: ['a', ' '] }, /option 2 is empty/],
    ['a poll with 11 options', { kind: 'poll', question: 'Q', options: Array.from({ length: 11 }, (_, i) => `o${i}`) }, /at most 10 options/],
    ['a quiz whose answer is out of range', { kind: 'quiz', question: 'Q', answers: ['a', 'b'], correct: 2 }, /correct answer must be one of 1–2/],
    ['a product link that is not http(s)', { kind: 'product', title: 'T', price: '', imageUrl: '', link: 'javascript:alert(1)' }, /link must start with http/],
    ['a product link from a variable', { kind: 'product', title: 'T', price: '', imageUrl: '', link: '{{url}}' }, undefined],
    ['a zero countdown', { kind: 'countdown', label: 'x', seconds: 0 }, /1–86400 whole seconds/],
    ['empty free text', { kind: 'text', text: '' }, /empty/],
    ['a lone surrogate', { kind: 'text', text: 'a\uD800b' }, /broken Unicode/],
    ['clear', { kind: 'clear' }, undefined],
  ])('%s', (_name, template, problem) => {
    const problems = templateProblems(template);
    if (problem) expect(problems.join('; ')).toMatch(problem);
    else expect(problems).toEqual([]);
  });

  it('refuses undeclared variables and names the built-ins', () => {
    expect(cueProblems({ template: { kind: 'text', text: '{{nope}} {{now}}' }, variables: [] })).toEqual([
      '{{nope}} is not a variable of this cue (declare it, or use {{now}}, {{counter}} or {{fid}})',
    ]);
  });
});
