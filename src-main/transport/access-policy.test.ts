import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin, isEventVisibleTo, isLoopbackAddress, parseHostHeader, rightsForPeer } from './access-policy';

describe('access policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['::ffff:127.0.0.1', true],
    ['192.0.2.2', false],
    ['::ffff:192.0.2.2', false],
    ['fe80::1', false],
    [undefined, false],
  ])('loopback(%s) = %s', (address, expected) => {
    expect(isLoopbackAddress(address)).toBe(expected);
  });

  it('parses host headers with ports and IPv6 brackets', () => {
    expect(parseHostHeader('127.0.0.1:8080')).toEqual({ hostname: '127.0.0.1', port: '8080' });
    expect(parseHostHeader('[::1]:80')).toEqual({ hostname: '::1', port: '80' });
    expect(parseHostHeader('LocalHost')).toEqual({ hostname: 'localhost', port: undefined });
    expect(parseHostHeader('a:b:c')).toBeUndefined();
  });

  it.each([
    ['127.0.0.1:9000', false, true],
    ['localhost:9000', false, true],
    ['[::1]:9000', false, true],
    ['evil.example:9000', false, false],
    ['192.0.2.2:9000', false, false],
    ['192.0.2.2:9000', true, true],
    [undefined, true, false],
  ])('host %s with remote=%s allowed: %s', (host, remote, expected) => {
    expect(isAllowedHost(host, remote)).toBe(expected);
  });

  it.each([
    ['no Origin (non-browser client)', undefined, '127.0.0.1:9000', true],
    ['same origin', 'http://127.0.0.1:9000', '127.0.0.1:9000', true],
    ['same origin, other case', 'http://LOCALHOST:9000', 'localhost:9000', true],
    ['another port', 'http://127.0.0.1:9001', '127.0.0.1:9000', false],
    ['another site', 'https://evil.example', '127.0.0.1:9000', false],
    ['a rebinding site that matches its own Host', 'http://evil.example:9000', 'evil.example:9000', true],
    ['null (sandboxed frame, file://)', 'null', '127.0.0.1:9000', false],
    ['the Electron window', 'app://studio', '127.0.0.1:9000', true],
  ])('origin: %s', (_name, origin, host, expected) => {
    expect(isAllowedOrigin(origin, host, ['app://studio'])).toBe(expected);
  });

  it('loopback peers get full rights, remote peers what the operator granted', () => {
    expect(rightsForPeer('127.0.0.1', 'cues')).toBe('full');
    expect(rightsForPeer('192.0.2.5', 'cues')).toBe('cues');
    expect(rightsForPeer('192.0.2.5', 'full')).toBe('full');
  });

  it('a cue-rights connection sees cue, stream and app events only', () => {
    expect(['cues:fired', 'stream:state-changed', 'app:notice', 'settings:changed', 'channel:state-changed'].filter((e) => isEventVisibleTo('cues', e))).toEqual([
      'cues:fired',
      'stream:state-changed',
      'app:notice',
    ]);
    expect(isEventVisibleTo('full', 'settings:changed')).toBe(true);
  });
});
