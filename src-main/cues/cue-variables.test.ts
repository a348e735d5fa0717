import { describe, expect, it } from 'vitest';
import type { CueVariable } from '../contract/domains/cues';
import { fillVariables, referencedVariables, resolveValues, undeclaredReferences, variableDeclarationProblems } from './cue-variables';

const now = new Date('2026-11-29T10:00:00.000Z');
const context = { fid: 'f0000001', now, counter: 12, values: { score: '3', team: 'Blue' } };

describe('fillVariables', () => {
  it.each([
    ['built-ins', '{{now}} #{{counter}} {{fid}}', '2026-11-29T10:00:00.000Z #12 f0000001'],
    ['typed values', '{{team}} leads {{score}}', 'Blue leads 3'],
    ['spaces inside braces', '{{ team }}', 'Blue'],
    ['unknown stays as written', '{{other}}', '{{other}}'],
    ['single braces are text', '{team}', '{team}'],
    ['repeated', '{{team}}{{team}}', 'BlueBlue'],
  ])('%s', (_name, text, expected) => {
    expect(fillVariables(text, context)).toBe(expected);
  });

  it('lists references', () => {
    expect(referencedVariables('{{a}} {{ b }} {{now}} {{a}}')).toEqual(['a', 'b', 'now', 'a']);
  });
});

describe('typed values at fire time', () => {
  const variables: CueVariable[] = [
    { name: 'score', type: 'number', defaultValue: '0' },
    { name: 'team', type: 'choice', defaultValue: 'Red', options: ['Red', 'Blue'] },
    { name: 'note', type: 'text', defaultValue: '' },
  ];

  it.each<[string, Record<string, string>, Record<string, string>, string[]]>([
    ['defaults', {}, { score: '0', team: 'Red', note: '' }, []],
    ['given values', { score: '2.5', team: 'Blue', note: 'hi' }, { score: '2.5', team: 'Blue', note: 'hi' }, []],
    ['numbers are normalised', { score: ' 07 ' }, { score: '7', team: 'Red', note: '' }, []],
    ['not a number', { score: 'many' }, { score: 'NaN', team: 'Red', note: '' }, ['"score" must be a number, not "many"']],
    ['not a choice', { team: 'Green' }, { score: '0', team: 'Green', note: '' }, ['"team" must be one of "Red", "Blue", not "Green"']],
    ['unknown name', { colour: 'x' }, { score: '0', team: 'Red', note: '' }, ['the cue has no variable "colour"']],
  ])('%s', (_name, given, values, problems) => {
    const result = resolveValues(variables, given);
    expect(result.problems).toEqual(problems);
    if (problems.length === 0) expect(result.values).toEqual(values);
  });
});

describe('declarations', () => {
  it.each<[string, CueVariable[], string[]]>([
    ['fine', [{ name: 'price', type: 'text', defaultValue: '€1' }], []],
    ['built-in name', [{ name: 'now', type: 'text', defaultValue: '' }], ['"now" is built in; choose another name']],
    ['bad name', [{ name: '1x', type: 'text', defaultValue: '' }], ['"1x" is not a variable name (a letter, then letters, digits, _ or -; up to 32)']],
    [
      'twice',
      [
        { name: 'a', type: 'text', defaultValue: '' },
        { name: 'a', type: 'text', defaultValue: '' },
      ],
      ['the variable "a" is declared twice'],
    ],
    ['choice without options', [{ name: 'c', type: 'choice', defaultValue: 'x', options: [] }], ['the choice "c" has no options', 'default of "c" must be one of , not "x"']],
    ['number default not a number', [{ name: 'n', type: 'number', defaultValue: '' }], ['default of "n" must be a number, not ""']],
  ])('%s', (_name, variables, problems) => {
    expect(variableDeclarationProblems(variables)).toEqual(problems);
  });

  it('finds undeclared references across texts', () => {
    expect(undeclaredReferences(['{{a}} {{now}}', '{{b}} {{counter}} {{fid}}'], [{ name: 'a', type: 'text', defaultValue: '' }])).toEqual(['b']);
  });
});
