import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiRouter, type CallContext } from '../engine/api-router';
import { createRtmpPublisherConnection } from '../output/rtmp-publisher-connection';
import { GoLiveService, programNotAvailable } from './go-live';
import { registerStream } from './stream-handlers';

const ctx: CallContext = { rights: 'full', transport: 'ws' };
let dir: string;
let goLive: GoLiveService;
let router: ApiRouter;
const events: Array<[string, unknown]> = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-handlers-'));
  router = new ApiRouter();
  goLive = new GoLiveService({ createConnection: createRtmpPublisherConnection, program: programNotAvailable });
  registerStream(router, goLive);
  router.onEvent((event, payload) => events.push([event, payload]));
});
afterEach(async () => {
  await goLive.dispose();
  events.length = 0;
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('stream:* handlers', () => {
  it('starts offline; a remote producer may read the state but not start', async () => {
    expect(await router.dispatch({ rights: 'cues', transport: 'ws' }, 'stream:get-state', [])).toMatchObject({ ok: true, value: { state: 'offline' } });
    const refused = await router.dispatch({ rights: 'cues', transport: 'ws' }, 'stream:start', [{ target: { kind: 'local-channel' } }]);
    expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it.each([
    [[{ target: { kind: 'custom', ingestUrl: 'http://x/app', streamKey: 'sk_us-west-2_leakyKey_1234567890' } }], /must start with rtmp/],
    [[{ target: { kind: 'ivs-channel', channelArn: 'arn:aws:ivs:us-west-2:123:stage/x' } }], /not an IVS channel ARN/],
    [[{ target: { kind: 'nope' } }], /target/],
    [[{ target: { kind: 'local-channel' }, extra: 1 }], /extra|Unrecognized/i],
    [[], /args|Invalid/],
  ])('refuses malformed requests with a specific message and never echoes a key (%#)', async (args, problem) => {
    const reply = await router.dispatch(ctx, 'stream:start', args);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('BAD_REQUEST');
    expect(reply.error.message).toMatch(problem);
    expect(JSON.stringify(reply)).not.toContain('leakyKey_1234567890');
  });

  it('a failed start reports the reason, returns to offline, and announces the states', async () => {
    const key = 'sk_us-west-2_handlerKey_abcdefghijklmnop';
    const reply = await router.dispatch(ctx, 'stream:start', [{ target: { kind: 'custom', ingestUrl: 'rtmp://127.0.0.1:1/app', streamKey: key } }]);
    expect(reply).toMatchObject({ ok: false, error: { code: 'NOT_IMPLEMENTED' } });
    const states = events.filter(([e]) => e === 'stream:state-changed').map(([, p]) => (p as { state: string }).state);
    expect(states).toEqual(['starting', 'starting', 'offline']);
    const last = events.at(-1)![1] as { lastError?: { code: string }; target?: { streamKeyMasked: string } };
    expect(last.lastError?.code).toBe('NOT_IMPLEMENTED');
    expect(JSON.stringify(events)).not.toContain(key);
    expect(await router.dispatch(ctx, 'stream:reconnect-now', [])).toMatchObject({ ok: false, error: { code: 'NOT_LIVE' } });
    expect(await router.dispatch(ctx, 'stream:stop', [])).toMatchObject({ ok: true, value: { state: 'offline' } });
  });
});
