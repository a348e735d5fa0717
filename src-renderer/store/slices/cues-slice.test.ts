/** The cue slice around a fake connection: snapshot, fire events folded into badges and the log, refusals kept per cue. */
import { describe, expect, it } from 'vitest';
import type { CueFire, CuesState, RequestChannel } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { FakeStudioConnection } from '../../../test/support/fake-studio-connection';
import { createStudioStore } from '../studio-store';

const state: CuesState = { boards: [], armed: false, settings: { seenTimeoutSeconds: 15, stateResendSeconds: 5, globalHotkeys: false }, latest: {}, lateJoinerState: [], queued: 0, limitBytes: 1024 };
const fire = (seq: number, status: CueFire['status']): CueFire => ({ fid: `f${seq}`, seq, cueId: 'poll', status, firedAt: '2026-11-29T10:00:00Z' }) as CueFire;

class CuesFake extends FakeStudioConnection {
  fireReply: Reply<CueFire> = { ok: true, value: fire(1, 'queued') };
  protected answer(channel: RequestChannel): Reply<unknown> | undefined {
    if (channel === 'cues:get-state') return { ok: true, value: state as never };
    if (channel === 'cues:get-log') return { ok: true, value: [] as never };
    if (channel === 'cues:fire') return this.fireReply;
    return undefined;
  }
}

describe('cues slice', () => {
  it('follows fire updates on the badge (newest fire only) and in the open log', async () => {
    const fake = new CuesFake();
    const store = createStudioStore(fake);
    await store.ready;
    await store.getState().loadCueLog();
    await store.getState().fireCue({ cueId: 'poll' });
    fake.emit('cues:fire-updated', fire(2, 'queued'));
    fake.emit('cues:fire-updated', fire(1, 'seen')); // an older fire's late news does not take the badge
    expect(store.getState().cues?.latest.poll).toMatchObject({ seq: 2, status: 'queued' });
    expect(store.getState().cueLog?.map((f) => [f.seq, f.status])).toEqual([
      [1, 'seen'],
      [2, 'queued'],
    ]);
  });

  it('keeps a refusal for the pane and the button, and clears it on the next good fire', async () => {
    const fake = new CuesFake();
    const store = createStudioStore(fake);
    await store.ready;
    fake.fireReply = { ok: false, error: { code: 'NOT_LIVE', message: '"Poll" was not sent: x is not live.', fatal: false } };
    expect(await store.getState().fireCue({ cueId: 'poll' })).toBeUndefined();
    expect(store.getState().cueRefusal).toMatchObject({ cueId: 'poll', error: { code: 'NOT_LIVE' } });
    expect(store.getState().cueRefusals.poll?.error.code).toBe('NOT_LIVE');
    fake.fireReply = { ok: true, value: fire(3, 'queued') };
    await store.getState().fireCue({ cueId: 'poll' });
    expect(store.getState().cueRefusal).toBeUndefined();
    expect(store.getState().cueRefusals.poll).toBeUndefined();
  });
});
