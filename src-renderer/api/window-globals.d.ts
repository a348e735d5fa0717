import type { StudioClient } from '@contract/studio-api';
import type { StudioTestHook } from '../test-hook/studio-test-hook';

declare global {
  interface Window {
    /** Exposed by the Electron preload (contextBridge); absent in a browser tab. */
    readonly studio?: StudioClient;
    /** Installed only when the page is opened with #studio-test=1 (Playwright). */
    __studioTest?: StudioTestHook;
  }
}

export {};
