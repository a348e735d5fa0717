import { useState } from 'react';
import type { Scene } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { sceneHotkeyLabel } from './scene-editing';

/**
 * The scenes, in order. Click a scene to take it to program (outside studio mode) or to prepare it
 * as the preview (studio mode). Rename with the pencil, reorder with the arrows, delete with ×.
 */
export function SceneList() {
  const collection = useStudio((s) => s.scenes?.collection);
  const programRunning = useStudio((s) => s.program?.phase === 'running');
  const liveScene = useStudio((s) => s.program?.programSceneId);
  const createScene = useStudio((s) => s.createScene);
  const [name, setName] = useState('');
  if (!collection) return null;
  const programId = programRunning && liveScene ? liveScene : collection.programSceneId;
  return (
    <section className="scene-list" aria-label="Scenes">
      <h3>Scenes</h3>
      <p className="muted small">{collection.studioMode ? 'Click prepares a scene in preview; Take sends it to program.' : 'Click or Ctrl+Shift+1…9 takes a scene to program.'}</p>
      <ol className="scene-rows">
        {collection.scenes.map((scene, index) => (
          <SceneRow key={scene.id} scene={scene} index={index} count={collection.scenes.length} program={scene.id === programId} preview={collection.studioMode && scene.id === collection.previewSceneId} studioMode={collection.studioMode} />
        ))}
      </ol>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void createScene(name).then(() => setName(''));
        }}
      >
        <input type="text" value={name} onChange={(e) => setName(e.target.value)} placeholder="New scene name" aria-label="New scene name" maxLength={120} data-testid="new-scene-name" />
        <button type="submit" data-testid="add-scene">
          Add scene
        </button>
      </form>
    </section>
  );
}

function SceneRow({ scene, index, count, program, preview, studioMode }: { scene: Scene; index: number; count: number; program: boolean; preview: boolean; studioMode: boolean }) {
  const switchScene = useStudio((s) => s.switchScene);
  const setPreview = useStudio((s) => s.setPreviewScene);
  const rename = useStudio((s) => s.renameScene);
  const move = useStudio((s) => s.moveScene);
  const remove = useStudio((s) => s.deleteScene);
  const [editing, setEditing] = useState<string | undefined>(undefined);
  const hotkey = sceneHotkeyLabel(index);
  const classes = ['scene-row', program ? 'scene-program' : '', preview ? 'scene-preview' : ''].filter(Boolean).join(' ');
  return (
    <li className={classes} data-testid="scene-row" data-scene-id={scene.id} data-program={program} data-preview={preview}>
      {editing !== undefined ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (editing.trim()) void rename(scene.id, editing.trim());
            setEditing(undefined);
          }}
        >
          <input type="text" value={editing} onChange={(e) => setEditing(e.target.value)} aria-label={`Rename ${scene.name}`} autoFocus maxLength={120} data-testid="rename-scene-input" />
          <button type="submit">Save</button>
          <button type="button" onClick={() => setEditing(undefined)}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <button
            type="button"
            className="scene-take"
            aria-pressed={program}
            onClick={() => void (studioMode ? setPreview(scene.id) : switchScene(scene.id))}
            title={studioMode ? 'Prepare in preview' : `Take to program${hotkey ? ` (${hotkey})` : ''}`}
            data-testid="scene-button"
          >
            <span className="scene-name">{scene.name}</span>
            {program && <span className="tag tag-program">PGM</span>}
            {preview && <span className="tag tag-preview">PVW</span>}
            {hotkey && <kbd className="scene-hotkey">{hotkey}</kbd>}
          </button>
          <span className="scene-tools">
            <button type="button" onClick={() => setEditing(scene.name)} aria-label={`Rename ${scene.name}`} title="Rename">
              ✎
            </button>
            <button type="button" onClick={() => void move(scene.id, -1)} disabled={index === 0} aria-label={`Move ${scene.name} up`} title="Move up">
              ↑
            </button>
            <button type="button" onClick={() => void move(scene.id, 1)} disabled={index === count - 1} aria-label={`Move ${scene.name} down`} title="Move down">
              ↓
            </button>
            <button type="button" onClick={() => void remove(scene.id)} disabled={count === 1} aria-label={`Delete ${scene.name}`} title="Delete">
              ×
            </button>
          </span>
        </>
      )}
    </li>
  );
}
