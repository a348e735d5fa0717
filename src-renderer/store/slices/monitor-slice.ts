/**
 * Monitoring: the preview's source, the per-second stats (with a short history for sparklines), the
 * audio levels, the program monitor's state and the post-show reports. Snapshot: monitor:get-state +
 * reports:list; events: monitor:state-changed, monitor:stats, monitor:audio-levels, reports:added.
 * Program monitor frames do not pass through the store (15 a second): the program pane subscribes to
 * `monitor:program-frame` itself.
 */
import type { AudioLevels, MonitorState, PlayerLatencyReport, PreviewPlayerKind, ShowReport, ShowReportSummary, StudioStats } from '@contract/studio-api';
import type { StudioSliceModule } from '../studio-store';

/** Seconds of stats kept for the dock's sparklines. */
export const STATS_HISTORY = 60;

export interface MonitorSlice {
  monitor: MonitorState | undefined;
  stats: StudioStats | undefined;
  statsHistory: StudioStats[];
  audioLevels: AudioLevels | undefined;
  reports: ShowReportSummary[];
  openReport: ShowReport | undefined;
  loadMonitor(): Promise<void>;
  setPreviewUrl(url: string | null, player?: PreviewPlayerKind): Promise<boolean>;
  reportLatency(report: PlayerLatencyReport): void;
  showReport(id: string | undefined): Promise<void>;
}

export const monitorSlice: StudioSliceModule<MonitorSlice> = {
  create: (client) => (set, get) => ({
    monitor: undefined,
    stats: undefined,
    statsHistory: [],
    audioLevels: undefined,
    reports: [],
    openReport: undefined,
    async loadMonitor() {
      const [state, reports] = await Promise.all([client.invoke('monitor:get-state'), client.invoke('reports:list')]);
      if (state.ok) set({ monitor: state.value, ...(state.value.stats ? { stats: state.value.stats } : {}) });
      else if (state.error.code !== 'FORBIDDEN') get().reportError(state.error, 'Reading the monitor failed');
      if (reports.ok) set({ reports: reports.value });
    },
    async setPreviewUrl(url, player) {
      const reply = player ? await client.invoke('monitor:set-preview-url', url, player) : await client.invoke('monitor:set-preview-url', url);
      if (reply.ok) set({ monitor: reply.value });
      else get().reportError(reply.error, 'The preview URL was not accepted');
      return reply.ok;
    },
    reportLatency(report) {
      // Fire and forget: a lost report costs one second of the latency figure.
      void client.invoke('monitor:latency-report', report);
    },
    async showReport(id) {
      if (!id) {
        set({ openReport: undefined });
        return;
      }
      const reply = await client.invoke('reports:get', id);
      if (reply.ok) set({ openReport: reply.value });
      else get().reportError(reply.error, 'The report could not be opened');
    },
  }),
  bind: (client, store) => {
    const offs = [
      client.on('monitor:state-changed', (monitor) => store.setState({ monitor })),
      client.on('monitor:stats', (stats) => {
        const history = store.getState().statsHistory;
        store.setState({ stats, statsHistory: [...history.slice(-(STATS_HISTORY - 1)), stats] });
      }),
      client.on('monitor:audio-levels', (audioLevels) => store.setState({ audioLevels })),
      client.on('reports:added', (summary) => store.setState({ reports: [summary, ...store.getState().reports.filter((r) => r.id !== summary.id)] })),
    ];
    return () => {
      for (const off of offs) off();
    };
  },
  load: (store) => store.getState().loadMonitor(),
};
