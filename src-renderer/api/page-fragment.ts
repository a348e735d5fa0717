/**
 * The page URL's fragment carries the access token (`#token=…`) and, in tests, the test-hook switch
 * (`studio-test=1`). Browsers never send a fragment to a server, so the token stays out of request
 * lines and logs. Once read, the token moves to sessionStorage (a reload still works) and leaves the
 * address bar, where a screen-sharing streamer would otherwise show it to their audience.
 */
import { TOKEN_FRAGMENT_KEY } from '@contract/ws-wire';

const STORAGE_KEY = 'ivs-studio.token';
export const TEST_HOOK_FRAGMENT_KEY = 'studio-test';

export interface PageLocation {
  hash: string;
  pathname: string;
  search: string;
}

export function parseFragment(hash: string): URLSearchParams {
  return new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
}

/** The fragment without the token (other keys stay). */
export function fragmentWithoutToken(hash: string): string {
  const params = parseFragment(hash);
  params.delete(TOKEN_FRAGMENT_KEY);
  const rest = params.toString();
  return rest ? `#${rest}` : '';
}

export function takeAccessToken(location: PageLocation, storage: Pick<Storage, 'getItem' | 'setItem'>, replaceUrl: (url: string) => void): string | undefined {
  const fromUrl = parseFragment(location.hash).get(TOKEN_FRAGMENT_KEY) ?? undefined;
  if (fromUrl) {
    storage.setItem(STORAGE_KEY, fromUrl);
    replaceUrl(`${location.pathname}${location.search}${fragmentWithoutToken(location.hash)}`);
    return fromUrl;
  }
  return storage.getItem(STORAGE_KEY) ?? undefined;
}

export function isTestHookRequested(hash: string): boolean {
  return parseFragment(hash).get(TEST_HOOK_FRAGMENT_KEY) === '1';
}
