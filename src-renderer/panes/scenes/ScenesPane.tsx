import './scenes.css';
import { useEffect, useRef } from 'react';
import type { SceneCollection, TransitionKind } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { isTypingTarget } from '../cues/cue-hotkeys';
import { AddSourceForm } from './AddSourceForm';
import { AudioMixer } from './AudioMixer';
import { ProgramBar } from './ProgramBar';
import { SceneItems } from './SceneItems';
import { SceneList } from './SceneList';
import { sceneHotkeyIndex } from './scene-editing';

/**
 * Scenes & Sources: the program's controls, the scenes (click or Ctrl+Shift+<n> to take one to
 * program), studio mode (prepare a preview scene, then take it with a cut or a fade), the sources of
 * the scene being edited as numbers, adding sources from the enumerated devices and files, and the
 * audio mixer. Everything is saved in the scene collection document.
 */
export function ScenesPane() {
  const collection = useStudio((s) => s.scenes?.collection);
  useSceneHotkeys(collection);
  if (!collection) return <p className="muted">Loading…</p>;
  const editedId = collection.studioMode ? collection.previewSceneId : collection.programSceneId;
  const edited = collection.scenes.find((s) => s.id === editedId) ?? collection.scenes[0]!;
  return (
    <div className="scenes-pane" data-testid="scenes-pane">
      <ProgramBar />
      <TransitionBar collection={collection} />
      <div className="scenes-columns">
        <SceneList />
        <div className="scene-editor">
          <SceneItems scene={edited} sources={collection.sources} />
          <AddSourceForm sceneId={edited.id} />
        </div>
      </div>
      <AudioMixer />
      <p className="muted small">
        Canvas {collection.canvas.width}×{collection.canvas.height} at {collection.canvas.fps} fps
      </p>
    </div>
  );
}

function TransitionBar({ collection }: { collection: SceneCollection }) {
  const save = useStudio((s) => s.saveCollection);
  const switchScene = useStudio((s) => s.switchScene);
  const { transition, studioMode } = collection;
  const setTransition = (kind: TransitionKind, durationMs = transition.durationMs) => void save((c) => void (c.transition = { kind, durationMs }));
  const preview = collection.scenes.find((s) => s.id === collection.previewSceneId);
  return (
    <div className="row transition-bar">
      <label className="toggle">
        <input type="checkbox" checked={studioMode} onChange={(e) => void save((c) => void (c.studioMode = e.target.checked))} data-testid="studio-mode" />
        <span>Studio mode</span>
      </label>
      <label>
        <span className="small">Transition</span>
        <select value={transition.kind} onChange={(e) => setTransition(e.target.value as TransitionKind)} data-testid="transition-kind">
          <option value="cut">Cut</option>
          <option value="fade">Fade</option>
        </select>
      </label>
      {transition.kind === 'fade' && (
        <label>
          <span className="small">ms</span>
          <input
            type="number"
            min={0}
            max={10000}
            step={100}
            defaultValue={transition.durationMs}
            key={transition.durationMs}
            onBlur={(e) => setTransition('fade', Math.min(10000, Math.max(0, Math.round(Number(e.target.value) || 0))))}
            data-testid="transition-ms"
          />
        </label>
      )}
      {studioMode && preview && (
        <button type="button" onClick={() => void switchScene(preview.id, transition.kind, transition.durationMs)} disabled={preview.id === collection.programSceneId} data-testid="take">
          Take “{preview.name}” to program
        </button>
      )}
    </div>
  );
}

/** Ctrl+Shift+1…9 takes the scene at that position to program with the collection's transition. */
function useSceneHotkeys(collection: SceneCollection | undefined): void {
  const switchScene = useStudio((s) => s.switchScene);
  const latest = useRef(collection);
  latest.current = collection;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.repeat || event.defaultPrevented || isTypingTarget(event.target)) return;
      const index = sceneHotkeyIndex(event);
      const scene = index === undefined ? undefined : latest.current?.scenes[index];
      if (!scene || !latest.current) return;
      event.preventDefault();
      void switchScene(scene.id, latest.current.transition.kind, latest.current.transition.durationMs);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [switchScene]);
}
