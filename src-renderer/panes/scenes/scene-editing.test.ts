import { describe, expect, it } from 'vitest';
import type { SceneCollection } from '@contract/studio-api';
import { addSource, addSourceProblem, defaultAddSourceFields, moveItem, parseInteger, removeItem, sceneHotkeyIndex, sceneHotkeyLabel } from './scene-editing';

function collection(): SceneCollection {
  return {
    version: 1,
    name: 'c',
    canvas: { width: 1280, height: 720, fps: 30 },
    sources: [{ id: 's1', name: 'Bars', spec: { kind: 'test-pattern', pattern: 'bars', toneHz: 0 }, audio: { gainDb: 0, muted: false } }],
    scenes: [
      { id: 'a', name: 'A', items: [{ id: 'i1', sourceId: 's1', x: 0, y: 0, width: 1280, height: 720, crop: { top: 0, right: 0, bottom: 0, left: 0 }, opacity: 1, visible: true }] },
      { id: 'b', name: 'B', items: [] },
    ],
    globalAudio: [],
    programSceneId: 'a',
    previewSceneId: 'b',
    studioMode: false,
    transition: { kind: 'cut', durationMs: 300 },
  };
}

const key = (code: string, mods: Partial<Record<'ctrlKey' | 'altKey' | 'shiftKey' | 'metaKey', boolean>> = {}) => ({ code, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods });

describe('scene editing', () => {
  it('a drawn source gets a full-canvas item on the edited scene', () => {
    const c = addSource(collection(), 'b', { ...defaultAddSourceFields('color'), color: '#ff0000', name: 'Red' });
    const source = c.sources[1]!;
    expect(source).toMatchObject({ name: 'Red', spec: { kind: 'color', color: '#ff0000' }, audio: { gainDb: 0, muted: false } });
    expect(c.scenes[1]!.items).toEqual([expect.objectContaining({ sourceId: source.id, x: 0, y: 0, width: 1280, height: 720, visible: true, opacity: 1 })]);
  });

  it('text becomes a band near the bottom; audio inputs join every scene', () => {
    const text = addSource(collection(), 'a', { ...defaultAddSourceFields('text'), text: 'Hi' });
    expect(text.scenes[0]!.items[1]).toMatchObject({ x: 128, width: 1024 });
    const mic = addSource(collection(), 'a', { ...defaultAddSourceFields('microphone'), device: 'mic0' });
    expect(mic.globalAudio).toEqual([mic.sources[1]!.id]);
    expect(mic.scenes[0]!.items).toHaveLength(1);
  });

  it('says what the form still needs', () => {
    expect(addSourceProblem(defaultAddSourceFields('camera'))).toBe('Choose a device.');
    expect(addSourceProblem(defaultAddSourceFields('image'))).toBe('Enter the file path.');
    expect(addSourceProblem(defaultAddSourceFields('test-pattern'))).toBeUndefined();
  });

  it('removing the last item of a source removes the source; z-order moves', () => {
    const c = collection();
    c.scenes[0]!.items.push({ ...c.scenes[0]!.items[0]!, id: 'i2' });
    expect(moveItem(structuredClone(c), 'a', 'i1', 1).scenes[0]!.items.map((i) => i.id)).toEqual(['i2', 'i1']);
    expect(moveItem(structuredClone(c), 'a', 'i2', 1).scenes[0]!.items.map((i) => i.id)).toEqual(['i1', 'i2']);
    const once = removeItem(structuredClone(c), 'a', 'i1');
    expect(once.sources).toHaveLength(1);
    expect(removeItem(once, 'a', 'i2').sources).toEqual([]);
  });

  it('scene hotkeys: Ctrl+Shift+digit by physical key', () => {
    expect(sceneHotkeyIndex(key('Digit2', { ctrlKey: true, shiftKey: true }))).toBe(1);
    expect(sceneHotkeyIndex(key('Numpad9', { ctrlKey: true, shiftKey: true }))).toBe(8);
    expect(sceneHotkeyIndex(key('Digit2', { ctrlKey: true }))).toBeUndefined();
    expect(sceneHotkeyIndex(key('Digit2', { ctrlKey: true, shiftKey: true, altKey: true }))).toBeUndefined();
    expect(sceneHotkeyLabel(0)).toBe('Ctrl+Shift+1');
    expect(sceneHotkeyLabel(9)).toBeUndefined();
  });

  it('numbers typed into fields', () => {
    expect(parseInteger(' 42 ', 0, 100)).toBe(42);
    expect(parseInteger('-5', 0, 100)).toBe(0);
    expect(parseInteger('4.5', 0, 100)).toBeUndefined();
    expect(parseInteger('abc', 0, 100)).toBeUndefined();
  });
});
