import { PendingPane } from '../../layout/PaneFrame';

export function ProgramPane() {
  return (
    <PendingPane arrivesWith="the program monitor (issue 8)">
      The composed program as the encoder receives it, before it leaves this machine.
    </PendingPane>
  );
}
