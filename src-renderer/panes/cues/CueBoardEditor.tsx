import { useCallback, useRef, useState } from 'react';
import type { Cue, CueBoard, CuePage, CuePayloadPreview, StudioErrorPayload } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { CueEditor } from './CueEditor';
import { CueGrid } from './CueGrid';
import { newId } from './cue-ids';
import { downloadExport } from './download';

const PALETTE = ['#2563eb', '#16a34a', '#9333ea', '#ea580c', '#dc2626', '#0891b2', '#475569', '#ca8a04'];

export interface CueBoardEditorProps {
  board: CueBoard;
  pageId: string | undefined;
  onPage: (pageId: string) => void;
  /** After a board was created, imported or deleted: which one to show. */
  onBoard: (boardId: string | undefined) => void;
  onDone: () => void;
}

/**
 * Editing a board as a draft: pages, the grid (a click selects a cue), the selected cue's form with
 * its live size, and board tools (new, import, export, delete). Save sends the whole board; the
 * engine refuses it — naming the cue and by how much — if any cue is over 1 KB.
 */
export function CueBoardEditor({ board, pageId, onPage, onBoard, onDone }: CueBoardEditorProps) {
  const save = useStudio((s) => s.saveCueBoard);
  const remove = useStudio((s) => s.deleteCueBoard);
  const importBoard = useStudio((s) => s.importCueBoard);
  const exportBoard = useStudio((s) => s.exportCueBoard);
  const [draft, setDraft] = useState<CueBoard>(() => structuredClone(board));
  const [selectedCueId, setSelectedCueId] = useState<string | undefined>();
  const [preview, setPreview] = useState<CuePayloadPreview | undefined>();
  const [error, setError] = useState<StudioErrorPayload | undefined>();
  const [saved, setSaved] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const onPreview = useCallback((p: CuePayloadPreview | undefined) => setPreview(p), []);

  const page = draft.pages.find((p) => p.id === pageId) ?? draft.pages[0]!;
  const cue = page.cues.find((c) => c.id === selectedCueId);
  const dirty = JSON.stringify(draft) !== JSON.stringify(board);
  const blocked = !!cue && (!preview || preview.overBy > 0 || preview.problems.length > 0);

  const change = (next: CueBoard) => {
    setDraft(next);
    setSaved(false);
    setError(undefined);
  };
  const changePage = (patch: Partial<CuePage>) => change({ ...draft, pages: draft.pages.map((p) => (p.id === page.id ? { ...p, ...patch } : p)) });
  const changeCue = (next: Cue) => changePage({ cues: page.cues.map((c) => (c.id === next.id ? next : c)) });

  const addCue = () => {
    const fresh: Cue = {
      id: newId('cue'),
      name: `Cue ${page.cues.length + 1}`,
      color: PALETTE[page.cues.length % PALETTE.length]!,
      template: { kind: 'text', text: 'cue {{counter}}' },
      variables: [],
      burst: 'queue',
      lateJoiners: false,
    };
    changePage({ cues: [...page.cues, fresh] });
    setSelectedCueId(fresh.id);
  };
  const moveCue = (delta: number) => {
    const index = page.cues.findIndex((c) => c.id === selectedCueId);
    const target = index + delta;
    if (index < 0 || target < 0 || target >= page.cues.length) return;
    const cues = [...page.cues];
    [cues[index], cues[target]] = [cues[target]!, cues[index]!];
    changePage({ cues });
  };
  const addPage = () => {
    const fresh: CuePage = { id: newId('page'), name: `Page ${draft.pages.length + 1}`, columns: 4, cues: [] };
    change({ ...draft, pages: [...draft.pages, fresh] });
    onPage(fresh.id);
  };

  const onSave = async () => {
    const reply = await save(draft);
    if (reply.ok) {
      setDraft(reply.value);
      setSaved(true);
      setError(undefined);
    } else setError(reply.error);
  };
  const onNewBoard = async () => {
    const fresh: CueBoard = { id: newId('board'), name: 'New board', show: draft.show, pages: [{ id: newId('page'), name: 'Main', columns: 4, cues: [] }] };
    const reply = await save(fresh);
    if (reply.ok) onBoard(reply.value.id);
    else setError(reply.error);
  };
  const onImport = async (file: File | undefined) => {
    if (!file) return;
    const reply = await importBoard(await file.text());
    if (reply.ok) onBoard(reply.value.id);
    else setError(reply.error);
  };
  const onDelete = async () => {
    const reply = await remove(draft.id);
    if (reply.ok) onBoard(undefined);
    else setError(reply.error);
  };

  return (
    <div className="cue-board-editor">
      <div className="cue-editor-row">
        <label>
          Board
          <input type="text" value={draft.name} maxLength={80} onChange={(e) => change({ ...draft, name: e.target.value })} />
        </label>
        <label>
          Show
          <input type="text" value={draft.show} maxLength={80} onChange={(e) => change({ ...draft, show: e.target.value })} />
        </label>
      </div>
      <div className="row cue-tools">
        <button type="button" onClick={() => void onNewBoard()}>
          New board
        </button>
        <button type="button" onClick={() => fileInput.current?.click()}>
          Import…
        </button>
        <input ref={fileInput} type="file" accept="application/json,.json" hidden onChange={(e) => void onImport(e.target.files?.[0])} data-testid="cue-import-file" />
        <button type="button" onClick={() => void exportBoard(draft.id).then((file) => file && downloadExport(file))}>
          Export
        </button>
        {confirmDelete ? (
          <>
            <button type="button" className="danger" onClick={() => void onDelete()}>
              Delete “{draft.name}”
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmDelete(true)}>
            Delete board…
          </button>
        )}
      </div>

      <div className="row cue-tools">
        <label>
          Page
          <input type="text" value={page.name} maxLength={80} onChange={(e) => changePage({ name: e.target.value })} />
        </label>
        <label className="cue-editor-narrow">
          Columns
          <input type="number" min={1} max={12} value={page.columns} onChange={(e) => changePage({ columns: Math.min(12, Math.max(1, Number(e.target.value) || 1)) })} />
        </label>
        <button type="button" onClick={addPage}>
          Add page
        </button>
        <button
          type="button"
          disabled={draft.pages.length < 2}
          onClick={() => {
            change({ ...draft, pages: draft.pages.filter((p) => p.id !== page.id) });
            onPage(draft.pages.find((p) => p.id !== page.id)!.id);
          }}
        >
          Delete page
        </button>
      </div>

      <CueGrid page={page} selectedCueId={selectedCueId} onSelect={setSelectedCueId} />
      <div className="row cue-tools">
        <button type="button" onClick={addCue}>
          Add cue
        </button>
        <button type="button" disabled={!cue} onClick={() => moveCue(-1)} aria-label="Move cue left">
          ←
        </button>
        <button type="button" disabled={!cue} onClick={() => moveCue(1)} aria-label="Move cue right">
          →
        </button>
        <button
          type="button"
          disabled={!cue}
          onClick={() => {
            changePage({ cues: page.cues.filter((c) => c.id !== selectedCueId) });
            setSelectedCueId(undefined);
          }}
        >
          Delete cue
        </button>
      </div>

      {cue ? <CueEditor key={cue.id} cue={cue} onChange={changeCue} onPreview={onPreview} /> : <p className="muted">Select a cue to edit it.</p>}

      {error && (
        <p className="error-text" role="alert" data-testid="cue-save-error">
          {error.message} {error.action}
        </p>
      )}
      <div className="row cue-tools">
        <button type="button" className="primary" disabled={!dirty || blocked} onClick={() => void onSave()} data-testid="cue-save">
          Save board
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(structuredClone(board));
            setError(undefined);
            onDone();
          }}
        >
          {dirty ? 'Discard changes' : 'Done'}
        </button>
        {saved && !dirty && <span className="ok-text small">Saved.</span>}
        {blocked && cue && preview && preview.overBy > 0 && <span className="error-text small">“{cue.name}” is over the limit: fix it to save.</span>}
      </div>
    </div>
  );
}
