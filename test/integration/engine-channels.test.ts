/**
 * Every request channel in the contract is served by a registered domain: a channel added to the
 * contract without a handler fails here instead of answering NOT_IMPLEMENTED to a user.
 * (Host-level channels such as app:get-remote-access are served by the engine too.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { requestChannels } from '../../src-main/contract/studio-api';
import { StudioEngine } from '../../src-main/engine/studio-engine';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

it('the engine serves every request channel of the contract', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'studio-channels-'));
  dirs.push(dataDir);
  const engine = new StudioEngine({ dataDir, mode: 'browser', version: 'test' });
  try {
    expect(Object.keys(requestChannels).length).toBeGreaterThan(3);
    expect(engine.unhandledChannels()).toEqual([]);
  } finally {
    await engine.dispose();
  }
});
