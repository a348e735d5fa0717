/**
 * The studio's panes, in reading (and Tab, and hotkey) order. Each pane's component lives in
 * `panes/<id>/`; the engineer who builds a domain replaces that component, not this list.
 */
import type { ComponentType } from 'react';
import { ChannelPane } from './channel/ChannelPane';
import { CuesPane } from './cues/CuesPane';
import { GoLivePane } from './golive/GoLivePane';
import { PreviewPane } from './preview/PreviewPane';
import { ProgramPane } from './program/ProgramPane';
import { ScenesPane } from './scenes/ScenesPane';
import { SettingsPane } from './settings/SettingsPane';
import { StatsPane } from './stats/StatsPane';

export type PaneId = 'scenes' | 'program' | 'preview' | 'golive' | 'cues' | 'stats' | 'channel' | 'settings';

export interface PaneDefinition {
  id: PaneId;
  title: string;
  component: ComponentType;
  /** Shown to a remote producer (cue-board rights). */
  remote?: boolean;
  /**
   * 'dock': stacked in the right-hand dock under Go Live, which scrolls (its bar jumps to each pane).
   * Otherwise the pane has its own fixed place on the main grid.
   */
  placement?: 'dock';
}

export const panes: readonly PaneDefinition[] = [
  { id: 'scenes', title: 'Scenes & Sources', component: ScenesPane },
  { id: 'program', title: 'Program', component: ProgramPane },
  { id: 'preview', title: 'Preview', component: PreviewPane },
  { id: 'golive', title: 'Go Live', component: GoLivePane },
  { id: 'cues', title: 'Cue board', component: CuesPane, remote: true },
  { id: 'stats', title: 'Stats', component: StatsPane, placement: 'dock' },
  { id: 'channel', title: 'Channel', component: ChannelPane, placement: 'dock' },
  { id: 'settings', title: 'Settings', component: SettingsPane, placement: 'dock' },
];

/** Alt+Shift+<digit> (by physical key, so the shifted symbol does not matter) → pane index. */
export function paneIndexForKey(event: Pick<KeyboardEvent, 'altKey' | 'shiftKey' | 'ctrlKey' | 'metaKey' | 'code'>): number | undefined {
  if (!event.altKey || !event.shiftKey || event.ctrlKey || event.metaKey) return undefined;
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  if (!match) return undefined;
  const index = Number(match[1]) - 1;
  return index < panes.length ? index : undefined;
}
