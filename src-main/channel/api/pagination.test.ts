import { describe, expect, it } from 'vitest';
import { IvsError } from './ivs-error';
import { decodeToken, encodeToken, paginate, queryFingerprint } from './pagination';

const items = ['e', 'a', 'd', 'c', 'b'];
const options = { operation: 'ListX', filters: { f: 1 } };

function all(maxResults: number): string[][] {
  const pages: string[][] = [];
  let nextToken: string | undefined;
  do {
    const page = paginate(items, (x) => x, { ...options, maxResults, nextToken });
    pages.push(page.items);
    nextToken = page.nextToken;
  } while (nextToken);
  return pages;
}

describe('paginate', () => {
  it.each([
    [1, [['a'], ['b'], ['c'], ['d'], ['e']]],
    [2, [['a', 'b'], ['c', 'd'], ['e']]],
    [5, [['a', 'b', 'c', 'd', 'e']]],
    [100, [['a', 'b', 'c', 'd', 'e']]],
  ])('maxResults %i pages through everything once, sorted, token absent on the last page', (max, pages) => {
    expect(all(max)).toEqual(pages);
  });

  it('an empty list is one empty page without a token', () => {
    expect(paginate([], (x: string) => x, { ...options, maxResults: 10 })).toEqual({ items: [] });
  });

  it('items added or removed between pages are neither repeated nor skipped', () => {
    const first = paginate(['a', 'b', 'c', 'd'], (x) => x, { ...options, maxResults: 2 });
    expect(first.items).toEqual(['a', 'b']);
    const second = paginate(['0', 'b', 'bb', 'd'], (x) => x, { ...options, maxResults: 2, nextToken: first.nextToken });
    expect(second.items).toEqual(['bb', 'd']);
  });

  it('tokens match the IVS nextToken pattern and are bound to operation and filters', () => {
    const token = encodeToken(queryFingerprint('ListX', { f: 1 }), 'arn:aws:ivs:x');
    expect(token).toMatch(/^[a-zA-Z0-9+/=_-]{1,1024}$/);
    expect(decodeToken(token, queryFingerprint('ListX', { f: 1 }))).toBe('arn:aws:ivs:x');
    // undefined filters do not count
    expect(queryFingerprint('ListX', { f: 1, g: undefined })).toBe(queryFingerprint('ListX', { f: 1 }));
    expect(() => decodeToken(token, queryFingerprint('ListX', { f: 2 }))).toThrow(IvsError);
    expect(() => decodeToken(token, queryFingerprint('ListY', { f: 1 }))).toThrow(/does not belong to this request/);
  });

  it.each(['garbage', 'e30', Buffer.from('{"v":2,"q":"x","a":"y"}').toString('base64url')])('refuses a token it did not issue: %s', (token) => {
    expect(() => paginate(items, (x) => x, { ...options, maxResults: 1, nextToken: token })).toThrow(/nextToken is not valid/);
  });
});
