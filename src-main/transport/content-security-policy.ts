/**
 * The one Content-Security-Policy for the studio UI, sent by the HTTP server (browser mode) and by
 * the app:// protocol handler (Electron). No inline script, no eval, no plugins, no framing.
 *
 * Beyond 'self', each source is there for a named reason:
 * - connect-src/media-src http://127.0.0.1:* and localhost: the preview player loads HLS from the
 *   embedded local channel, which listens on its own loopback port.
 * - https://*.live-video.net: playback of real IVS channels (playlists, segments, the IVS player).
 * - ws://127.0.0.1:* / localhost: the Electron window may talk to the engine's WebSocket in tests.
 * - blob: for media: hls.js feeds MediaSource through blob: URLs.
 * - worker-src blob: and 'wasm-unsafe-eval': the IVS Player SDK runs its decoder as a wasm worker.
 * - img-src https: product-card cue overlays show the merchant's image from wherever it is hosted
 *   (images only: no script, frame or connection to those hosts).
 * style-src stays 'self': React writes style props through CSSOM, which CSP does not block.
 */
export interface CspOptions {
  /** Extra origins the page may connect to (e.g. a remote studio's LAN address). */
  extraConnectSources?: readonly string[];
}

export function buildContentSecurityPolicy(options: CspOptions = {}): string {
  const loopback = ['http://127.0.0.1:*', 'http://localhost:*'];
  const ivs = 'https://*.live-video.net';
  const directives: Record<string, string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'", "'wasm-unsafe-eval'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:', 'https:'],
    'font-src': ["'self'"],
    'media-src': ["'self'", 'blob:', ...loopback, ivs],
    'connect-src': ["'self'", ...loopback, 'ws://127.0.0.1:*', 'ws://localhost:*', ivs, 'wss://*.live-video.net', ...(options.extraConnectSources ?? [])],
    'worker-src': ["'self'", 'blob:'],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
    'frame-ancestors': ["'none'"],
    'frame-src': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** Headers every UI response carries, in both hosts. */
export function securityHeaders(csp = buildContentSecurityPolicy()): Record<string, string> {
  return {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), display-capture=()',
  };
}

/**
 * The same policy for a <meta> tag in the built index.html (defence in depth, and visible to static
 * checks). frame-ancestors is dropped: browsers ignore it in <meta> and say so in the console.
 */
export function buildMetaContentSecurityPolicy(options: CspOptions = {}): string {
  return buildContentSecurityPolicy(options)
    .split('; ')
    .filter((directive) => !directive.startsWith('frame-ancestors '))
    .join('; ');
}
