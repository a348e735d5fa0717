import { PendingPane } from '../../layout/PaneFrame';

export function PreviewPane() {
  return (
    <PendingPane arrivesWith="the preview player (issue 8)">
      What viewers see: the channel&apos;s playback, with its measured glass-to-glass latency.
    </PendingPane>
  );
}
