/** Entry of the viewer example page (viewer.html?playbackUrl=…). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isTestHookRequested } from '../api/page-fragment';
import { createStudioTestHook } from '../test-hook/studio-test-hook';
import { ViewerApp } from './ViewerApp';
import './viewer.css';

if (isTestHookRequested(window.location.hash)) window.__studioTest = createStudioTestHook();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ViewerApp />
  </StrictMode>,
);
