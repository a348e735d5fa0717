import { describe, expect, it } from 'vitest';
import { parseAppArguments } from './app-arguments';
import { isAllowedNavigation, isAppUrl, isPermissionAllowed, safeStorageWarning } from './security-policy';

describe('Electron security policy', () => {
  it.each([
    ['app://studio/index.html', true],
    ['app://studio/', true],
    ['app://studio/index.html#studio-test=1', true],
    ['app://other/index.html', false],
    ['file:///work/main/dist/renderer/index.html', false],
    ['http://127.0.0.1:8080/', false],
    ['https://evil.example/app://studio/', false],
    ['not a url', false],
    [undefined, false],
  ])('isAppUrl(%s) = %s', (url, expected) => {
    expect(isAppUrl(url)).toBe(expected);
  });

  it('navigation stays on the studio', () => {
    expect(isAllowedNavigation('app://studio/index.html')).toBe(true);
    expect(isAllowedNavigation('https://aws.amazon.com/')).toBe(false);
    expect(isAllowedNavigation('javascript:alert(1)')).toBe(false);
  });

  it.each([
    ['fullscreen', 'app://studio/index.html', true],
    ['clipboard-sanitized-write', 'app://studio/index.html', true],
    ['media', 'app://studio/index.html', false],
    ['display-capture', 'app://studio/index.html', false],
    ['geolocation', 'app://studio/index.html', false],
    ['notifications', 'app://studio/index.html', false],
    ['fullscreen', 'https://evil.example/', false],
  ])('permission %s from %s: %s', (permission, url, expected) => {
    expect(isPermissionAllowed(permission, url)).toBe(expected);
  });

  it('warns about the basic_text safeStorage backend on Linux only', () => {
    expect(safeStorageWarning('linux', 'basic_text')).toMatch(/No working OS keyring/);
    expect(safeStorageWarning('linux', 'gnome_libsecret')).toBeUndefined();
    expect(safeStorageWarning('darwin', undefined)).toBeUndefined();
  });

  it('reads the studio flags among Chromium switches', () => {
    expect(parseAppArguments(['/app', '--no-sandbox', '--data-dir', '/tmp/d', '--remote', '--enable-logging'])).toEqual({ dataDir: '/tmp/d', remote: true, remoteFull: false });
    expect(parseAppArguments(['/app', '--data-dir=/x', '--remote-full'])).toEqual({ dataDir: '/x', remote: false, remoteFull: true });
  });
});
