import './cues.css';
import { useCallback, useState } from 'react';
import type { Cue, CueBoard, CuesState, CueTargetInfo } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { recordStudioEvent } from '../../test-hook/studio-test-hook';
import { CueBoardEditor } from './CueBoardEditor';
import { CueGrid } from './CueGrid';
import { CueSettingsView } from './CueSettingsView';
import { FireLogView } from './FireLogView';
import { useCueHotkeys } from './use-cue-hotkeys';

type View = 'board' | 'edit' | 'log' | 'settings';

/**
 * The cue board: boards and pages of buttons that send timed metadata (IVS PutMetadata) into the
 * live stream. Each button shows its latest fire — queued, accepted, seen +x.x s, not seen, failed
 * (why). An Armed switch guards against accidental fires; hotkeys work while the window has focus.
 * A remote producer (cue-board rights) gets the same board without editing.
 */
export function CuesPane() {
  const cues = useStudio((s) => s.cues);
  const rights = useStudio((s) => s.info?.rights ?? (s.connection.state === 'open' ? s.connection.rights : 'full'));
  const fireCue = useStudio((s) => s.fireCue);
  const [boardId, setBoardId] = useState<string | undefined>();
  const [pageId, setPageId] = useState<string | undefined>();
  const [view, setView] = useState<View>('board');
  const board = cues?.boards.find((b) => b.id === boardId) ?? cues?.boards[0];
  const page = board?.pages.find((p) => p.id === pageId) ?? board?.pages[0];
  const operator = rights === 'full';

  const fire = useCallback(
    (cue: Cue, via: 'button' | 'hotkey', values?: Record<string, string>) => {
      recordStudioEvent('ui:cue-fire', { cueId: cue.id, via });
      void fireCue({ cueId: cue.id, ...(board ? { boardId: board.id } : {}), via, ...(values ? { values } : {}) });
    },
    [board, fireCue],
  );
  useCueHotkeys(board, view === 'board' || view === 'log', (cueId) => {
    const cue = board?.pages.flatMap((p) => p.cues).find((c) => c.id === cueId);
    if (cue) fire(cue, 'hotkey');
  });

  if (!cues) return <p className="muted">Loading the cue board…</p>;
  return (
    <div className="cues-pane" data-testid="cues-pane">
      <div className="row cue-toolbar">
        <ArmedSwitch armed={cues.armed} />
        {cues.boards.length > 0 && (
          <label className="cue-board-picker">
            <span className="visually-hidden">Board</span>
            <select aria-label="Board" value={board?.id ?? ''} onChange={(e) => (setBoardId(e.target.value), setPageId(undefined))} data-testid="cue-board-picker">
              {groupByShow(cues.boards).map(([show, boards]) => (
                <optgroup key={show} label={show || 'No show'}>
                  {boards.map((b) => (
                    <option key={b.id} value={b.id}>
                      {b.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
        )}
        <nav className="segmented cue-views" aria-label="Cue board views">
          {(['board', ...(operator ? (['edit'] as const) : []), 'log', ...(operator ? (['settings'] as const) : [])] as View[]).map((v) => (
            <button key={v} type="button" className={view === v ? 'cue-view-current' : undefined} aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)}>
              {{ board: 'Board', edit: 'Edit', log: 'Log', settings: 'Settings' }[v]}
            </button>
          ))}
        </nav>
      </div>
      <TargetLine state={cues} />
      <RefusalLine />

      {board && page && board.pages.length > 1 && view !== 'log' && view !== 'settings' && (
        <div className="cue-pages" role="tablist" aria-label="Pages">
          {board.pages.map((p) => (
            <button key={p.id} type="button" role="tab" aria-selected={p.id === page.id} onClick={() => setPageId(p.id)}>
              {p.name}
            </button>
          ))}
        </div>
      )}

      {view === 'board' &&
        (board && page ? (
          <CueGrid page={page} onFire={(cue, values) => fire(cue, 'button', values)} />
        ) : (
          <p className="muted">{operator ? 'No boards yet: open Edit to create one.' : 'The operator has not set up a board yet.'}</p>
        ))}
      {view === 'edit' && operator && board && (
        <CueBoardEditor
          key={board.id}
          board={board}
          pageId={page?.id}
          onPage={setPageId}
          onBoard={(id) => {
            setBoardId(id);
            setPageId(undefined);
          }}
          onDone={() => setView('board')}
        />
      )}
      {view === 'edit' && operator && !board && <NewFirstBoard onCreated={setBoardId} />}
      {view === 'log' && <FireLogView canClear={operator} />}
      {view === 'settings' && operator && <CueSettingsView />}
    </div>
  );
}

function ArmedSwitch({ armed }: { armed: boolean }) {
  const setArmed = useStudio((s) => s.setCuesArmed);
  return (
    <label className={`toggle cue-armed${armed ? ' cue-armed-on' : ''}`}>
      <input type="checkbox" role="switch" aria-checked={armed} checked={armed} onChange={(e) => void setArmed(e.target.checked)} data-testid="cue-armed" />
      <span>{armed ? 'Armed' : 'Disarmed'}</span>
    </label>
  );
}

function TargetLine({ state }: { state: CuesState }) {
  const mode = useStudio((s) => s.info?.mode);
  const target = state.target;
  if (!target) {
    return (
      <p className="muted small cue-target" data-testid="cue-target">
        {state.targetError ? `No channel for cues: ${state.targetError.message}` : 'Finding the channel cues go to…'}
      </p>
    );
  }
  const liveness = target.live === undefined ? 'unknown' : target.live ? 'live' : 'offline';
  return (
    <p className="small cue-target" data-testid="cue-target" data-live={liveness}>
      <span className="muted">Cues go to</span> <strong>{target.label}</strong> <span className={`cue-live cue-live-${liveness}`}>{liveness === 'unknown' ? 'live?' : liveness}</span>
      {state.queued > 0 && <span className="muted"> · {state.queued} waiting</span>}
      {target.playbackUrl && mode === 'browser' && <ViewerLink target={target} />}
    </p>
  );
}

/**
 * Opens the viewer example page on this channel. window.open (not a plain link) so the new page
 * shares this tab's session storage, where the access token is: the page can then report what it
 * shows back to the studio, and the token never appears in a link a screen capture could show.
 */
function ViewerLink({ target }: { target: CueTargetInfo }) {
  const url = `viewer.html?playbackUrl=${encodeURIComponent(target.playbackUrl!)}`;
  return (
    <>
      {' · '}
      <a
        href={url}
        onClick={(event) => {
          event.preventDefault();
          window.open(url, '_blank');
        }}
        data-testid="cue-viewer-link"
      >
        Open viewer page
      </a>
    </>
  );
}

function RefusalLine() {
  const refusal = useStudio((s) => s.cueRefusal);
  if (!refusal) return null;
  return (
    <p className="cue-refusal" role="alert" data-testid="cue-refusal" data-code={refusal.error.code}>
      {refusal.error.message}
      {refusal.error.action && <span className="muted"> {refusal.error.action}</span>}
    </p>
  );
}

function NewFirstBoard({ onCreated }: { onCreated: (id: string) => void }) {
  const save = useStudio((s) => s.saveCueBoard);
  return (
    <button
      type="button"
      onClick={() =>
        void save({ id: `board-${Date.now().toString(36)}`, name: 'Show', show: 'My show', pages: [{ id: 'main', name: 'Main', columns: 4, cues: [] }] }).then((reply) => {
          if (reply.ok) onCreated(reply.value.id);
        })
      }
    >
      Create a board
    </button>
  );
}

function groupByShow(boards: CueBoard[]): [string, CueBoard[]][] {
  const groups = new Map<string, CueBoard[]>();
  for (const board of boards) groups.set(board.show, [...(groups.get(board.show) ?? []), board]);
  return [...groups];
}
