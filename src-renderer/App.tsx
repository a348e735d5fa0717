/**
 * The studio layout: header, the panes of `panes/pane-registry.ts` on a grid sized for 1280x720 and
 * up (scenes on the left, the monitors over the cue board in the middle, Go Live over a scrolling
 * dock of stats, channel and settings on the right), and the notices. A remote producer (cue-board
 * rights) gets the cue board alone.
 * Keyboard: Tab walks the panes in reading order; Alt+Shift+1…8 jumps to a pane.
 */
import { useEffect } from 'react';
import { Dock } from './layout/Dock';
import { focusPane } from './layout/focus-pane';
import { PaneFrame } from './layout/PaneFrame';
import { FirstRun } from './panes/first-run/FirstRun';
import { NoticeArea } from './notices/NoticeArea';
import { paneIndexForKey, panes, type PaneDefinition } from './panes/pane-registry';
import { useStudio } from './store/studio-store';
import { useAppliedTheme } from './theme/use-applied-theme';
import type { ConnectionStatus } from './api/studio-connection';

export function App() {
  const theme = useStudio((s) => s.settings?.theme);
  const connection = useStudio((s) => s.connection);
  const rights = useStudio((s) => s.info?.rights ?? (s.connection.state === 'open' ? s.connection.rights : 'full'));
  useAppliedTheme(theme);
  usePaneHotkeys();

  if (connection.state === 'refused') return <Refused message={connection.error.message} action={connection.error.action} />;
  const shown = rights === 'full' ? panes : panes.filter((p) => p.remote);
  const docked = shown.filter((p) => p.placement === 'dock');
  return (
    <div className={`studio ${rights === 'full' ? 'studio-full' : 'studio-remote'}`}>
      <StudioHeader connection={connection} remote={rights !== 'full'} />
      <main className="studio-grid" aria-label="Studio">
        {shown.filter((p) => p.placement !== 'dock').map(renderPane)}
        {docked.length > 0 && <Dock entries={docked.map(dockEntry)}>{docked.map(renderPane)}</Dock>}
      </main>
      <NoticeArea />
      <FirstRun />
    </div>
  );
}

const dockEntry = (pane: PaneDefinition) => ({ id: pane.id, title: pane.title, hotkey: panes.indexOf(pane) + 1 });

function renderPane(pane: PaneDefinition) {
  const Pane = pane.component;
  return (
    <PaneFrame key={pane.id} id={pane.id} title={pane.title} hotkey={panes.indexOf(pane) + 1}>
      <Pane />
    </PaneFrame>
  );
}

function StudioHeader({ connection, remote }: { connection: ConnectionStatus; remote: boolean }) {
  const info = useStudio((s) => s.info);
  return (
    <header className="studio-header">
      <h1>IVS Studio</h1>
      <ConnectionBadge connection={connection} />
      {info && <span className="header-fact">{info.mode === 'electron' ? 'Desktop' : remote ? 'Remote producer' : 'Browser'}</span>}
      <span className="header-hint">
        <kbd>Alt</kbd>+<kbd>Shift</kbd>+<kbd>1</kbd>…<kbd>8</kbd> jumps to a pane
      </span>
    </header>
  );
}

function ConnectionBadge({ connection }: { connection: ConnectionStatus }) {
  const label =
    connection.state === 'open'
      ? 'Connected'
      : connection.state === 'connecting'
        ? 'Connecting…'
        : connection.state === 'closed'
          ? `Disconnected, retrying in ${Math.ceil(connection.retryInMs / 1000)} s`
          : 'Refused';
  return (
    <span className={`badge badge-${connection.state}`} role="status" aria-label={`Engine connection: ${label}`}>
      {label}
    </span>
  );
}

function Refused({ message, action }: { message: string; action?: string }) {
  return (
    <main className="refused" role="alert">
      <h1>This page cannot reach the studio</h1>
      <p>{message}</p>
      {action && <p>{action}</p>}
    </main>
  );
}

function usePaneHotkeys(): void {
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      const index = paneIndexForKey(event);
      if (index === undefined) return;
      if (!document.getElementById(`pane-${panes[index]!.id}`)) return;
      event.preventDefault();
      focusPane(panes[index]!.id);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
