import { describe, expect, it } from 'vitest';
import { parseClientFrame, pathOfRequestUrl, tokenFromRequestUrl } from './ws-protocol';

describe('parseClientFrame', () => {
  it.each([
    ['auth', '{"type":"auth","token":"abc"}', { kind: 'frame', frame: { type: 'auth', token: 'abc' } }],
    ['request', '{"type":"request","id":7,"channel":"app:get-info","args":[]}', { kind: 'frame', frame: { type: 'request', id: 7, channel: 'app:get-info', args: [] } }],
    ['request without args', '{"type":"request","id":"r1","channel":"settings:get"}', { kind: 'frame', frame: { type: 'request', id: 'r1', channel: 'settings:get', args: [] } }],
  ])('reads a valid %s frame', (_name, text, expected) => {
    expect(parseClientFrame(text)).toEqual(expected);
  });

  it.each([
    ['not JSON', '{"type":', undefined, /not valid JSON/],
    ['an array', '[1,2]', undefined, /JSON object/],
    ['a number', '42', undefined, /JSON object/],
    ['an unknown type', '{"type":"hello","id":3}', 3, /Unknown message type "hello"/],
    ['no id', '{"type":"request","channel":"app:get-info"}', undefined, /needs an "id"/],
    ['a float id', '{"type":"request","id":1.5,"channel":"app:get-info"}', undefined, /needs an "id"/],
    ['no channel', '{"type":"request","id":4}', 4, /"channel" string/],
    ['args not an array', '{"type":"request","id":5,"channel":"settings:update","args":{"theme":"dark"}}', 5, /"args" of settings:update must be an array/],
    ['auth without token', '{"type":"auth"}', undefined, /"token" string/],
  ])('refuses %s with BAD_REQUEST', (_name, text, id, message) => {
    const parsed = parseClientFrame(text);
    expect(parsed).toMatchObject({ kind: 'invalid', code: 'BAD_REQUEST' });
    expect(parsed.kind === 'invalid' && parsed.id).toBe(id ?? undefined);
    expect(parsed.kind === 'invalid' && parsed.message).toMatch(message);
  });

  it('refuses an oversized frame before parsing it, naming both sizes', () => {
    const text = JSON.stringify({ type: 'request', id: 1, channel: 'settings:update', args: ['x'.repeat(2000)] });
    const parsed = parseClientFrame(text, 1000);
    expect(parsed).toMatchObject({ kind: 'invalid', code: 'REQUEST_TOO_LARGE' });
    expect(parsed.kind === 'invalid' && parsed.message).toMatch(new RegExp(`${Buffer.byteLength(text)} bytes.*at most 1000`));
  });
});

describe('connect URLs', () => {
  it.each([
    ['/api?token=abc', 'abc'],
    ['/api?x=1&token=a%2Bb', 'a+b'],
    ['/api', undefined],
    ['/api?token=', undefined],
    [undefined, undefined],
  ])('token of %s is %s', (url, token) => {
    expect(tokenFromRequestUrl(url)).toBe(token);
  });

  it('path ignores the query', () => {
    expect(pathOfRequestUrl('/api?token=abc')).toBe('/api');
    expect(pathOfRequestUrl(undefined)).toBe('/');
  });
});
