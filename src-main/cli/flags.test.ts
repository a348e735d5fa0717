import { describe, expect, it } from 'vitest';
import { parseFlags } from './flags';

describe('parseFlags', () => {
  const spec = { port: 'string', remote: 'boolean' } as const;

  it.each([
    [['--port', '8080'], { port: '8080' }],
    [['--port=0', '--remote'], { port: '0', remote: true }],
    [['--help'], { help: true }],
  ])('%j', (argv, expected) => {
    expect(parseFlags(argv, spec)).toEqual(expected);
  });

  it.each([
    [['--nope'], /unknown option --nope/],
    [['--port'], /--port needs a value/],
    [['--remote=yes'], /--remote takes no value/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv, spec)).toThrow(message);
  });

  it('never repeats a positional argument (it may be a pasted stream key)', () => {
    const key = 'sk_us-west-2_abcdefghijklmnop';
    let message = '';
    try {
      parseFlags(['--port', '1', key], spec);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/unexpected argument #3/);
    expect(message).not.toContain(key);
  });
});
