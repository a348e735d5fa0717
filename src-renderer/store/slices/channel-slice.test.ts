/** The channel slice around a small fake connection answering accounts:* and channels:* from a script. */
import { describe, expect, it } from 'vitest';
import type { AccountsState, ChannelLiveStatus, RequestChannel } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { FakeStudioConnection } from '../../../test/support/fake-studio-connection';
import { createStudioStore } from '../studio-store';

const arn = 'arn:aws:ivs:us-west-2:000000000000:channel/abcdEFGH1234';
const baseState: AccountsState = {
  accounts: [{ id: 'local', kind: 'local', label: 'Local channel', region: 'us-west-2' }],
  keychain: { state: 'available' },
  regions: [{ id: 'us-west-2', label: 'US West (Oregon)' }],
};
const selectedState: AccountsState = {
  ...baseState,
  selected: { accountId: 'local', accountKind: 'local', channelArn: arn, ingestUrl: 'rtmps://127.0.0.1:1/app/', streamKeyMasked: '••••••••WXYZ', streamKeyArn: 'k1' },
};

class ChannelFake extends FakeStudioConnection {
  replies = new Map<string, Reply<unknown>>();
  protected answer(channel: RequestChannel): Reply<unknown> | undefined {
    if (channel === 'accounts:get-state') return { ok: true, value: selectedState as never };
    if (channel === 'channels:get-status') return { ok: true, value: null as never };
    const reply = this.replies.get(channel);
    if (reply) return reply;
    return undefined;
  }
}

describe('channel slice', () => {
  it('loads accounts, follows state and status events', async () => {
    const fake = new ChannelFake();
    const store = createStudioStore(fake);
    await store.ready;
    expect(store.getState().accounts?.selected?.channelArn).toBe(arn);
    const status: ChannelLiveStatus = { accountId: 'local', channelArn: arn, state: 'LIVE', events: [], polledAt: '', nextPollMs: 5000 };
    fake.emit('channels:status-changed', status);
    expect(store.getState().channelStatus?.state).toBe('LIVE');
    fake.emit('accounts:state-changed', baseState);
    expect(store.getState().accounts?.selected).toBeUndefined();
  });

  it('keeps a revealed key only until the selection or the key changes', async () => {
    const fake = new ChannelFake();
    fake.replies.set('channels:reveal-key', { ok: true, value: 'sk_us-west-2_revealed_WXYZ' });
    const store = createStudioStore(fake);
    await store.ready;
    await store.getState().revealKey('local', arn);
    expect(store.getState().revealedKey).toEqual({ target: arn, key: 'sk_us-west-2_revealed_WXYZ' });
    // Same selection, same key: still shown.
    fake.emit('accounts:state-changed', selectedState);
    expect(store.getState().revealedKey).toBeDefined();
    // Rotated elsewhere (another window): the shown key is stale, so it is hidden.
    fake.emit('accounts:state-changed', { ...selectedState, selected: { ...selectedState.selected!, streamKeyArn: 'k2', streamKeyMasked: '••••••••ABCD' } });
    expect(store.getState().revealedKey).toBeUndefined();
  });

  it('a failed background listing is kept with the account, not raised as a notice', async () => {
    const fake = new ChannelFake();
    fake.replies.set('channels:list', { ok: false, error: { code: 'ENDPOINT_UNREACHABLE', message: 'The local channel is not running.', fatal: false } });
    const store = createStudioStore(fake);
    await store.ready;
    await store.getState().refreshChannels('local');
    expect(store.getState().channelListErrors.local?.code).toBe('ENDPOINT_UNREACHABLE');
    // (Other slices' snapshots are unanswered by this fake; only this slice's notices matter here.)
    expect(store.getState().notices.filter((n) => n.code === 'ENDPOINT_UNREACHABLE')).toEqual([]);
    fake.replies.set('channels:list', { ok: true, value: [] });
    await store.getState().refreshChannels('local');
    expect(store.getState().channelListErrors.local).toBeUndefined();
    expect(store.getState().channelsByAccount.local).toEqual([]);
    // An explicit action that fails does become a notice, with the catalog message.
    fake.replies.set('channels:delete', { ok: false, error: { code: 'IVS_CONFLICT', message: 'The channel is live.', action: 'Stop the stream.', fatal: false } });
    expect(await store.getState().deleteChannel('local', arn)).toBe(false);
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', code: 'IVS_CONFLICT', action: 'Stop the stream.' });
  });
});
