import { PendingPane } from '../../layout/PaneFrame';

export function ChannelPane() {
  return (
    <PendingPane arrivesWith="the local channel and IVS accounts (issues 3, 4 and 7)">
      The channel you stream to: the embedded local channel, or an IVS channel of your AWS account.
    </PendingPane>
  );
}
