import { useEffect, useState } from 'react';
import type { SourceKind, TestPatternKind } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { addSource, addSourceProblem, defaultAddSourceFields, deviceKinds, sourceKindLabels, type AddSourceFields } from './scene-editing';

/**
 * Adds a source to the edited scene: devices from the engine's enumeration (what ffmpeg can open
 * here), files by path, text, a colour or a test pattern with its tone. Audio inputs join the mix of
 * every scene.
 */
export function AddSourceForm({ sceneId }: { sceneId: string }) {
  const devices = useStudio((s) => s.devices);
  const listDevices = useStudio((s) => s.listDevices);
  const save = useStudio((s) => s.saveCollection);
  const [fields, setFields] = useState<AddSourceFields>(defaultAddSourceFields());
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<AddSourceFields>) => setFields((f) => ({ ...f, ...patch }));
  const needsDevice = deviceKinds.includes(fields.kind);
  useEffect(() => {
    if (needsDevice && !devices) void listDevices();
  }, [needsDevice, devices, listDevices]);
  const choices = devices?.devices.filter((d) => d.kind === fields.kind) ?? [];
  const problem = addSourceProblem(fields);
  const add = async () => {
    setBusy(true);
    try {
      if (await save((c) => addSource(c, sceneId, fields))) setFields(defaultAddSourceFields(fields.kind));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="add-source"
      aria-label="Add a source"
      onSubmit={(e) => {
        e.preventDefault();
        if (!problem) void add();
      }}
    >
      <h3>Add a source</h3>
      <div className="row">
        <label>
          <span className="small">Kind</span>
          <select value={fields.kind} onChange={(e) => setFields(defaultAddSourceFields(e.target.value as SourceKind))} data-testid="source-kind">
            {(Object.keys(sourceKindLabels) as SourceKind[]).map((kind) => (
              <option key={kind} value={kind}>
                {sourceKindLabels[kind]}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span className="small">Name</span>
          <input type="text" value={fields.name} onChange={(e) => set({ name: e.target.value })} placeholder={sourceKindLabels[fields.kind]} maxLength={120} data-testid="source-name" />
        </label>
      </div>
      {needsDevice && (
        <div className="row">
          <label>
            <span className="small">Device</span>
            <select value={fields.device} onChange={(e) => set({ device: e.target.value })} data-testid="source-device">
              <option value="">{devices ? (choices.length ? 'Choose…' : 'None found') : 'Listing…'}</option>
              {choices.map((d) => (
                <option key={d.device} value={d.device}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void listDevices()}>
            Refresh
          </button>
          {devices?.problems.map((p) => (
            <span key={p} className="muted small">
              {p}
            </span>
          ))}
        </div>
      )}
      {(fields.kind === 'image' || fields.kind === 'media') && (
        <label className="row">
          <span className="small">File</span>
          <input type="text" value={fields.path} onChange={(e) => set({ path: e.target.value })} placeholder="/path/to/file" className="wide" data-testid="source-path" />
          {fields.kind === 'media' && (
            <label className="toggle">
              <input type="checkbox" checked={fields.loop} onChange={(e) => set({ loop: e.target.checked })} />
              <span className="small">Loop</span>
            </label>
          )}
        </label>
      )}
      {fields.kind === 'text' && (
        <label className="row">
          <span className="small">Text</span>
          <input type="text" value={fields.text} onChange={(e) => set({ text: e.target.value })} className="wide" maxLength={2000} data-testid="source-text" />
        </label>
      )}
      {fields.kind === 'color' && (
        <label className="row">
          <span className="small">Colour</span>
          <input type="color" value={fields.color} onChange={(e) => set({ color: e.target.value })} data-testid="source-color" />
        </label>
      )}
      {fields.kind === 'test-pattern' && (
        <div className="row">
          <label>
            <span className="small">Pattern</span>
            <select value={fields.pattern} onChange={(e) => set({ pattern: e.target.value as TestPatternKind })} data-testid="source-pattern">
              <option value="bars">Colour bars</option>
              <option value="testsrc">Moving test source</option>
              <option value="grid">Grid</option>
            </select>
          </label>
          <label>
            <span className="small">Tone (Hz, 0 = none)</span>
            <input type="number" min={0} max={20000} value={fields.toneHz} onChange={(e) => set({ toneHz: Math.max(0, Number(e.target.value) || 0) })} data-testid="source-tone" />
          </label>
        </div>
      )}
      <div className="row">
        <button type="submit" disabled={busy || problem !== undefined} data-testid="add-source">
          Add {sourceKindLabels[fields.kind].toLowerCase()}
        </button>
        {problem && <span className="muted small">{problem}</span>}
      </div>
    </form>
  );
}
