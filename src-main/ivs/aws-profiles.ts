import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Profile names from the shared AWS files (`[profile x]` in config, `[x]` in credentials), honouring
 * AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE. Used for the profile picker and to say "profile not
 * found" precisely; the SDK itself resolves the credentials.
 */
export function listAwsProfiles(env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env.HOME ?? env.USERPROFILE ?? os.homedir();
  const configFile = env.AWS_CONFIG_FILE ?? path.join(home, '.aws', 'config');
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(home, '.aws', 'credentials');
  const names = new Set<string>();
  for (const name of parseIniSections(readOrEmpty(configFile))) {
    if (name === 'default') names.add(name);
    const m = /^profile\s+(.+)$/.exec(name);
    if (m?.[1]) names.add(m[1].trim());
  }
  for (const name of parseIniSections(readOrEmpty(credentialsFile))) names.add(name);
  return [...names].sort();
}

export function parseIniSections(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*\[([^\]]+)\]\s*$/.exec(line);
    if (m?.[1]) out.push(m[1].trim());
  }
  return out;
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
