/** Entry: choose the transport, create this window's store, render the studio. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createConnectionForPage } from './api/create-connection';
import { isTestHookRequested } from './api/page-fragment';
import { createStudioStore, StudioStoreContext } from './store/studio-store';
import { createStudioTestHook, recordStudioEvent } from './test-hook/studio-test-hook';
import './styles/studio.css';

// Read before the token is stripped from the address bar (the switch itself stays in the fragment).
if (isTestHookRequested(window.location.hash)) window.__studioTest = createStudioTestHook();

const root = createRoot(document.getElementById('root')!);
const choice = createConnectionForPage(window);

if (!choice.ok) {
  root.render(
    <main className="refused" role="alert">
      <h1>This page cannot reach the studio</h1>
      <p>The address has no access token.</p>
      <p>Open the exact URL that “ivs-studio serve” (or “npm start”) printed; it ends with #token=…</p>
    </main>,
  );
  recordStudioEvent('ui:no-token', {});
} else {
  const store = createStudioStore(choice.connection);
  window.addEventListener('pagehide', () => store.dispose());
  root.render(
    <StrictMode>
      <StudioStoreContext.Provider value={store}>
        <App />
      </StudioStoreContext.Provider>
    </StrictMode>,
  );
  void store.ready.then(() => recordStudioEvent('ui:ready', { transport: choice.connection.kind }));
}
