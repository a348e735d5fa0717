import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AddAwsAccountInput } from '@contract/studio-api';
import { useStudio, useStudioStore } from '../../store/studio-store';
import { FormActions } from './FormActions';

/** Adds an AWS account: a region from the IVS list, and the default chain / a profile / an access key. */
export function AddAwsAccountForm({ onDone }: { onDone: () => void }) {
  const regions = useStudio((s) => s.accounts!.regions);
  const add = useStudio((s) => s.addAwsAccount);
  const { connection } = useStudioStore();
  const [label, setLabel] = useState('');
  const [region, setRegion] = useState('us-west-2');
  const [mode, setMode] = useState<'chain' | 'key'>('chain');
  const [profile, setProfile] = useState('');
  const [profiles, setProfiles] = useState<string[]>([]);
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecretAccessKey] = useState('');
  const ids = { label: useId(), region: useId(), profile: useId(), key: useId(), secret: useId() };

  useEffect(() => {
    let live = true;
    void connection.invoke('accounts:list-aws-profiles').then((reply) => {
      if (live && reply.ok) setProfiles(reply.value);
    });
    return () => {
      live = false;
    };
  }, [connection]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const auth: AddAwsAccountInput['auth'] =
      mode === 'key' ? { type: 'access-key', accessKeyId: accessKeyId.trim(), secretAccessKey } : profile ? { type: 'default-chain', profile } : { type: 'default-chain' };
    if (await add({ label: label.trim() || 'AWS', region, auth })) {
      setSecretAccessKey('');
      onDone();
    }
  };

  return (
    <form className="inline-form channel-form" onSubmit={(e) => void submit(e)} aria-label="Add AWS account">
      <label htmlFor={ids.label}>Name</label>
      <input id={ids.label} type="text" value={label} placeholder="My AWS account" onChange={(e) => setLabel(e.currentTarget.value)} />
      <label htmlFor={ids.region}>Region</label>
      <select id={ids.region} value={region} onChange={(e) => setRegion(e.currentTarget.value)}>
        {regions.map((r) => (
          <option key={r.id} value={r.id}>
            {r.label} — {r.id}
          </option>
        ))}
      </select>
      <fieldset className="setting">
        <legend>Credentials</legend>
        <label className="toggle">
          <input type="radio" checked={mode === 'chain'} onChange={() => setMode('chain')} /> AWS CLI credentials (environment, profiles, SSO)
        </label>
        {mode === 'chain' && (
          <>
            <label htmlFor={ids.profile}>Profile</label>
            <select id={ids.profile} value={profile} onChange={(e) => setProfile(e.currentTarget.value)}>
              <option value="">Default</option>
              {profiles.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </>
        )}
        <label className="toggle">
          <input type="radio" checked={mode === 'key'} onChange={() => setMode('key')} /> An access key (kept in the OS keychain)
        </label>
        {mode === 'key' && (
          <>
            <label htmlFor={ids.key}>Access key ID</label>
            <input id={ids.key} type="text" autoComplete="off" spellCheck={false} value={accessKeyId} onChange={(e) => setAccessKeyId(e.currentTarget.value)} />
            <label htmlFor={ids.secret}>Secret access key</label>
            <input id={ids.secret} type="password" autoComplete="off" value={secretAccessKey} onChange={(e) => setSecretAccessKey(e.currentTarget.value)} />
          </>
        )}
      </fieldset>
      <FormActions submitLabel="Add account" onCancel={onDone} />
    </form>
  );
}

/** Adds a non-IVS RTMP(S) ingest; the key goes to the keychain, the studio keeps only its mask. */
export function AddCustomTargetForm({ onDone }: { onDone: () => void }) {
  const add = useStudio((s) => s.addCustomTarget);
  const [label, setLabel] = useState('');
  const [ingestUrl, setIngestUrl] = useState('');
  const [streamKey, setStreamKey] = useState('');
  const ids = { label: useId(), url: useId(), key: useId() };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await add({ label: label.trim() || 'RTMP target', ingestUrl: ingestUrl.trim(), streamKey })) {
      setStreamKey('');
      onDone();
    }
  };
  return (
    <form className="inline-form channel-form" onSubmit={(e) => void submit(e)} aria-label="Add RTMP target">
      <label htmlFor={ids.label}>Name</label>
      <input id={ids.label} type="text" value={label} placeholder="Other platform" onChange={(e) => setLabel(e.currentTarget.value)} />
      <label htmlFor={ids.url}>Ingest URL (without the key)</label>
      <input id={ids.url} type="text" value={ingestUrl} placeholder="rtmps://live.example.com/app/" onChange={(e) => setIngestUrl(e.currentTarget.value)} />
      <label htmlFor={ids.key}>Stream key</label>
      <input id={ids.key} type="password" autoComplete="off" value={streamKey} onChange={(e) => setStreamKey(e.currentTarget.value)} />
      <FormActions submitLabel="Add target" onCancel={onDone} />
    </form>
  );
}
