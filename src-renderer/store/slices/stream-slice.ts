/**
 * Going live: the stream's state machine and the output's per-second stats. Snapshot: stream:get-state;
 * events: stream:state-changed, output:stats. Stream keys never live here: targets are described by the
 * engine (ingest without key, masked key).
 */
import type { OutputStats, StreamSnapshot, StreamStartRequest, StudioErrorPayload } from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

export interface StreamSlice {
  stream: StreamSnapshot | undefined;
  outputStats: OutputStats | undefined;
  /** Which stream request is in flight (buttons disable themselves). */
  streamBusy: 'start' | 'stop' | 'reconnect' | undefined;
  /** Why the last Go Live failed, shown in the pane itself (the state carries it too). */
  streamError: StudioErrorPayload | undefined;
  loadStream(): Promise<void>;
  startStreaming(request: StreamStartRequest): Promise<boolean>;
  stopStreaming(): Promise<void>;
  reconnectNow(): Promise<void>;
}

export const streamSlice: StudioSliceModule<StreamSlice> = {
  create: (client) => (set, get) => ({
    stream: undefined,
    outputStats: undefined,
    streamBusy: undefined,
    streamError: undefined,
    async loadStream() {
      const reply = await client.invoke('stream:get-state');
      if (reply.ok) set({ stream: reply.value });
      else if (reply.error.code !== 'FORBIDDEN') get().reportError(reply.error, 'Reading the stream state failed');
    },
    async startStreaming(request) {
      set({ streamBusy: 'start', streamError: undefined });
      try {
        const reply = await client.invoke('stream:start', request);
        if (reply.ok) {
          set({ stream: reply.value });
          return true;
        }
        // Shown in the Go Live pane next to the button, where the user acts on it.
        set({ streamError: reply.error });
        return false;
      } finally {
        if (get().streamBusy === 'start') set({ streamBusy: undefined });
      }
    },
    async stopStreaming() {
      set({ streamBusy: 'stop' });
      try {
        const reply = await client.invoke('stream:stop');
        if (reply.ok) set({ stream: reply.value });
        else get().reportError(reply.error, 'The stream did not stop cleanly');
      } finally {
        if (get().streamBusy === 'stop') set({ streamBusy: undefined });
      }
    },
    async reconnectNow() {
      set({ streamBusy: 'reconnect' });
      try {
        const reply = await client.invoke('stream:reconnect-now');
        if (reply.ok) set({ stream: reply.value });
        else if (reply.error.code !== 'NOT_LIVE') get().reportError(reply.error, 'Reconnecting failed');
      } finally {
        if (get().streamBusy === 'reconnect') set({ streamBusy: undefined });
      }
    },
  }),
  bind: (client, store) => {
    const offState = client.on('stream:state-changed', (stream) => {
      // A fresh start clears the stats of the previous run.
      const restarted = stream.state === 'starting' && store.getState().stream?.state === 'offline';
      store.setState({ stream, ...(restarted ? { outputStats: undefined } : {}) });
    });
    const offStats = client.on('output:stats', (outputStats) => store.setState({ outputStats }));
    return () => {
      offState();
      offStats();
    };
  },
  load: (store) => store.getState().loadStream(),
};
