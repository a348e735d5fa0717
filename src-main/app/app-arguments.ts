/** The studio's own flags in Electron's argv (Chromium adds switches of its own, which are ignored). */
export interface AppArguments {
  dataDir?: string;
  remote: boolean;
  remoteFull: boolean;
}

export function parseAppArguments(argv: readonly string[]): AppArguments {
  const out: AppArguments = { remote: false, remoteFull: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--remote') out.remote = true;
    else if (arg === '--remote-full') out.remoteFull = true;
    else if (arg === '--data-dir' && argv[i + 1] !== undefined) out.dataDir = argv[++i];
    else if (arg.startsWith('--data-dir=')) out.dataDir = arg.slice('--data-dir='.length);
  }
  return out;
}
