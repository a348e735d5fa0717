import { useEffect, useState } from 'react';
import type { Source } from '@contract/studio-api';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { useOptimisticToggle } from './optimistic-toggle';

const audioKinds = new Set(['microphone', 'system-audio', 'media', 'test-pattern']);

/** One strip per source with audio: gain in dB and mute, live when the program runs. */
export function AudioMixer() {
  const sources = useStudio((s) => s.scenes?.collection.sources);
  const global = useStudio((s) => s.scenes?.collection.globalAudio);
  const withAudio = (sources ?? []).filter((s) => audioKinds.has(s.spec.kind) && !(s.spec.kind === 'test-pattern' && s.spec.toneHz === 0));
  if (withAudio.length === 0) return null;
  return (
    <section className="audio-mixer" aria-label="Audio mixer">
      <h3>Audio</h3>
      <ul>
        {withAudio.map((source) => (
          <AudioStrip key={source.id} source={source} everyScene={global?.includes(source.id) ?? false} />
        ))}
      </ul>
    </section>
  );
}

function AudioStrip({ source, everyScene }: { source: Source; everyScene: boolean }) {
  const setAudio = useStudio((s) => s.setAudio);
  const store = useStudioStore();
  const savedMuted = () => store.getState().scenes?.collection.sources.find((x) => x.id === source.id)?.audio.muted ?? source.audio.muted;
  const [gain, setGain] = useState(source.audio.gainDb);
  const [muted, setMuted] = useOptimisticToggle(source.audio.muted, savedMuted, (value) => setAudio(source.id, { muted: value }));
  useEffect(() => setGain(source.audio.gainDb), [source.audio.gainDb]);
  return (
    <li className="row audio-strip" data-testid="audio-strip" data-source-id={source.id}>
      <span className="item-name">
        {source.name}
        {everyScene && <span className="muted small"> · every scene</span>}
      </span>
      <input
        type="range"
        min={-60}
        max={20}
        step={1}
        value={gain}
        onChange={(e) => setGain(Number(e.target.value))}
        onPointerUp={() => void setAudio(source.id, { gainDb: gain })}
        onKeyUp={() => void setAudio(source.id, { gainDb: gain })}
        aria-label={`${source.name} gain`}
        data-testid="audio-gain"
      />
      <span className="small gain-value">{gain > 0 ? `+${gain}` : gain} dB</span>
      <label className="toggle">
        <input
          type="checkbox"
          checked={muted}
          onChange={(e) => setMuted(e.target.checked)}
          aria-label={`Mute ${source.name}`} data-testid="audio-mute" />
        <span className="small">Mute</span>
      </label>
    </li>
  );
}
