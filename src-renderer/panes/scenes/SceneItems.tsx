import { useEffect, useState } from 'react';
import type { Crop, Scene, SceneItem, SceneItemPatch, Source } from '@contract/studio-api';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { moveItem, parseInteger, removeItem, sourceKindLabels } from './scene-editing';
import { useOptimisticToggle } from './optimistic-toggle';

/**
 * The items of one scene, top of the drawing order first: visibility, position, size, crop and
 * opacity as numbers (applied live when the program runs, saved either way), z-order, removal.
 */
export function SceneItems({ scene, sources }: { scene: Scene; sources: Source[] }) {
  const items = [...scene.items].reverse();
  return (
    <section className="scene-items" aria-label={`Items of ${scene.name}`}>
      <h3>
        Sources in <span data-testid="edited-scene-name">{scene.name}</span>
      </h3>
      {items.length === 0 && <p className="muted small">No sources yet: add one below.</p>}
      <ul className="item-rows">
        {items.map((item, i) => (
          <ItemRow key={item.id} sceneId={scene.id} item={item} source={sources.find((s) => s.id === item.sourceId)} top={i === 0} bottom={i === items.length - 1} />
        ))}
      </ul>
    </section>
  );
}

function ItemRow({ sceneId, item, source, top, bottom }: { sceneId: string; item: SceneItem; source?: Source; top: boolean; bottom: boolean }) {
  const setItem = useStudio((s) => s.setItem);
  const save = useStudio((s) => s.saveCollection);
  const patch = (p: SceneItemPatch) => void setItem(sceneId, item.id, p);
  const label = source ? `${source.name} (${sourceKindLabels[source.spec.kind]})` : item.sourceId;
  const setCrop = (side: keyof Crop, value: number) => patch({ crop: { ...item.crop, [side]: value } });
  const store = useStudioStore();
  const savedVisible = () => store.getState().scenes?.collection.scenes.find((s) => s.id === sceneId)?.items.find((i) => i.id === item.id)?.visible ?? item.visible;
  const [visible, setVisible] = useOptimisticToggle(item.visible, savedVisible, (value) => setItem(sceneId, item.id, { visible: value }));
  return (
    <li className="item-row" data-testid="item-row" data-item-id={item.id}>
      <div className="row">
        <label className="toggle">
          <input
            type="checkbox"
            checked={visible}
            onChange={(e) => setVisible(e.target.checked)}
            aria-label={`Show ${label}`} data-testid="item-visible" />
          <span className="item-name">{label}</span>
        </label>
        <span className="item-tools">
          <button type="button" onClick={() => void save((c) => moveItem(c, sceneId, item.id, 1))} disabled={top} aria-label={`Bring ${label} forward`} title="Forward">
            ↑
          </button>
          <button type="button" onClick={() => void save((c) => moveItem(c, sceneId, item.id, -1))} disabled={bottom} aria-label={`Send ${label} backward`} title="Backward">
            ↓
          </button>
          <button type="button" onClick={() => void save((c) => removeItem(c, sceneId, item.id))} aria-label={`Remove ${label}`} title="Remove">
            ×
          </button>
        </span>
      </div>
      <div className="item-fields">
        <NumberField label="X" value={item.x} min={-16384} max={16384} onCommit={(x) => patch({ x })} />
        <NumberField label="Y" value={item.y} min={-16384} max={16384} onCommit={(y) => patch({ y })} />
        <NumberField label="W" value={item.width} min={2} max={16384} onCommit={(width) => patch({ width })} />
        <NumberField label="H" value={item.height} min={2} max={16384} onCommit={(height) => patch({ height })} />
        <NumberField label="Opacity %" value={Math.round(item.opacity * 100)} min={0} max={100} onCommit={(v) => patch({ opacity: v / 100 })} />
      </div>
      <details className="item-crop">
        <summary className="small">Crop</summary>
        <div className="item-fields">
          {(['top', 'right', 'bottom', 'left'] as const).map((side) => (
            <NumberField key={side} label={side} value={item.crop[side]} min={0} max={16384} onCommit={(v) => setCrop(side, v)} />
          ))}
        </div>
      </details>
    </li>
  );
}

/** A numeric field that commits on Enter or when it loses focus; a non-number puts the old value back. */
function NumberField({ label, value, min, max, onCommit }: { label: string; value: number; min: number; max: number; onCommit: (value: number) => void }) {
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);
  const commit = () => {
    const parsed = parseInteger(text, min, max);
    if (parsed === undefined) setText(String(value));
    else if (parsed !== value) onCommit(parsed);
    else setText(String(value));
  };
  return (
    <label className="number-field">
      <span className="small">{label}</span>
      <input
        type="text"
        inputMode="numeric"
        value={text}
        size={5}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
        aria-label={label}
        data-testid={`item-${label.split(' ')[0]!.toLowerCase()}`}
      />
    </label>
  );
}
