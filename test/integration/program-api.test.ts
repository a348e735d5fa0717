/**
 * The scenes/program API through the real router (what both transports dispatch to): refusals name
 * the bad field or the broken limit and change nothing; the device list names what ffmpeg can open
 * on this machine (the Xvfb screen and the PulseAudio null sink under test/run-all.sh); live edits
 * are saved in the scene collection document.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SceneCollection } from '../../src-main/contract/domains/scenes';
import { ApiRouter, type CallContext } from '../../src-main/engine/api-router';
import { ScenesDomain } from '../../src-main/scenes/scenes-domain';
import { requireTestDesktop } from '../support/program-harness';
import { colourScenes } from '../support/scene-fixtures';

const ctx: CallContext = { rights: 'full', transport: 'ws' };
let dataDir: string;
let router: ApiRouter;
let domain: ScenesDomain;

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-api-'));
  router = new ApiRouter();
  domain = new ScenesDomain(router, { dataDir, capabilities: () => undefined, ffmpegSetting: () => '' });
});
afterEach(async () => {
  await domain.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call(channel: string, ...args: unknown[]) {
  return router.dispatch(ctx, channel, args);
}

describe('scenes API', () => {
  it('a bad collection is refused naming the field, and the saved one is untouched', async () => {
    const good = colourScenes(['red', 'blue']);
    expect((await call('scenes:save', good)).ok).toBe(true);
    const bad = structuredClone(good) as SceneCollection;
    bad.scenes[1]!.items[0]!.opacity = 2;
    const reply = await call('scenes:save', bad);
    expect(reply).toMatchObject({ ok: false, error: { code: 'SCENE_INVALID', message: expect.stringContaining('scenes.1.items.0.opacity') } });
    const state = await call('scenes:get-state');
    expect(state.ok && (state.value as { collection: SceneCollection }).collection).toEqual(good);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'scenes.json'), 'utf8'))).toEqual(good);
  });

  it('create, rename, reorder, delete; the program scene moves off a deleted scene', async () => {
    await call('scenes:save', colourScenes(['red', 'blue']));
    const created = await call('scenes:create', 'Interview');
    const ids = created.ok ? (created.value as { collection: SceneCollection }).collection.scenes.map((s) => s.id) : [];
    expect(ids).toHaveLength(3);
    await call('scenes:rename', ids[2], 'Guest');
    await call('scenes:reorder', [ids[2], ids[0], ids[1]]);
    const deleted = await call('scenes:delete', ids[0]); // the program scene
    const collection = deleted.ok ? (deleted.value as { collection: SceneCollection }).collection : undefined;
    expect(collection?.scenes.map((s) => s.name)).toEqual(['Guest', 'blue']);
    expect(collection?.programSceneId).toBe(ids[2]);
    expect(await call('scenes:reorder', [ids[1]])).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    expect(await call('scenes:delete', 'nope')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('encoder settings over the channel type are refused naming the limit; item and audio edits are saved while idle', async () => {
    await call('scenes:save', colourScenes(['red'], { tones: true }));
    const refused = await call('program:set-encoder', { channelType: 'BASIC', video: { bitrateKbps: 4000 } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ENCODER_LIMIT', message: expect.stringContaining('BASIC channel limit of 1500 kbps at 480p and below') } });
    expect(await call('program:set-item', 'scene-red', 'item-red', { x: 10, opacity: 0.5 })).toMatchObject({ ok: true });
    expect(await call('program:set-audio', 'tone', { gainDb: -12, muted: true })).toMatchObject({ ok: true });
    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'scenes.json'), 'utf8')) as SceneCollection;
    expect(saved.scenes[0]!.items[0]).toMatchObject({ x: 10, opacity: 0.5 });
    expect(saved.sources.find((s) => s.id === 'tone')!.audio).toEqual({ gainDb: -12, muted: true });
    expect(await call('program:set-item', 'scene-red', 'item-red', { opacity: 3 })).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
  });

  it('lists the devices ffmpeg can open here: the X screen and the PulseAudio monitor', async () => {
    const { display, pulseSource } = requireTestDesktop();
    const reply = await call('sources:list-devices');
    expect(reply.ok).toBe(true);
    const list = reply.ok ? (reply.value as { devices: { kind: string; device: string }[] }) : undefined;
    const screen = display.replace(/\.\d+$/, '');
    expect(list?.devices).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'screen', device: `${screen}.0` }), expect.objectContaining({ kind: 'system-audio', device: pulseSource })]));
  });
});
