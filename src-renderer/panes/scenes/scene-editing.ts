/**
 * Pure helpers of the Scenes pane: new sources and items from the add-source form, the scene
 * hotkeys, ids. Unit-tested without a DOM.
 */
import type { Canvas, SceneCollection, SceneItem, Source, SourceKind, SourceSpec, TestPatternKind } from '@contract/studio-api';

export function newId(prefix: string): string {
  const random = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID().slice(0, 8) : Math.random().toString(16).slice(2, 10);
  return `${prefix}-${random}`;
}

export const sourceKindLabels: Record<SourceKind, string> = {
  screen: 'Screen',
  window: 'Window',
  camera: 'Camera',
  microphone: 'Microphone',
  'system-audio': 'System audio',
  image: 'Image',
  text: 'Text',
  media: 'Media file',
  color: 'Colour',
  'test-pattern': 'Test pattern',
};

/** Kinds that pick a device from the enumerated list. */
export const deviceKinds: readonly SourceKind[] = ['screen', 'window', 'camera', 'microphone', 'system-audio'];
/** Kinds heard in every scene (added to the global audio, not drawn). */
export const audioOnlyKinds: readonly SourceKind[] = ['microphone', 'system-audio'];

export interface AddSourceFields {
  kind: SourceKind;
  name: string;
  device: string;
  path: string;
  text: string;
  color: string;
  pattern: TestPatternKind;
  toneHz: number;
  loop: boolean;
  width?: number;
  height?: number;
}

export function defaultAddSourceFields(kind: SourceKind = 'test-pattern'): AddSourceFields {
  return { kind, name: '', device: '', path: '', text: 'Live', color: '#202040', pattern: 'bars', toneHz: 440, loop: true };
}

function specFor(fields: AddSourceFields): SourceSpec {
  switch (fields.kind) {
    case 'screen':
      return { kind: 'screen', device: fields.device, captureCursor: true };
    case 'window':
      return { kind: 'window', device: fields.device, captureCursor: true };
    case 'camera':
      return { kind: 'camera', device: fields.device };
    case 'microphone':
      return { kind: 'microphone', device: fields.device };
    case 'system-audio':
      return { kind: 'system-audio', device: fields.device };
    case 'image':
      return { kind: 'image', path: fields.path };
    case 'text':
      return { kind: 'text', text: fields.text, fontSize: 48, color: '#ffffff', background: '#00000000' };
    case 'media':
      return { kind: 'media', path: fields.path, loop: fields.loop };
    case 'color':
      return { kind: 'color', color: fields.color };
    case 'test-pattern':
      return { kind: 'test-pattern', pattern: fields.pattern, toneHz: fields.toneHz };
  }
}

/** What the form is missing, in plain words; undefined when it can be added. */
export function addSourceProblem(fields: AddSourceFields): string | undefined {
  if (deviceKinds.includes(fields.kind) && !fields.device.trim()) return 'Choose a device.';
  if ((fields.kind === 'image' || fields.kind === 'media') && !fields.path.trim()) return 'Enter the file path.';
  if (fields.kind === 'text' && !fields.text.trim()) return 'Enter the text.';
  if (fields.kind === 'color' && !/^#[0-9a-fA-F]{6}$/.test(fields.color)) return 'Choose a colour.';
  return undefined;
}

/**
 * Adds the form's source to the collection: drawn kinds get an item on `sceneId` covering the canvas
 * (text a centred band), audio inputs join the global audio.
 */
export function addSource(collection: SceneCollection, sceneId: string, fields: AddSourceFields): SceneCollection {
  const source: Source = {
    id: newId('src'),
    name: fields.name.trim() || sourceKindLabels[fields.kind],
    spec: specFor(fields),
    audio: { gainDb: 0, muted: false },
  };
  collection.sources.push(source);
  if (audioOnlyKinds.includes(fields.kind)) {
    collection.globalAudio.push(source.id);
    return collection;
  }
  const scene = collection.scenes.find((s) => s.id === sceneId);
  if (scene) scene.items.push(defaultItem(source.id, fields.kind, collection.canvas));
  return collection;
}

export function defaultItem(sourceId: string, kind: SourceKind, canvas: Canvas): SceneItem {
  const even = (v: number) => Math.max(2, Math.round(v / 2) * 2);
  const band = kind === 'text' ? { x: even(canvas.width * 0.1), y: even(canvas.height * 0.78), width: even(canvas.width * 0.8), height: even(canvas.height * 0.14) } : undefined;
  return {
    id: newId('item'),
    sourceId,
    x: band?.x ?? 0,
    y: band?.y ?? 0,
    width: band?.width ?? canvas.width,
    height: band?.height ?? canvas.height,
    crop: { top: 0, right: 0, bottom: 0, left: 0 },
    opacity: 1,
    visible: true,
  };
}

/** Removes an item; its source goes too when nothing else uses it. */
export function removeItem(collection: SceneCollection, sceneId: string, itemId: string): SceneCollection {
  const scene = collection.scenes.find((s) => s.id === sceneId);
  if (!scene) return collection;
  const removed = scene.items.find((i) => i.id === itemId);
  scene.items = scene.items.filter((i) => i.id !== itemId);
  if (removed && !collection.scenes.some((s) => s.items.some((i) => i.sourceId === removed.sourceId)) && !collection.globalAudio.includes(removed.sourceId)) {
    collection.sources = collection.sources.filter((s) => s.id !== removed.sourceId);
  }
  return collection;
}

/** Moves an item up (towards the top of the drawing order, +1) or down (−1). */
export function moveItem(collection: SceneCollection, sceneId: string, itemId: string, offset: -1 | 1): SceneCollection {
  const scene = collection.scenes.find((s) => s.id === sceneId);
  if (!scene) return collection;
  const from = scene.items.findIndex((i) => i.id === itemId);
  const to = from + offset;
  if (from < 0 || to < 0 || to >= scene.items.length) return collection;
  scene.items.splice(to, 0, ...scene.items.splice(from, 1));
  return collection;
}

/** Ctrl+Shift+<digit> → the scene at that position (1-based), by physical key. */
export function sceneHotkeyIndex(event: Pick<KeyboardEvent, 'code' | 'ctrlKey' | 'shiftKey' | 'altKey' | 'metaKey'>): number | undefined {
  if (!event.ctrlKey || !event.shiftKey || event.altKey || event.metaKey) return undefined;
  const match = /^(?:Digit|Numpad)([1-9])$/.exec(event.code);
  return match ? Number(match[1]) - 1 : undefined;
}

export function sceneHotkeyLabel(index: number): string | undefined {
  return index < 9 ? `Ctrl+Shift+${index + 1}` : undefined;
}

/** A number typed into a field, or undefined when it is not one (the field then keeps its value). */
export function parseInteger(text: string, min: number, max: number): number | undefined {
  if (!/^-?\d+$/.test(text.trim())) return undefined;
  const value = Number(text);
  return Math.min(max, Math.max(min, value));
}
