/** Printed on stdout by the Electron main process once its window has loaded the UI; `ivs-studio start` waits for it. */
export const ELECTRON_READY_LINE = 'ivs-studio:electron-ready';
