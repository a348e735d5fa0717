import * as os from 'node:os';
import * as path from 'node:path';

/** The OS user-data folder, as Electron's app.getPath('userData') would give it, without Electron. */
export function defaultDataDir(appName = 'IVS Studio'): string {
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', appName);
    case 'win32':
      return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), appName);
    default:
      return path.join(process.env.XDG_CONFIG_HOME ?? path.join(home, '.config'), appName);
  }
}
