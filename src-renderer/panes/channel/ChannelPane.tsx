import './channel.css';
import { useEffect, useId, useState } from 'react';
import type { Account, ConnectionTest } from '@contract/studio-api';
import { useStudio } from '../../store/studio-store';
import { AddAwsAccountForm, AddCustomTargetForm } from './AccountForms';
import { ChannelList } from './ChannelList';
import { SelectedTargetView } from './SelectedTargetView';

/**
 * Channel: where the studio streams to. The built-in local channel, AWS accounts (their IVS channels)
 * and custom RTMP(S) targets; the selected target with its masked key; IVS's own view of the stream.
 */
export function ChannelPane() {
  const accounts = useStudio((s) => s.accounts);
  const browsingId = useStudio((s) => s.browsingAccountId);
  if (!accounts) return <p className="muted">Loading accounts…</p>;
  const browsing = accounts.accounts.find((a) => a.id === browsingId) ?? accounts.accounts[0];
  return (
    <div className="channel-pane" data-testid="channel-pane">
      <KeychainBanner />
      <SelectedTargetView />
      {browsing && <AccountSection account={browsing} />}
    </div>
  );
}

function KeychainBanner() {
  const keychain = useStudio((s) => s.accounts?.keychain);
  const allow = useStudio((s) => s.allowSessionSecrets);
  if (!keychain || keychain.state === 'available' || keychain.state === 'unknown') return null;
  if (keychain.state === 'session-only') {
    return (
      <p className="channel-banner warning-text" role="status" data-testid="keychain-session-only">
        No OS keychain: stream keys are kept in memory and forgotten when the studio quits.
      </p>
    );
  }
  return (
    <div className="channel-banner" role="alert" data-testid="keychain-unavailable">
      <p className="error-text">
        No OS keychain is available, so the studio will not store stream keys or AWS secrets. {keychain.reason}
      </p>
      <p className="muted">Install and unlock a Secret Service (GNOME Keyring or KWallet), or keep secrets in memory until the studio quits. They are never written to a file.</p>
      <button type="button" onClick={() => void allow()}>
        Keep secrets in memory for this session
      </button>
    </div>
  );
}

function AccountSection({ account }: { account: Account }) {
  const accounts = useStudio((s) => s.accounts!.accounts);
  const browse = useStudio((s) => s.browseAccount);
  const remove = useStudio((s) => s.removeAccount);
  const [adding, setAdding] = useState<'none' | 'aws' | 'rtmp'>('none');
  const [confirmRemove, setConfirmRemove] = useState(false);
  const pickerId = useId();
  useEffect(() => setConfirmRemove(false), [account.id]);
  return (
    <section className="channel-section" aria-label="Accounts">
      <div className="row wrap">
        <label htmlFor={pickerId}>Account</label>
        <select id={pickerId} value={account.id} onChange={(e) => browse(e.currentTarget.value)} data-testid="account-picker">
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.label}
              {a.kind === 'aws' ? ` (AWS, ${a.region})` : a.kind === 'custom-rtmp' ? ' (RTMP target)' : ''}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => setAdding(adding === 'aws' ? 'none' : 'aws')} aria-expanded={adding === 'aws'}>
          Add AWS account
        </button>
        <button type="button" onClick={() => setAdding(adding === 'rtmp' ? 'none' : 'rtmp')} aria-expanded={adding === 'rtmp'}>
          Add RTMP target
        </button>
      </div>
      {adding === 'aws' && <AddAwsAccountForm onDone={() => setAdding('none')} />}
      {adding === 'rtmp' && <AddCustomTargetForm onDone={() => setAdding('none')} />}
      <AccountDetails account={account} />
      {account.kind !== 'local' &&
        (confirmRemove ? (
          <p className="row wrap">
            <span>Remove “{account.label}” and its keys from the keychain?</span>
            <button type="button" className="danger" onClick={() => void remove(account.id)}>
              Remove
            </button>
            <button type="button" onClick={() => setConfirmRemove(false)}>
              Cancel
            </button>
          </p>
        ) : (
          <button type="button" onClick={() => setConfirmRemove(true)}>
            Remove account…
          </button>
        ))}
      {account.kind === 'custom-rtmp' ? <CustomTargetActions account={account} /> : <ChannelList account={account} />}
    </section>
  );
}

function AccountDetails({ account }: { account: Account }) {
  const regions = useStudio((s) => s.accounts!.regions);
  const setRegion = useStudio((s) => s.setAccountRegion);
  const test = useStudio((s) => s.testConnection);
  const busy = useStudio((s) => s.channelBusy);
  const regionId = useId();
  return (
    <div className="account-details">
      <dl className="facts">
        {account.kind === 'aws' && (
          <>
            <dt>Credentials</dt>
            <dd>
              {account.auth?.type === 'access-key'
                ? `Access key …${account.auth.accessKeyIdHint} (secret in the keychain)`
                : account.auth?.profile
                  ? `AWS profile “${account.auth.profile}”`
                  : 'Default AWS credentials (environment, ~/.aws, SSO)'}
            </dd>
          </>
        )}
        {account.kind === 'custom-rtmp' && (
          <>
            <dt>Ingest</dt>
            <dd>{account.ingestUrl}</dd>
            <dt>Stream key</dt>
            <dd>{account.streamKeyMasked}</dd>
          </>
        )}
        {account.kind === 'local' && (
          <>
            <dt>Region</dt>
            <dd>{account.region} (built in, runs with the studio)</dd>
          </>
        )}
      </dl>
      {account.kind === 'aws' && (
        <p className="row">
          <label htmlFor={regionId}>Region</label>
          <select id={regionId} value={account.region} onChange={(e) => void setRegion(account.id, e.currentTarget.value)}>
            {regions.map((r) => (
              <option key={r.id} value={r.id}>
                {r.label} — {r.id}
              </option>
            ))}
          </select>
        </p>
      )}
      <p className="row">
        <button type="button" disabled={busy === 'test'} onClick={() => void test(account.id)} data-testid="test-connection">
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
      </p>
      {account.lastTest && <ConnectionTestView test={account.lastTest} />}
    </div>
  );
}

const stepLabels: Record<ConnectionTest['steps'][number]['step'], string> = {
  region: 'Region',
  credentials: 'Credentials',
  endpoint: 'Endpoint',
  permissions: 'Permissions',
};

function ConnectionTestView({ test }: { test: ConnectionTest }) {
  return (
    <div className="connection-test" data-testid="connection-test" data-ok={test.ok}>
      <p className={test.ok ? 'ok-text' : 'error-text'}>{test.ok ? 'Connection works.' : (test.error?.message ?? 'The connection failed.')}</p>
      {!test.ok && test.error?.action && <p className="muted">{test.error.action}</p>}
      <ul className="steps">
        {test.steps.map((s) => (
          <li key={s.step} className={s.ok ? 'ok-text' : 'error-text'}>
            {s.ok ? '✓' : '✗'} {stepLabels[s.step]}: {s.message}
          </li>
        ))}
      </ul>
      <p className="muted small">Tested {new Date(test.testedAt).toLocaleTimeString()}</p>
    </div>
  );
}

function CustomTargetActions({ account }: { account: Account }) {
  const select = useStudio((s) => s.selectChannel);
  const selected = useStudio((s) => s.accounts?.selected);
  const isSelected = selected?.accountId === account.id;
  return (
    <p className="row">
      <button type="button" disabled={isSelected} onClick={() => void select(account.id)}>
        {isSelected ? 'Selected' : 'Stream to this target'}
      </button>
    </p>
  );
}
