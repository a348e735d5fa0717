/**
 * The local channel's AWS-style credentials: generated on first start, kept in
 * `<dataDir>/local-channel/credentials.json` (mode 0600), and registered as secrets so no log line
 * or error ever shows the secret. A corrupt file is kept aside and a new pair is generated (reported).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { JsonDocument } from '../../core/documents';
import { createLogger } from '../../core/logger';
import { registerSecret } from '../../core/redact';
import { newAccessKeyId, newSecretAccessKey } from '../api/identifiers';
import { credentialsSchema, type LocalCredentials } from './state';
import type { StoreProblem } from './channel-store';

const log = createLogger('local-channel-credentials');

export function loadOrCreateCredentials(dir: string): { credentials: LocalCredentials; problem?: StoreProblem } {
  const file = path.join(dir, 'credentials.json');
  let created = false;
  const doc = new JsonDocument<LocalCredentials>(file, credentialsSchema, () => {
    created = true;
    return { accessKeyId: newAccessKeyId(), secretAccessKey: newSecretAccessKey() };
  });
  const loaded = doc.load();
  registerSecret(loaded.value.secretAccessKey);
  let problem: StoreProblem | undefined;
  if (loaded.recovered) {
    problem = { file, problem: loaded.recovered.problem, movedTo: loaded.recovered.movedTo };
    log.error(`credentials.json was corrupt (${problem.problem}); kept it at ${problem.movedTo} and generated new local credentials`);
  }
  if (created) doc.save(loaded.value); // writeFileAtomic creates it 0600
  else if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600); // tighten a copied file
  return { credentials: loaded.value, problem };
}
