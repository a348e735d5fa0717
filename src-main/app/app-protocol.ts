/**
 * The app:// scheme: the built UI served to the Electron window with the same files, resolver and
 * security headers (CSP included) as browser mode. Registered as privileged (standard + secure)
 * before the app is ready, so the page is a secure context with a real origin instead of file://.
 */
import { protocol } from 'electron';
import { securityHeaders } from '../transport/content-security-policy';
import { readStaticFile } from '../transport/static-files';
import { APP_HOST, APP_SCHEME } from './security-policy';

/** Must run before `app` is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } },
  ]);
}

export function serveAppProtocol(rendererRoot: string): void {
  const headers = securityHeaders();
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    if (url.host !== APP_HOST || request.method !== 'GET') {
      return new Response('Not found', { status: 404, headers: { ...headers, 'Content-Type': 'text/plain' } });
    }
    const file = await readStaticFile(rendererRoot, url.pathname);
    return new Response(new Uint8Array(file.body), {
      status: file.status,
      headers: { ...headers, 'Content-Type': file.contentType, 'Cache-Control': file.cacheControl },
    });
  });
}
