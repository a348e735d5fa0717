import { useEffect, useId, useState, type FormEvent } from 'react';
import type { Account, ChannelSummary, ChannelType, LatencyMode } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { FormActions } from './FormActions';

/** The IVS channels of an account (all pages): select, delete, recording; and a create form. */
export function ChannelList({ account }: { account: Account }) {
  const channels = useStudio((s) => s.channelsByAccount[account.id]);
  const refresh = useStudio((s) => s.refreshChannels);
  const busy = useStudio((s) => s.channelBusy);
  const listError = useStudio((s) => s.channelListErrors[account.id]);
  const [creating, setCreating] = useState(false);
  useEffect(() => {
    if (!channels) void refresh(account.id);
    // Only when the account changes: refreshing on every render would poll IVS.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account.id]);
  return (
    <div className="channel-list" aria-label={`Channels of ${account.label}`}>
      <div className="row wrap">
        <h3>Channels</h3>
        <button type="button" disabled={busy === 'list'} onClick={() => void refresh(account.id)}>
          {busy === 'list' ? 'Loading…' : 'Refresh'}
        </button>
        <button type="button" onClick={() => setCreating(!creating)} aria-expanded={creating}>
          New channel
        </button>
      </div>
      {creating && <CreateChannelForm accountId={account.id} onDone={() => setCreating(false)} />}
      {listError && (
        <div className="channel-list-error" role="status" data-testid="channel-list-error">
          <p className="error-text">Could not list the channels: {listError.message}</p>
          {listError.action && <p className="muted">{listError.action}</p>}
        </div>
      )}
      {!channels ? (
        <p className="muted">{busy === 'list' ? 'Loading channels…' : 'Channels not loaded.'}</p>
      ) : channels.length === 0 ? (
        <p className="muted">No channels in {account.region}. Create one.</p>
      ) : (
        <table className="channels" data-testid="channel-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Latency</th>
              <th scope="col">Recording</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {channels.map((c) => (
              <ChannelRow key={c.arn} accountId={account.id} channel={c} />
            ))}
          </tbody>
        </table>
      )}
      <RecordingConfigs accountId={account.id} />
    </div>
  );
}

function ChannelRow({ accountId, channel }: { accountId: string; channel: ChannelSummary }) {
  const selected = useStudio((s) => s.accounts?.selected);
  const select = useStudio((s) => s.selectChannel);
  const remove = useStudio((s) => s.deleteChannel);
  const setRecording = useStudio((s) => s.setRecording);
  const configs = useStudio((s) => s.recordingConfigsByAccount[accountId]);
  const busy = useStudio((s) => s.channelBusy);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const isSelected = selected?.channelArn === channel.arn;
  const name = channel.name || channel.arn.split('/').pop();
  return (
    <tr data-channel-arn={channel.arn} aria-selected={isSelected} className={isSelected ? 'selected' : undefined}>
      <th scope="row" title={channel.arn}>
        {name}
        {channel.authorized && <span className="badge small">private</span>}
        {Object.keys(channel.tags).length > 0 && (
          <span className="muted small">
            {' '}
            {Object.entries(channel.tags)
              .map(([k, v]) => `${k}=${v}`)
              .join(', ')}
          </span>
        )}
      </th>
      <td>{channel.type}</td>
      <td>{channel.latencyMode === 'LOW' ? 'Low' : 'Normal'}</td>
      <td>
        <select
          aria-label={`Recording of ${name}`}
          value={channel.recordingConfigurationArn}
          onChange={(e) => void setRecording(accountId, channel.arn, e.currentTarget.value)}
        >
          <option value="">Off</option>
          {(configs ?? []).map((rc) => (
            <option key={rc.arn} value={rc.arn}>
              {rc.name || rc.bucketName} (s3://{rc.bucketName})
            </option>
          ))}
          {channel.recordingConfigurationArn && !configs?.some((rc) => rc.arn === channel.recordingConfigurationArn) && (
            <option value={channel.recordingConfigurationArn}>{channel.recordingConfigurationArn.split('/').pop()}</option>
          )}
        </select>
      </td>
      <td className="actions">
        <button type="button" disabled={isSelected || busy === `select:${channel.arn}`} onClick={() => void select(accountId, channel.arn)}>
          {isSelected ? 'Selected' : busy === `select:${channel.arn}` ? 'Fetching key…' : 'Select'}
        </button>
        {confirmDelete ? (
          <>
            <button type="button" className="danger" onClick={() => void remove(accountId, channel.arn).then(() => setConfirmDelete(false))}>
              Delete {name}
            </button>
            <button type="button" onClick={() => setConfirmDelete(false)}>
              Keep
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirmDelete(true)}>
            Delete…
          </button>
        )}
      </td>
    </tr>
  );
}

const channelTypes: { value: ChannelType; label: string }[] = [
  { value: 'STANDARD', label: 'Standard (transcoded, up to 1080p / 8.5 Mbps)' },
  { value: 'BASIC', label: 'Basic (transmuxed, up to 1.5 Mbps at 480p, 3.5 Mbps above)' },
  { value: 'ADVANCED_SD', label: 'Advanced SD' },
  { value: 'ADVANCED_HD', label: 'Advanced HD' },
];

/** `show=friday, team=studio` → tags; anything malformed is reported, not guessed. */
export function parseTags(text: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return `“${part}” is not key=value`;
    tags[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return tags;
}

function CreateChannelForm({ accountId, onDone }: { accountId: string; onDone: () => void }) {
  const create = useStudio((s) => s.createChannel);
  const [name, setName] = useState('');
  const [type, setType] = useState<ChannelType>('STANDARD');
  const [latencyMode, setLatencyMode] = useState<LatencyMode>('LOW');
  const [authorized, setAuthorized] = useState(false);
  const [tagText, setTagText] = useState('');
  const [problem, setProblem] = useState('');
  const ids = { name: useId(), type: useId(), latency: useId(), tags: useId() };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tags = parseTags(tagText);
    if (typeof tags === 'string') return setProblem(`Tags: ${tags}.`);
    if (!/^[a-zA-Z0-9-_]*$/.test(name)) return setProblem('Channel names use letters, digits, - and _ only.');
    setProblem('');
    if (await create(accountId, { name, type, latencyMode, authorized, tags })) onDone();
  };
  return (
    <form className="inline-form channel-form" onSubmit={(e) => void submit(e)} aria-label="New channel">
      <label htmlFor={ids.name}>Name</label>
      <input id={ids.name} type="text" value={name} onChange={(e) => setName(e.currentTarget.value)} placeholder="friday-show" />
      <label htmlFor={ids.type}>Type</label>
      <select id={ids.type} value={type} onChange={(e) => setType(e.currentTarget.value as ChannelType)}>
        {channelTypes.map((t) => (
          <option key={t.value} value={t.value}>
            {t.label}
          </option>
        ))}
      </select>
      <label htmlFor={ids.latency}>Latency</label>
      <select id={ids.latency} value={latencyMode} onChange={(e) => setLatencyMode(e.currentTarget.value as LatencyMode)}>
        <option value="LOW">Low (ultra-low latency)</option>
        <option value="NORMAL">Normal (standard)</option>
      </select>
      <label className="toggle">
        <input type="checkbox" checked={authorized} onChange={(e) => setAuthorized(e.currentTarget.checked)} /> Private (playback needs a signed token)
      </label>
      <label htmlFor={ids.tags}>Tags</label>
      <input id={ids.tags} type="text" value={tagText} onChange={(e) => setTagText(e.currentTarget.value)} placeholder="show=friday, team=studio" />
      {problem && <p className="error-text">{problem}</p>}
      <FormActions submitLabel="Create channel" onCancel={onDone} />
    </form>
  );
}

function RecordingConfigs({ accountId }: { accountId: string }) {
  const configs = useStudio((s) => s.recordingConfigsByAccount[accountId]);
  const load = useStudio((s) => s.loadRecordingConfigs);
  const create = useStudio((s) => s.createRecordingConfig);
  const [bucket, setBucket] = useState('');
  const bucketId = useId();
  return (
    // Loaded when opened: recording is an occasional setting, not worth an IVS call per account switch.
    <details className="recording-configs" onToggle={(e) => e.currentTarget.open && !configs && void load(accountId)}>
      <summary>Recording to S3{configs ? ` (${configs.length} configuration${configs.length === 1 ? '' : 's'})` : ''}</summary>
      <ul className="link-list">
        {(configs ?? []).map((rc) => (
          <li key={rc.arn}>
            {rc.name || '(unnamed)'} → s3://{rc.bucketName} <span className="muted small">{rc.state}</span>
          </li>
        ))}
      </ul>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          void create(accountId, bucket.trim()).then((ok) => ok && setBucket(''));
        }}
      >
        <label htmlFor={bucketId}>Bucket</label>
        <input id={bucketId} type="text" value={bucket} onChange={(e) => setBucket(e.currentTarget.value)} placeholder="my-recordings (same region)" />
        <button type="submit" disabled={!bucket.trim()}>
          Create configuration
        </button>
      </form>
    </details>
  );
}
