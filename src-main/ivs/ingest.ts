import * as net from 'node:net';

/**
 * IVS broadcaster URL for an ingest endpoint: `rtmps://<ingestEndpoint>:443/app/` (the publisher
 * appends the key). An endpoint that already names a port (the local channel's `127.0.0.1:PORT`) keeps it.
 */
export function ivsIngestUrl(ingestEndpoint: string): string {
  return /:\d+$/.test(ingestEndpoint) ? `rtmps://${ingestEndpoint}/app/` : `rtmps://${ingestEndpoint}:443/app/`;
}

/** Parses an rtmp(s):// ingest URL; the error names what is wrong. */
export function parseIngestUrl(url: string): { protocol: 'rtmp' | 'rtmps'; host: string; port: number; path: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: `"${url}" is not a URL; expected rtmp://host/app/ or rtmps://host/app/.` };
  }
  const protocol = parsed.protocol.replace(/:$/, '');
  if (protocol !== 'rtmp' && protocol !== 'rtmps') return { error: `"${url}" is not an RTMP(S) URL (it starts with ${parsed.protocol}//).` };
  if (!parsed.hostname) return { error: `"${url}" has no host.` };
  if (parsed.username || parsed.password) return { error: 'The ingest URL must not contain a user name or password; enter the stream key separately.' };
  const port = parsed.port ? Number(parsed.port) : protocol === 'rtmps' ? 443 : 1935;
  return { protocol, host: parsed.hostname.replace(/^\[|\]$/g, ''), port, path: parsed.pathname };
}

/** A TCP connect to the ingest: enough to tell "unreachable" from "reachable" before going live. */
export function probeIngest(url: string, timeoutMs = 3_000): Promise<{ reachable: boolean; problem?: string }> {
  const target = parseIngestUrl(url);
  if ('error' in target) return Promise.resolve({ reachable: false, problem: target.error });
  return new Promise((resolve) => {
    const socket = net.connect({ host: target.host, port: target.port });
    const done = (result: { reachable: boolean; problem?: string }) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done({ reachable: false, problem: `no answer from ${target.host}:${target.port} within ${timeoutMs / 1000} s` }), timeoutMs);
    socket.once('connect', () => done({ reachable: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => done({ reachable: false, problem: `${error.code ?? error.message} connecting to ${target.host}:${target.port}` }));
  });
}
