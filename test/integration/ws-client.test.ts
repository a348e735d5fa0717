/**
 * The renderer's WebSocket client (src-renderer/api/ws-client.ts) against the real server and engine:
 * requests made before the welcome are queued, events arrive, a wrong token ends in 'refused' (no
 * retry storm), and a restarted server is reconnected to without a page reload.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket from 'ws';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StudioEngine } from '../../src-main/engine/studio-engine';
import { LOOPBACK_HOST, StudioServer } from '../../src-main/transport/studio-server';
import type { ConnectionStatus, StudioConnection } from '../../src-renderer/api/studio-connection';
import { createWsConnection, type WebSocketLike } from '../../src-renderer/api/ws-client';

let dataDir: string;
let engine: StudioEngine;
let server: StudioServer;
const connections: StudioConnection[] = [];

const createSocket = (url: string) => new WebSocket(url) as unknown as WebSocketLike;

function connect(token: string, port = server.port): StudioConnection {
  const connection = createWsConnection({ origin: `ws://${LOOPBACK_HOST}:${port}`, token, createSocket, retryDelaysMs: [50] });
  connections.push(connection);
  return connection;
}

function statusReached(connection: StudioConnection, state: ConnectionStatus['state']): Promise<ConnectionStatus> {
  if (connection.status().state === state) return Promise.resolve(connection.status());
  return new Promise((resolve) => {
    const off = connection.onStatus((status) => {
      if (status.state !== state) return;
      off();
      resolve(status);
    });
  });
}

beforeEach(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-wsclient-'));
  engine = new StudioEngine({ dataDir, mode: 'browser', version: 'test' });
  server = new StudioServer({ router: engine.router, staticRoot: null });
  await server.listen(LOOPBACK_HOST, 0);
});

afterEach(async () => {
  for (const connection of connections.splice(0)) connection.dispose();
  await server.dispose();
  await engine.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('queues requests until welcomed, answers with Replies, and delivers events', async () => {
  const connection = connect(server.token);
  expect(connection.status().state).toBe('connecting');
  const early = connection.invoke('settings:get');
  expect(await early).toEqual({ ok: true, value: { theme: 'system', ffmpegPath: '', remoteAccess: false } });
  expect(connection.status()).toEqual({ state: 'open', rights: 'full' });

  const events: unknown[] = [];
  const off = connection.on('settings:changed', (settings) => events.push(settings));
  expect(await connection.invoke('settings:update', { theme: 'dark' })).toMatchObject({ ok: true });
  await expect.poll(() => events).toEqual([expect.objectContaining({ theme: 'dark' })]);
  off();
  expect(await (connection.invoke as (c: string) => Promise<unknown>)('nope:nothing')).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CHANNEL' } });
});

it('a wrong token ends in refused with the catalog error; requests fail fast instead of hanging', async () => {
  const connection = connect('not-the-token');
  const pending = connection.invoke('app:get-info');
  const status = await statusReached(connection, 'refused');
  expect(status).toMatchObject({ error: { code: 'TOKEN_INVALID' } });
  expect(await pending).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
  expect(await connection.invoke('settings:get')).toMatchObject({ ok: false, error: { code: 'TOKEN_INVALID' } });
  expect(server.connectionCount).toBe(0);
});

it('reconnects to a restarted server on the same port and token', async () => {
  const connection = connect(server.token);
  await statusReached(connection, 'open');
  const { port, token } = server;
  await server.dispose();
  const closed = await statusReached(connection, 'closed');
  expect(closed).toMatchObject({ error: { code: 'NOT_CONNECTED' } });
  expect(await connection.invoke('settings:get')).toMatchObject({ ok: false, error: { code: 'NOT_CONNECTED' } });

  server = new StudioServer({ router: engine.router, staticRoot: null, token });
  await server.listen(LOOPBACK_HOST, port);
  await statusReached(connection, 'open');
  expect(await connection.invoke('app:get-info')).toMatchObject({ ok: true, value: { rights: 'full' } });
});
