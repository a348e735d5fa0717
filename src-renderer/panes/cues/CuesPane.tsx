import { PendingPane } from '../../layout/PaneFrame';

export function CuesPane() {
  return (
    <PendingPane arrivesWith="the cue board (issue 9)">
      Timed-metadata cues fired from buttons and hotkeys, each confirmed when it is seen in the stream.
    </PendingPane>
  );
}
