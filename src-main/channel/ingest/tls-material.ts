/**
 * The RTMPS certificate of the local channel: a private CA plus a server certificate it signs, made on
 * first start in `<dataDir>/local-channel/tls/` and reused after. Clients verify the server against
 * `ca.pem` (the studio's publisher trusts it explicitly; ffmpeg takes `-tls_verify 1 -ca_file ca.pem`).
 * The server certificate names 127.0.0.1 and localhost, the only addresses the ingest listens on.
 *
 * The CA key stays beside it (mode 0600) so the server certificate can be renewed without making every
 * client re-trust a new CA.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generate } from 'selfsigned';
import { writeFileAtomic } from '../../core/documents';
import { createLogger } from '../../core/logger';

const log = createLogger('ingest-tls');

export interface IngestTlsMaterial {
  /** Server certificate (PEM), then the CA, as a chain. */
  cert: string;
  key: string;
  /** The CA certificate clients should trust. */
  caPem: string;
  caPath: string;
}

const FILES = { ca: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' } as const;
/** Renew the server certificate when it has less than this left. */
const RENEW_BEFORE_MS = 30 * 24 * 3600 * 1000;

export function tlsFolder(dataDir: string): string {
  return path.join(dataDir, 'local-channel', 'tls');
}

function readIfPresent(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function stillValid(pem: string | undefined, ca?: string): boolean {
  if (!pem) return false;
  try {
    const cert = new X509Certificate(pem);
    if (Date.parse(cert.validTo) - Date.now() < RENEW_BEFORE_MS) return false;
    if (ca && !cert.verify(new X509Certificate(ca).publicKey)) return false;
    return cert.checkIP('127.0.0.1') !== undefined && cert.checkHost('localhost') !== undefined;
  } catch {
    return false;
  }
}

function years(from: Date, count: number): Date {
  const d = new Date(from);
  d.setFullYear(d.getFullYear() + count);
  return d;
}

/** Loads the material, creating or renewing what is missing, expiring or broken. */
export async function ensureIngestTls(dataDir: string): Promise<IngestTlsMaterial> {
  const dir = tlsFolder(dataDir);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = (name: keyof typeof FILES) => path.join(dir, FILES[name]);

  let caPem = readIfPresent(file('ca'));
  let caKey = readIfPresent(file('caKey'));
  const now = new Date(Date.now() - 60_000); // a minute of slack for clock differences
  let caValid = false;
  try {
    caValid = !!caPem && !!caKey && Date.parse(new X509Certificate(caPem).validTo) - Date.now() > RENEW_BEFORE_MS;
  } catch {
    caValid = false;
  }
  if (!caValid) {
    const ca = await generate([{ name: 'commonName', value: 'IVS Studio local channel CA' }, { name: 'organizationName', value: 'IVS Studio' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: years(now, 10),
      extensions: [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
    caPem = ca.cert;
    caKey = ca.private;
    writeFileAtomic(file('caKey'), caKey);
    writeFileAtomic(file('ca'), caPem);
    fs.chmodSync(file('ca'), 0o644);
    log.info(`created the local channel CA in ${dir}`);
  }

  let cert = readIfPresent(file('cert'));
  let key = readIfPresent(file('key'));
  if (!caValid || !key || !stillValid(cert, caPem)) {
    const server = await generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      curve: 'P-256',
      algorithm: 'sha256',
      notBeforeDate: now,
      notAfterDate: years(now, 2),
      ca: { key: caKey!, cert: caPem! },
      extensions: [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }, { type: 7, ip: '::1' }] },
      ],
    });
    cert = server.cert;
    key = server.private;
    writeFileAtomic(file('key'), key);
    writeFileAtomic(file('cert'), cert);
    log.info(`issued the RTMPS server certificate (127.0.0.1, localhost) in ${dir}`);
  }
  return { cert: `${cert!.trim()}\n${caPem!.trim()}\n`, key: key!, caPem: caPem!, caPath: file('ca') };
}
