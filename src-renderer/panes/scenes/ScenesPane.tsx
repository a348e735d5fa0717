import { PendingPane } from '../../layout/PaneFrame';

export function ScenesPane() {
  return (
    <PendingPane arrivesWith="the broadcast engine (issue 5: sources, scenes with live switching)">
      Scenes and the sources they compose: screens, windows, cameras, microphones, images, text, media files.
    </PendingPane>
  );
}
