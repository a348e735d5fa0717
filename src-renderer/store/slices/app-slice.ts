/**
 * App-wide state: the link to the engine, what the engine is (AppInfo: mode, ffmpeg, rights), the
 * notices to show, and remote access. Snapshot: app:get-info + app:get-notices; events: app:notice,
 * app:remote-access-changed.
 */
import type { AppInfo, Notice, RemoteAccess, StudioErrorPayload } from '@contract/studio-api';
import type { ConnectionStatus } from '../../api/studio-connection';
import type { StudioSliceModule } from '../studio-store';

/** A notice as shown: always has an id (engine notices bring one; local ones get one here). */
export type ShownNotice = Notice & { id: string };

export interface AppSlice {
  connection: ConnectionStatus;
  info: AppInfo | undefined;
  notices: ShownNotice[];
  remoteAccess: RemoteAccess | undefined;
  setConnection(status: ConnectionStatus): void;
  loadApp(): Promise<void>;
  addNotice(notice: Notice): void;
  /** A failed request becomes a notice with the catalog message and action. */
  reportError(error: StudioErrorPayload, context?: string): void;
  dismissNotice(id: string): void;
  /** Asks the engine for the remote links (token included): an explicit reveal. */
  revealRemoteAccess(): Promise<void>;
  hideRemoteAccess(): void;
}

let localNoticeCount = 0;
const MAX_NOTICES = 20;

export const appSlice: StudioSliceModule<AppSlice> = {
  create: (client) => (set, get) => ({
    connection: client.status(),
    info: undefined,
    notices: [],
    remoteAccess: undefined,
    setConnection: (connection) => set({ connection }),
    async loadApp() {
      const [info, notices] = await Promise.all([client.invoke('app:get-info'), client.invoke('app:get-notices')]);
      if (info.ok) set({ info: info.value });
      else get().reportError(info.error, 'Reading the studio information failed');
      if (notices.ok) for (const notice of notices.value) get().addNotice(notice);
    },
    addNotice(notice) {
      const id = notice.id ?? `local-${++localNoticeCount}`;
      if (get().notices.some((n) => n.id === id)) return;
      set({ notices: [...get().notices, { ...notice, id }].slice(-MAX_NOTICES) });
    },
    reportError(error, context) {
      get().addNotice({
        level: 'error',
        code: error.code,
        message: context ? `${context}: ${error.message}` : error.message,
        ...(error.action ? { action: error.action } : {}),
      });
    },
    dismissNotice: (id) => set({ notices: get().notices.filter((n) => n.id !== id) }),
    async revealRemoteAccess() {
      const reply = await client.invoke('app:get-remote-access');
      if (reply.ok) set({ remoteAccess: reply.value });
      else get().reportError(reply.error, 'Showing the remote-access links failed');
    },
    hideRemoteAccess: () => set({ remoteAccess: undefined }),
  }),
  bind: (client, store) => {
    const offNotice = client.on('app:notice', (notice) => store.getState().addNotice(notice));
    const offRemote = client.on('app:remote-access-changed', ({ enabled }) => {
      // Links shown for a previous state are stale now; hide them until asked again.
      const shown = store.getState().remoteAccess;
      if (shown && shown.enabled !== enabled) store.getState().hideRemoteAccess();
    });
    const offStatus = client.onStatus((status) => store.getState().setConnection(status));
    return () => {
      offNotice();
      offRemote();
      offStatus();
    };
  },
  load: (store) => store.getState().loadApp(),
};
