/**
 * Remote access as the Electron studio runs it: a network server that exists only while switched on,
 * serving the UI and the API on all interfaces with cue-board rights for remote peers.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { StudioEngine } from '../../src-main/engine/studio-engine';
import { RemoteAccessServer } from '../../src-main/transport/remote-access-server';
import { WsTestClient } from '../support/ws-test-client';

const lanAddress = Object.values(os.networkInterfaces())
  .flat()
  .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

let dataDir: string;
let engine: StudioEngine;
let remote: RemoteAccessServer;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-remote-'));
  engine = new StudioEngine({ dataDir, mode: 'electron', version: 'test' });
  remote = new RemoteAccessServer({ router: engine.router, staticRoot: null, remoteRights: 'cues' });
  engine.setRemoteAccessProvider(() => remote.info());
});

afterEach(async () => {
  await remote.dispose();
  await engine.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it.skipIf(!lanAddress)('listens only while enabled; remote peers get cue rights; links carry the token', async () => {
  expect(remote.info()).toEqual({ enabled: false, urls: [], remoteRights: 'cues' });
  await remote.setEnabled(true);
  const info = remote.info();
  expect(info.enabled).toBe(true);
  const link = info.urls.find((u) => u.includes(lanAddress!));
  expect(link).toMatch(new RegExp(`^http://${lanAddress!.replace(/\./g, '\\.')}:\\d+/#token=${remote.token}$`));

  const url = new URL(link!);
  const client = WsTestClient.connect(`ws://${url.host}/api?token=${remote.token}`, { origin: `http://${url.host}` });
  expect(await client.next('welcome')).toMatchObject({ rights: 'cues' });
  expect(await client.request('app:get-info')).toMatchObject({ ok: true, value: { mode: 'electron', rights: 'cues' } });

  // Off: the server goes away with its connections, and a quick on/off/on settles in order.
  await remote.setEnabled(false);
  expect((await client.closed).code).toBe(1001);
  await expect(fetch(`http://${url.host}/`)).rejects.toThrow();
  await Promise.all([remote.setEnabled(true), remote.setEnabled(false), remote.setEnabled(true)]);
  expect(remote.info().enabled).toBe(true);
});
