/**
 * SigV4 verification for the local channel: parse the Authorization header, check the credential
 * scope and clock, then recompute the signature with @smithy/signature-v4 over exactly the headers
 * the client signed (no re-implementation of the algorithm) and compare in constant time.
 *
 * Failures answer what AWS answers (all 403, surfaced by the SDK as IvsServiceException with `name`):
 * no Authorization → MissingAuthenticationTokenException; unknown access key →
 * UnrecognizedClientException; anything else wrong with the signature → InvalidSignatureException.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { Hash } from '@smithy/hash-node';
import { IvsError } from './ivs-error';

export interface SignedRequest {
  method: string;
  /** Path exactly as received (still percent-encoded), without the query string. */
  rawPath: string;
  /** Decoded query parameters; repeated keys become arrays. */
  query: Record<string, string | string[]>;
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface VerifierOptions {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  service?: string;
  /** Allowed clock difference; AWS allows 15 minutes. */
  maxSkewMs?: number;
  now?: () => Date;
}

interface ParsedAuthorization {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
  signedHeaders: string[];
  signature: string;
}

const invalid = (message: string) => new IvsError('InvalidSignatureException', message);

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`. Pure. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!match) throw invalid(`Unsupported Authorization header: only AWS4-HMAC-SHA256 (SigV4) is accepted.`);
  const parts: Record<string, string> = {};
  for (const piece of match[1]!.split(',')) {
    const eq = piece.indexOf('=');
    if (eq > 0) parts[piece.slice(0, eq).trim()] = piece.slice(eq + 1).trim();
  }
  const credential = parts.Credential;
  const signedHeaders = parts.SignedHeaders;
  const signature = parts.Signature;
  if (!credential || !signedHeaders || !signature) {
    throw invalid("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
  }
  const scope = credential.split('/');
  if (scope.length !== 5) throw invalid(`Credential '${scope[0] ?? ''}/…' is malformed: expected <accessKeyId>/<date>/<region>/<service>/aws4_request.`);
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  if (!/^[0-9a-f]{64}$/.test(signature)) throw invalid('The Signature in the Authorization header is not a SHA-256 hex digest.');
  return { accessKeyId, date, region, service, terminator, signedHeaders: signedHeaders.split(';').map((h) => h.toLowerCase()), signature };
}

/** `20240102T030405Z` → Date, or undefined. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!));
  // Date.UTC rolls over (month 13 → next January): accept only dates that format back unchanged.
  if (Number.isNaN(date.getTime()) || date.toISOString().replace(/[-:]|\.\d{3}/g, '') !== value) return undefined;
  return date;
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

export class SigV4Verifier {
  private readonly signer: SignatureV4;
  private readonly service: string;

  constructor(private readonly options: VerifierOptions) {
    this.service = options.service ?? 'ivs';
    this.signer = new SignatureV4({
      credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
      region: options.region,
      service: this.service,
      sha256: Hash.bind(null, 'sha256'),
      uriEscapePath: true,
      // Never add x-amz-content-sha256 ourselves: only what the client signed takes part.
      applyChecksum: false,
    });
  }

  /** Resolves when the request is signed with the local credentials; throws a 403 IvsError otherwise. */
  async verify(request: SignedRequest): Promise<void> {
    const authorization = headerValue(request.headers, 'authorization');
    if (!authorization) {
      if (request.query['X-Amz-Signature'] !== undefined) {
        throw new IvsError('MissingAuthenticationTokenException', 'Missing Authentication Token: presigned URLs are not accepted by the local channel; sign the Authorization header.');
      }
      throw new IvsError('MissingAuthenticationTokenException', 'Missing Authentication Token');
    }
    const auth = parseAuthorization(authorization);
    if (auth.accessKeyId !== this.options.accessKeyId) {
      throw new IvsError('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (auth.terminator !== 'aws4_request') throw invalid("Credential should be scoped with a valid terminator: 'aws4_request'.");
    if (auth.service !== this.service) throw invalid(`Credential should be scoped to correct service: '${this.service}'.`);
    if (auth.region !== this.options.region) {
      throw invalid(`Credential should be scoped to a valid region: this local channel serves '${this.options.region}', not '${auth.region}'.`);
    }
    if (!auth.signedHeaders.includes('host')) throw invalid("'Host' must be a signed header.");
    const amzDateText = headerValue(request.headers, 'x-amz-date');
    if (!amzDateText || !auth.signedHeaders.includes('x-amz-date')) {
      throw invalid("Authorization header requires existence of a signed 'X-Amz-Date' header.");
    }
    const signingDate = parseAmzDate(amzDateText);
    if (!signingDate) throw invalid(`X-Amz-Date '${amzDateText}' is not in ISO 8601 basic format (YYYYMMDDTHHMMSSZ).`);
    if (auth.date !== amzDateText.slice(0, 8)) {
      throw invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${auth.date}' != '${amzDateText.slice(0, 8)}'.`);
    }
    const now = (this.options.now ?? (() => new Date()))();
    const skew = this.options.maxSkewMs ?? 15 * 60 * 1000;
    if (Math.abs(now.getTime() - signingDate.getTime()) > skew) {
      throw invalid(`Signature expired: ${amzDateText} is outside the allowed ${Math.round(skew / 60000)} minutes from the local channel's time ${now.toISOString()}.`);
    }
    const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
    if (declaredHash !== undefined && declaredHash !== createHash('sha256').update(request.body).digest('hex')) {
      throw invalid('The provided x-amz-content-sha256 header does not match what was computed.');
    }

    const signed: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const value = headerValue(request.headers, name);
      if (value === undefined) throw invalid(`Signed header '${name}' is missing from the request.`);
      signed[name] = value;
    }
    const expected = await this.signer.sign(
      new HttpRequest({
        method: request.method,
        protocol: 'http:',
        hostname: '',
        path: request.rawPath,
        query: request.query,
        headers: signed,
        body: request.body.length > 0 ? request.body : undefined,
      }),
      { signingDate, signableHeaders: new Set(auth.signedHeaders) },
    );
    const expectedSignature = /Signature=([0-9a-f]{64})/.exec(String(expected.headers.authorization ?? ''))?.[1] ?? '';
    const a = Buffer.from(expectedSignature, 'hex');
    const b = Buffer.from(auth.signature, 'hex');
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw invalid(
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
      );
    }
  }
}

/** Splits a raw query string into decoded parameters (`+` stays `+`: SigV4 clients encode spaces as %20). */
export function parseQuery(rawQuery: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (!rawQuery) return out;
  for (const pair of rawQuery.split('&')) {
    if (!pair) continue;
    const eq = pair.indexOf('=');
    const key = safeDecode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
    const existing = out[key];
    if (existing === undefined) out[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else out[key] = [existing, value];
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
