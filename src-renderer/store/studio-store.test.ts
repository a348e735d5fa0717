/**
 * The store built around a fake connection (STYLE: a fresh createStudioStore(fakeApi) per test, no
 * zustand mocks). The fake answers requests from a table and pushes events on demand.
 */
import { describe, expect, it } from 'vitest';
import type { AppInfo, EventChannel, Notice, RequestChannel, Settings, StudioEvents } from '@contract/studio-api';
import type { Reply } from '@contract/reply';
import { ListenerSet, type ConnectionStatus, type StudioConnection } from '../api/studio-connection';
import { createStudioStore } from './studio-store';

const info: AppInfo = { name: 'IVS Studio', version: '1.0.0', mode: 'browser', platform: 'linux', dataDir: '/data', ffmpeg: { error: 'none' }, rights: 'full' };

class FakeConnection implements StudioConnection {
  readonly kind = 'ws' as const;
  settings: Settings = { theme: 'system', ffmpegPath: '', remoteAccess: false };
  notices: Notice[] = [];
  readonly calls: string[] = [];
  refuseUpdates = false;
  private current: ConnectionStatus = { state: 'connecting', attempt: 1 };
  private readonly statusListeners = new ListenerSet<[ConnectionStatus]>();
  private readonly listeners = new Map<string, ListenerSet<[unknown]>>();
  private readonly anyListeners = new ListenerSet<[EventChannel, StudioEvents[EventChannel]]>();

  status = () => this.current;
  onStatus = (listener: (s: ConnectionStatus) => void) => this.statusListeners.add(listener);
  onAnyEvent = (listener: (e: EventChannel, p: StudioEvents[EventChannel]) => void) => this.anyListeners.add(listener);
  dispose = () => undefined;

  setStatus(status: ConnectionStatus) {
    this.current = status;
    this.statusListeners.fire(status);
  }

  emit<E extends EventChannel>(event: E, payload: StudioEvents[E]) {
    this.listeners.get(event)?.fire(payload);
    this.anyListeners.fire(event, payload as StudioEvents[EventChannel]);
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  async invoke(channel: RequestChannel, ...args: unknown[]): Promise<Reply<never>> {
    this.calls.push(channel);
    const answer = (value: unknown) => ({ ok: true, value }) as Reply<never>;
    switch (channel) {
      case 'app:get-info':
        return answer(info);
      case 'app:get-notices':
        return answer(this.notices);
      case 'settings:get':
        return answer(this.settings);
      case 'settings:update':
        if (this.refuseUpdates) return { ok: false, error: { code: 'BAD_REQUEST', message: 'Invalid arguments for settings:update: theme', fatal: false } };
        this.settings = { ...this.settings, ...(args[0] as Partial<Settings>) };
        return answer(this.settings);
      default:
        return { ok: false, error: { code: 'NOT_IMPLEMENTED', message: `${channel} is not available yet.`, fatal: false } };
    }
  }

  on<E extends EventChannel>(event: E, listener: (payload: StudioEvents[E]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new ListenerSet()));
    return set.add(listener as (payload: unknown) => void);
  }
}

/** Notices apart from other domains' slices, whose snapshots this fake does not serve (NOT_IMPLEMENTED). */
function ownNotices(store: ReturnType<typeof createStudioStore>) {
  return store.getState().notices.filter((n) => n.code !== 'NOT_IMPLEMENTED');
}

async function openStore(connection = new FakeConnection()) {
  const store = createStudioStore(connection);
  connection.setStatus({ state: 'open', rights: 'full' });
  await store.ready;
  return { store, connection };
}

describe('createStudioStore', () => {
  it('loads every slice snapshot when the connection opens', async () => {
    const connection = new FakeConnection();
    connection.notices = [{ id: 'notice-1', level: 'error', code: 'SETTINGS_CORRUPT', message: 'settings.json could not be read' }];
    const { store } = await openStore(connection);
    expect(store.getState()).toMatchObject({ info, settings: connection.settings, connection: { state: 'open' } });
    expect(ownNotices(store)).toEqual([expect.objectContaining({ id: 'notice-1', code: 'SETTINGS_CORRUPT' })]);
    expect(connection.calls).toEqual(expect.arrayContaining(['app:get-info', 'app:get-notices', 'settings:get']));
  });

  it('follows events: settings from another window, notices once each', async () => {
    const { store, connection } = await openStore();
    connection.emit('settings:changed', { theme: 'light', ffmpegPath: '', remoteAccess: false });
    expect(store.getState().settings?.theme).toBe('light');
    const notice: Notice = { id: 'n-7', level: 'warning', message: 'ffmpeg lacks zmq' };
    connection.emit('app:notice', notice);
    connection.emit('app:notice', notice);
    connection.emit('app:notice', { level: 'info', message: 'no id from this emitter' });
    expect(ownNotices(store).map((n) => n.message)).toEqual(['ffmpeg lacks zmq', 'no id from this emitter']);
    store.getState().dismissNotice('n-7');
    expect(ownNotices(store).map((n) => n.message)).toEqual(['no id from this emitter']);
  });

  it('updates settings optimistically and puts the saved value back when the engine refuses', async () => {
    const { store, connection } = await openStore();
    expect(await store.getState().updateSettings({ theme: 'dark' })).toBe(true);
    expect(store.getState().settings?.theme).toBe('dark');
    connection.refuseUpdates = true;
    const pending = store.getState().updateSettings({ theme: 'light' });
    expect(store.getState().settings?.theme).toBe('light');
    expect(await pending).toBe(false);
    expect(store.getState().settings?.theme).toBe('dark');
    expect(store.getState().notices.at(-1)).toMatchObject({ level: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('The settings were not saved') });
  });

  it('reloads the snapshots after a reconnect (nothing missed while away)', async () => {
    const { store, connection } = await openStore();
    connection.setStatus({ state: 'closed', retryInMs: 500 });
    expect(store.getState().connection.state).toBe('closed');
    connection.settings = { ...connection.settings, theme: 'dark' };
    connection.calls.length = 0;
    connection.setStatus({ state: 'open', rights: 'full' });
    await expect.poll(() => store.getState().settings?.theme).toBe('dark');
    expect(connection.calls).toContain('settings:get');
  });

  it('makes one independent store per connection, and dispose lets go of the connection', async () => {
    const a = await openStore();
    const b = await openStore();
    a.connection.emit('settings:changed', { theme: 'dark', ffmpegPath: '', remoteAccess: false });
    expect(a.store.getState().settings?.theme).toBe('dark');
    expect(b.store.getState().settings?.theme).toBe('system');
    expect(a.connection.listenerCount('settings:changed')).toBe(1);
    a.store.dispose();
    expect(a.connection.listenerCount('settings:changed')).toBe(0);
  });
});
