/**
 * The WebSocket API on real sockets (127.0.0.1, and the machine's LAN address for remote peers),
 * served by the real engine: every refusal is a specific catalog error, and the server keeps serving.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StudioEngine } from '../../src-main/engine/studio-engine';
import { ALL_INTERFACES, LOOPBACK_HOST, StudioServer } from '../../src-main/transport/studio-server';
import { WsTestClient } from '../support/ws-test-client';

let dataDir: string;
let uiDir: string;
let engine: StudioEngine;
let server: StudioServer;
const clients: WsTestClient[] = [];

function apiUrl(query = '', host = `${LOOPBACK_HOST}:${server.port}`): string {
  return `ws://${host}/api${query}`;
}

function connect(url: string, options: { origin?: string; headers?: Record<string, string> } = {}): WsTestClient {
  const client = WsTestClient.connect(url, options);
  clients.push(client);
  return client;
}

async function authed(url = apiUrl(`?token=${server.token}`)): Promise<WsTestClient> {
  const client = connect(url);
  await client.next('welcome');
  return client;
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ws-'));
  uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-ui-'));
  fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>IVS Studio</title>');
  engine = new StudioEngine({ dataDir, mode: 'browser', version: 'test' });
  server = new StudioServer({ router: engine.router, staticRoot: uiDir, authTimeoutMs: 400 });
  await server.listen(LOOPBACK_HOST, 0);
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.socket.terminate();
  await server.dispose();
  await engine.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(uiDir, { recursive: true, force: true });
});

describe('connection refusals: a specific error, then a close naming it', () => {
  it('no token: the first message must authenticate', async () => {
    const client = connect(apiUrl());
    await client.opened;
    client.sendRaw(JSON.stringify({ type: 'request', id: 1, channel: 'app:get-info', args: [] }));
    const error = await client.next('error');
    expect(error.error).toMatchObject({ code: 'UNAUTHORIZED', message: expect.stringMatching(/No access token was given/) });
    expect(await client.closed).toEqual({ code: 4401, reason: 'UNAUTHORIZED' });
  });

  it('no token and silence: refused when the auth window ends', async () => {
    const client = connect(apiUrl());
    expect((await client.next('error')).error.code).toBe('UNAUTHORIZED');
    expect(await client.closed).toEqual({ code: 4401, reason: 'UNAUTHORIZED' });
  });

  it('a wrong token in the URL', async () => {
    const client = connect(apiUrl('?token=not-the-token'));
    expect((await client.next('error')).error).toMatchObject({ code: 'TOKEN_INVALID', action: expect.stringMatching(/tokens change every run/) });
    expect(await client.closed).toEqual({ code: 4401, reason: 'TOKEN_INVALID' });
  });

  it('a wrong token in the auth message', async () => {
    const client = connect(apiUrl());
    await client.opened;
    client.sendRaw(JSON.stringify({ type: 'auth', token: `${server.token}x` }));
    expect((await client.next('error')).error.code).toBe('TOKEN_INVALID');
    expect(await client.closed).toEqual({ code: 4401, reason: 'TOKEN_INVALID' });
  });

  it('a foreign Origin, even with the right token', async () => {
    const client = connect(apiUrl(`?token=${server.token}`), { origin: 'https://evil.example' });
    expect((await client.next('error')).error).toMatchObject({ code: 'FORBIDDEN_ORIGIN', message: expect.stringContaining('https://evil.example') });
    expect(await client.closed).toEqual({ code: 4403, reason: 'FORBIDDEN_ORIGIN' });
    expect(client.pending().some((f) => f.type === 'welcome')).toBe(false);
  });

  it('a DNS-rebound Host while remote access is off', async () => {
    const client = connect(apiUrl(`?token=${server.token}`), { origin: `http://evil.example:${server.port}`, headers: { Host: `evil.example:${server.port}` } });
    expect((await client.next('error')).error).toMatchObject({ code: 'FORBIDDEN_ORIGIN', message: expect.stringContaining('evil.example') });
    expect((await client.closed).code).toBe(4403);
  });

  it('the studio page itself (same origin) and the token in the first message are accepted', async () => {
    const client = connect(apiUrl(), { origin: `http://${LOOPBACK_HOST}:${server.port}` });
    await client.opened;
    client.sendRaw(JSON.stringify({ type: 'auth', token: server.token }));
    expect(await client.next('welcome')).toEqual({ type: 'welcome', protocol: 1, rights: 'full' });
  });

  it('the server keeps serving after every kind of refusal', async () => {
    const refused = [connect(apiUrl()), connect(apiUrl('?token=wrong')), connect(apiUrl(`?token=${server.token}`), { origin: 'http://evil.example' })];
    await Promise.all(refused.map((c) => c.closed));
    const client = await authed();
    expect(await client.request('settings:get')).toMatchObject({ ok: true, value: { theme: 'system' } });
  });
});

describe('bad requests on an authenticated connection: an error reply, and the connection survives', () => {
  it('unknown channel, malformed JSON, bad args, oversized and binary frames', async () => {
    const client = await authed();

    expect(await client.request('nope:nothing')).toEqual({ ok: false, error: expect.objectContaining({ code: 'UNKNOWN_CHANNEL', message: expect.stringContaining('nope:nothing') }) });

    client.sendRaw('{"type":"request","id":');
    expect((await client.next('error')).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/not valid JSON/) });

    client.sendRaw(JSON.stringify({ type: 'request', id: 'no-channel' }));
    expect((await client.next('reply', (f) => f.id === 'no-channel')).reply).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    expect(await client.request('settings:update', { theme: 'purple' })).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'BAD_REQUEST', message: expect.stringMatching(/Invalid arguments for settings:update.*theme/) }),
    });
    expect(await client.request('settings:update', { theme: 'dark', extra: 1 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });

    client.sendRaw(JSON.stringify({ type: 'request', id: 'big', channel: 'settings:update', args: [{ ffmpegPath: 'x'.repeat(300 * 1024) }] }));
    expect((await client.next('error')).error).toMatchObject({ code: 'REQUEST_TOO_LARGE', message: expect.stringMatching(/at most 262144/) });

    client.sendRaw(Buffer.from([1, 2, 3]));
    expect((await client.next('error')).error).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/Binary frames/) });

    client.sendRaw(JSON.stringify({ type: 'auth', token: server.token }));
    expect((await client.next('error')).error.message).toMatch(/already authenticated/);

    // Still the same, working connection; nothing was saved by the refused updates.
    expect(await client.request('settings:get')).toEqual({ ok: true, value: { theme: 'system', ffmpegPath: '', remoteAccess: false } });
    expect(fs.existsSync(path.join(dataDir, 'settings.json'))).toBe(false);
  });

  it('events fan out to every authenticated connection', async () => {
    const a = await authed();
    const b = await authed();
    const unauthenticated = connect(apiUrl());
    await unauthenticated.opened;
    expect(await a.request('settings:update', { theme: 'light' })).toMatchObject({ ok: true, value: { theme: 'light' } });
    expect((await b.next('event', (f) => f.event === 'settings:changed')).payload).toMatchObject({ theme: 'light' });
    expect((await a.next('event', (f) => f.event === 'settings:changed')).payload).toMatchObject({ theme: 'light' });
    expect(unauthenticated.pending()).toEqual([]);
  });
});

describe('remote peers', () => {
  const lanAddress = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

  it.skipIf(!lanAddress)('get cue-board rights, see only their events, and are dropped when remote access goes off', async () => {
    await server.rebind(ALL_INTERFACES);
    const lanHost = `${lanAddress}:${server.port}`;
    const remote = connect(apiUrl(`?token=${server.token}`, lanHost), { origin: `http://${lanHost}` });
    expect(await remote.next('welcome')).toMatchObject({ rights: 'cues' });
    const info = await remote.request('app:get-info');
    expect(info).toMatchObject({ ok: true, value: { rights: 'cues', dataDir: '' } });
    expect(await remote.request('settings:get')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringContaining('settings:get') } });
    expect(await remote.request('app:get-remote-access')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    // The operator's own connection still has full rights, even on the all-interfaces bind.
    const local = await authed();
    await local.request('settings:update', { theme: 'dark' });
    engine.notify({ level: 'info', message: 'remote peers see notices' });
    const notice = await remote.next('event', (f) => f.event === 'app:notice');
    expect(notice.payload).toMatchObject({ message: 'remote peers see notices' });
    expect(remote.pending().filter((f) => f.type === 'event' && f.event === 'settings:changed')).toEqual([]);

    await server.rebind(LOOPBACK_HOST);
    expect(await remote.closed).toEqual({ code: 1008, reason: 'REMOTE_ACCESS_OFF' });
    expect(await local.request('settings:get')).toMatchObject({ ok: true });
  });

  it.skipIf(!lanAddress)('a remote Host is refused while remote access is off', async () => {
    await server.rebind(ALL_INTERFACES);
    await server.rebind(LOOPBACK_HOST);
    const status = await httpGet(`http://${LOOPBACK_HOST}:${server.port}/`, { Host: `${lanAddress}:${server.port}` });
    expect(status.status).toBe(421);
  });
});

describe('static UI', () => {
  it('is served with the strict CSP; unknown methods and the API path over HTTP get specific answers', async () => {
    const base = `http://${LOOPBACK_HOST}:${server.port}`;
    const page = await httpGet(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('IVS Studio');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await httpGet(`${base}/api`)).status).toBe(426);
    expect((await httpGet(`${base}/../../etc/passwd`)).status).toBe(404);
    expect((await httpGet(`${base}/`, { Host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await httpRequest('POST', `${base}/`)).status).toBe(405);
  });

  it('after dispose nothing listens any more', async () => {
    const port = server.port;
    const client = await authed();
    await server.dispose();
    expect((await client.closed).code).toBe(1001);
    await expect(httpGet(`http://${LOOPBACK_HOST}:${port}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});

function httpGet(url: string, headers: Record<string, string> = {}) {
  return httpRequest('GET', url, headers);
}

function httpRequest(method: string, url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    // Raw path: keep "../" segments as sent (URL parsing would resolve them away).
    const parsed = /^http:\/\/([^/]+)(\/.*)$/.exec(url)!;
    const [hostname, port] = parsed[1]!.split(':');
    const req = http.request({ method, hostname, port: Number(port), path: parsed[2], headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
