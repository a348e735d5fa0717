/**
 * The cue board: boards, armed switch, target channel, and each cue's latest fire (the button
 * badges). Snapshot: cues:get-state; events: cues:state-changed, cues:fire-updated. The fire log is
 * fetched when its view opens and then kept current from the same fire events.
 *
 * A refused fire (disarmed, not live, over 1 KB, burst rejected) is kept per cue so its button and
 * the pane can say why, right where the producer pressed.
 */
import type {
  Cue,
  CueBoard,
  CueExport,
  CueFire,
  CueFireRequest,
  CueLogFormat,
  CuePayloadPreview,
  CueSettings,
  CuesState,
  Reply,
  StudioErrorPayload,
} from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

export interface CueRefusal {
  cueId: string;
  cueName: string;
  error: StudioErrorPayload;
  at: number;
}

export interface CuesSlice {
  cues: CuesState | undefined;
  cueLog: CueFire[] | undefined;
  /** The last refused fire (shown in the pane) and per cue (shown on its button). */
  cueRefusal: CueRefusal | undefined;
  cueRefusals: Record<string, CueRefusal>;
  loadCues(): Promise<void>;
  fireCue(request: CueFireRequest): Promise<CueFire | undefined>;
  setCuesArmed(armed: boolean): Promise<void>;
  saveCueBoard(board: CueBoard): Promise<Reply<CueBoard>>;
  deleteCueBoard(boardId: string): Promise<Reply<void>>;
  importCueBoard(json: string): Promise<Reply<CueBoard>>;
  exportCueBoard(boardId: string): Promise<CueExport | undefined>;
  previewCuePayload(cue: Cue): Promise<Reply<CuePayloadPreview>>;
  updateCueSettings(patch: Partial<CueSettings>): Promise<void>;
  loadCueLog(): Promise<void>;
  exportCueLog(format: CueLogFormat): Promise<CueExport | undefined>;
  clearCueLog(): Promise<void>;
}

/** Folds a fire update into the state: the cue's badge (if it is its latest fire) and the log. */
export function applyFireUpdate(state: Pick<CuesSlice, 'cues' | 'cueLog'>, fire: CueFire): Pick<CuesSlice, 'cues' | 'cueLog'> {
  let cues = state.cues;
  const current = cues?.latest[fire.cueId];
  if (cues && (!current || current.seq <= fire.seq)) cues = { ...cues, latest: { ...cues.latest, [fire.cueId]: fire } };
  let cueLog = state.cueLog;
  if (cueLog) {
    const index = cueLog.findIndex((f) => f.fid === fire.fid);
    cueLog = index >= 0 ? cueLog.map((f, i) => (i === index ? fire : f)) : [...cueLog, fire];
  }
  return { cues, cueLog };
}

export const cuesSlice: StudioSliceModule<CuesSlice> = {
  create: (client) => (set, get) => ({
    cues: undefined,
    cueLog: undefined,
    cueRefusal: undefined,
    cueRefusals: {},
    async loadCues() {
      const reply = await client.invoke('cues:get-state');
      if (reply.ok) set({ cues: reply.value });
      else if (reply.error.code !== 'FORBIDDEN') get().reportError(reply.error, 'Reading the cue board failed');
    },
    async fireCue(request) {
      const reply = await client.invoke('cues:fire', request);
      const cueName = findCueName(get().cues, request.cueId) ?? request.cueId;
      if (reply.ok) {
        const { [request.cueId]: _cleared, ...cueRefusals } = get().cueRefusals;
        set({ ...applyFireUpdate(get(), reply.value), cueRefusals, cueRefusal: get().cueRefusal?.cueId === request.cueId ? undefined : get().cueRefusal });
        return reply.value;
      }
      const refusal: CueRefusal = { cueId: request.cueId, cueName, error: reply.error, at: Date.now() };
      set({ cueRefusal: refusal, cueRefusals: { ...get().cueRefusals, [request.cueId]: refusal } });
      return undefined;
    },
    async setCuesArmed(armed) {
      const reply = await client.invoke('cues:set-armed', armed);
      if (reply.ok) {
        const cues = get().cues;
        if (cues) set({ cues: { ...cues, armed: reply.value } });
        if (armed) set({ cueRefusal: undefined, cueRefusals: {} });
      } else get().reportError(reply.error, armed ? 'Arming the cue board failed' : 'Disarming the cue board failed');
    },
    async saveCueBoard(board) {
      const reply = await client.invoke('cues:save-board', board);
      if (reply.ok) await get().loadCues();
      return reply;
    },
    async deleteCueBoard(boardId) {
      const reply = await client.invoke('cues:delete-board', boardId);
      if (reply.ok) await get().loadCues();
      return reply;
    },
    async importCueBoard(json) {
      const reply = await client.invoke('cues:import-board', json);
      if (reply.ok) await get().loadCues();
      return reply;
    },
    async exportCueBoard(boardId) {
      const reply = await client.invoke('cues:export-board', boardId);
      if (reply.ok) return reply.value;
      get().reportError(reply.error, 'Exporting the board failed');
      return undefined;
    },
    previewCuePayload: (cue) => client.invoke('cues:preview-payload', cue),
    async updateCueSettings(patch) {
      const reply = await client.invoke('cues:update-settings', patch);
      const cues = get().cues;
      if (reply.ok) {
        if (cues) set({ cues: { ...cues, settings: reply.value } });
      } else get().reportError(reply.error, 'Changing the cue settings failed');
    },
    async loadCueLog() {
      const reply = await client.invoke('cues:get-log');
      if (reply.ok) set({ cueLog: reply.value });
      else get().reportError(reply.error, 'Reading the fire log failed');
    },
    async exportCueLog(format) {
      const reply = await client.invoke('cues:export-log', format);
      if (reply.ok) return reply.value;
      get().reportError(reply.error, 'Exporting the fire log failed');
      return undefined;
    },
    async clearCueLog() {
      const reply = await client.invoke('cues:clear-log');
      if (reply.ok) {
        set({ cueLog: [] });
        await get().loadCues();
      } else get().reportError(reply.error, 'Clearing the fire log failed');
    },
  }),
  bind: (client, store) => {
    const offState = client.on('cues:state-changed', (cues) => store.setState({ cues }));
    const offFire = client.on('cues:fire-updated', (fire) => store.setState(applyFireUpdate(store.getState(), fire)));
    return () => {
      offState();
      offFire();
    };
  },
  load: (store) => store.getState().loadCues(),
};

function findCueName(state: CuesState | undefined, cueId: string): string | undefined {
  for (const board of state?.boards ?? []) for (const page of board.pages) for (const cue of page.cues) if (cue.id === cueId) return cue.name;
  return undefined;
}
