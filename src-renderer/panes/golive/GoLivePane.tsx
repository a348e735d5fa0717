import { PendingPane } from '../../layout/PaneFrame';

export function GoLivePane() {
  return (
    <PendingPane arrivesWith="the RTMPS output and go-live preflight (issues 6 and 7)">
      Go live to the local channel or to an IVS channel, and stop.
    </PendingPane>
  );
}
