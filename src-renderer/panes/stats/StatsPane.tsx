import { PendingPane } from '../../layout/PaneFrame';

export function StatsPane() {
  return (
    <PendingPane arrivesWith="monitoring (issue 8)">
      Frame rate, dropped frames, bitrate, encoder load and reconnects, next to IVS&apos;s own view of the stream.
    </PendingPane>
  );
}
