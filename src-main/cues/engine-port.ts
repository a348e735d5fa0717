/**
 * The cue board's view of the rest of the engine: the go-live state, what Channel selected, and the
 * IvsService of an account. Built by the engine's composition root; nothing here creates SDK clients.
 */
import type { AccountsState } from '../contract/domains/accounts';
import type { StreamSnapshot } from '../contract/domains/stream';
import { StudioError } from '../core/studio-error';
import type { CueChannelPort, CueIvs } from './cue-target';

/** The accounts service as the cue board uses it. */
export interface CueAccounts {
  getState(): AccountsState;
}

/**
 * AccountsService keeps one IvsService per account (rebuilt when credentials change) but only
 * exposes it through per-operation methods, none of which is PutMetadata. Until it offers the
 * service itself (asked for in the cue board's report), the cue board borrows it through this one
 * narrow, checked seam rather than building a second SDK client with its own credential handling.
 */
interface AccountsWithServices {
  service(accountId: string): Promise<CueIvs>;
}

export function accountsIvs(accounts: CueAccounts): (accountId: string) => Promise<CueIvs> {
  const withServices = accounts as unknown as Partial<AccountsWithServices>;
  return async (accountId) => {
    if (typeof withServices.service !== 'function') {
      throw new StudioError('INTERNAL', { message: 'The accounts service does not offer its IVS clients; cues cannot be sent.' });
    }
    return withServices.service.call(accounts, accountId);
  };
}

export function createCueChannelPort(deps: { stream: () => StreamSnapshot | undefined; accounts: CueAccounts; ivsFor?: (accountId: string) => Promise<CueIvs> }): CueChannelPort {
  return {
    stream: deps.stream,
    selected: () => {
      const selected = deps.accounts.getState().selected;
      if (!selected?.channelArn) return undefined;
      return { accountId: selected.accountId, channelArn: selected.channelArn, ...(selected.channel?.name ? { channelName: selected.channel.name } : {}) };
    },
    ivsFor: deps.ivsFor ?? accountsIvs(deps.accounts),
  };
}
