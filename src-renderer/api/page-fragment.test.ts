import { describe, expect, it } from 'vitest';
import { fragmentWithoutToken, isTestHookRequested, takeAccessToken } from './page-fragment';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

describe('the page fragment', () => {
  it('takes the token, keeps it for reloads, and strips it from the address bar', () => {
    const storage = memoryStorage();
    const replaced: string[] = [];
    const token = takeAccessToken({ hash: '#token=abc-123&studio-test=1', pathname: '/', search: '' }, storage, (u) => replaced.push(u));
    expect(token).toBe('abc-123');
    expect(replaced).toEqual(['/#studio-test=1']);
    expect(takeAccessToken({ hash: '', pathname: '/', search: '' }, storage, (u) => replaced.push(u))).toBe('abc-123');
    expect(replaced).toHaveLength(1);
  });

  it('has no token when none was ever given', () => {
    expect(takeAccessToken({ hash: '#x=1', pathname: '/', search: '' }, memoryStorage(), () => undefined)).toBeUndefined();
  });

  it('reads the test-hook switch and leaves other keys alone', () => {
    expect(isTestHookRequested('#token=a&studio-test=1')).toBe(true);
    expect(isTestHookRequested('#token=a')).toBe(false);
    expect(fragmentWithoutToken('#token=a')).toBe('');
  });
});
