/**
 * Opaque `nextToken` pagination. The token names the last item returned (its sort key) rather than
 * an offset, so creating or deleting items between pages neither repeats nor skips the others. It is
 * bound to the operation and its filters: replaying it with different filters is a ValidationException,
 * as is a token that was not issued by us. Absent on the last page (the SDK paginators stop there).
 */
import { createHash } from 'node:crypto';
import { validation } from './ivs-error';

interface TokenBody {
  v: 1;
  /** Operation + filters fingerprint. */
  q: string;
  /** Sort key of the last item on the previous page. */
  a: string;
}

export function queryFingerprint(operation: string, filters: Record<string, unknown>): string {
  const canonical = JSON.stringify([operation, Object.entries(filters).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1))]);
  return createHash('sha256').update(canonical).digest('base64url').slice(0, 16);
}

export function encodeToken(fingerprint: string, afterKey: string): string {
  const body: TokenBody = { v: 1, q: fingerprint, a: afterKey };
  return Buffer.from(JSON.stringify(body), 'utf8').toString('base64url');
}

export function decodeToken(token: string, fingerprint: string): string {
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw validation('The nextToken is not valid: it was not returned by a previous call.');
  }
  const b = body as Partial<TokenBody> | null;
  if (!b || b.v !== 1 || typeof b.a !== 'string' || typeof b.q !== 'string') {
    throw validation('The nextToken is not valid: it was not returned by a previous call.');
  }
  if (b.q !== fingerprint) {
    throw validation('The nextToken does not belong to this request: repeat the request with the same filters that returned it.');
  }
  return b.a;
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/**
 * One page of `items` (any order), sorted by `keyOf` ascending. `maxResults` is already defaulted
 * and range-checked by the caller.
 */
export function paginate<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  options: { operation: string; filters: Record<string, unknown>; nextToken?: string; maxResults: number },
): Page<T> {
  const fingerprint = queryFingerprint(options.operation, options.filters);
  const sorted = [...items].sort((x, y) => compare(keyOf(x), keyOf(y)));
  let start = 0;
  // An empty string token is what some clients send for "first page".
  if (options.nextToken) {
    const after = decodeToken(options.nextToken, fingerprint);
    start = sorted.findIndex((item) => compare(keyOf(item), after) > 0);
    if (start < 0) start = sorted.length;
  }
  const pageItems = sorted.slice(start, start + options.maxResults);
  const more = start + options.maxResults < sorted.length;
  const last = pageItems[pageItems.length - 1];
  return more && last !== undefined ? { items: pageItems, nextToken: encodeToken(fingerprint, keyOf(last)) } : { items: pageItems };
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
