/**
 * The cue board's view of the rest of the engine: the go-live state, what Channel selected, and the
 * IvsService of an account. Built by the engine's composition root; nothing here creates SDK clients.
 */
import type { AccountsState } from '../contract/domains/accounts';
import type { StreamSnapshot } from '../contract/domains/stream';
import type { CueChannelPort, CueIvs } from './cue-target';

/** The accounts service as the cue board uses it: the selection, and each account's IVS client. */
export interface CueAccounts {
  getState(): AccountsState;
  ivsServiceFor(accountId: string): Promise<CueIvs>;
}

export function createCueChannelPort(deps: { stream: () => StreamSnapshot | undefined; accounts: CueAccounts; ivsFor?: (accountId: string) => Promise<CueIvs> }): CueChannelPort {
  return {
    stream: deps.stream,
    selected: () => {
      const selected = deps.accounts.getState().selected;
      if (!selected?.channelArn) return undefined;
      return { accountId: selected.accountId, channelArn: selected.channelArn, ...(selected.channel?.name ? { channelName: selected.channel.name } : {}) };
    },
    ivsFor: deps.ivsFor ?? ((accountId) => deps.accounts.ivsServiceFor(accountId)),
  };
}
