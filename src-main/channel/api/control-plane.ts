/**
 * One IVS API request, from raw HTTP parts to a wire response, with no sockets involved:
 *   SigV4 → route → JSON parse → shape validation → handler → 200 JSON / 204 / error.
 * Authentication comes first, so an unsigned or badly signed request learns nothing and changes nothing.
 */
import { createLogger } from '../../core/logger';
import { operations } from './handlers';
import type { HandlerContext } from './handlers/context';
import { errorResponse, IvsError, toIvsError, type WireResponse } from './ivs-error';
import { routeRequest } from './router';
import { inputShapes } from './shapes';
import { parseQuery, type SigV4Verifier } from './sigv4-verifier';
import { findProblems, formatProblems } from './validate';

const log = createLogger('local-channel-api');

export interface RawRequest {
  method: string;
  /** Path and query as received (`req.url`). */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export async function handleApiRequest(request: RawRequest, verifier: SigV4Verifier, context: () => HandlerContext): Promise<WireResponse> {
  const queryAt = request.url.indexOf('?');
  const rawPath = queryAt < 0 ? request.url : request.url.slice(0, queryAt);
  const query = parseQuery(queryAt < 0 ? '' : request.url.slice(queryAt + 1));
  let operation = '?';
  try {
    await verifier.verify({ method: request.method, rawPath, query, headers: request.headers, body: request.body });
    const route = routeRequest(request.method, rawPath);
    operation = route.operation;
    const input = buildInput(route.operation, route.resourceArn, query, request.body);
    const problems = findProblems(inputShapes[route.operation], input);
    if (problems.length > 0) throw new IvsError('ValidationException', formatProblems(problems));
    const spec = operations[route.operation];
    const result = await spec.handle(context(), input);
    log.debug(`${route.operation} → ${spec.status}`);
    if (spec.status === 204) return { status: 204, headers: {} };
    return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(result ?? {}) };
  } catch (error) {
    const ivsError = toIvsError(error);
    if (!(error instanceof IvsError)) log.error(`${operation} failed unexpectedly`, error);
    else log.debug(`${request.method} ${rawPath} → ${ivsError.status} ${ivsError.type}: ${ivsError.message}`);
    return errorResponse(ivsError);
  }
}

function buildInput(operation: string, resourceArn: string | undefined, query: Record<string, string | string[]>, body: Buffer): Record<string, unknown> {
  if (operation === 'ListTagsForResource') return { resourceArn };
  if (operation === 'UntagResource') {
    const keys = query.tagKeys;
    return { resourceArn, tagKeys: keys === undefined ? undefined : Array.isArray(keys) ? keys : [keys] };
  }
  const parsed = parseJsonBody(body);
  if (operation === 'TagResource') {
    if ('resourceArn' in parsed) throw new IvsError('ValidationException', "Unknown member 'resourceArn' in the body: the resource ARN belongs in the path.");
    return { ...parsed, resourceArn };
  }
  return parsed;
}

function parseJsonBody(body: Buffer): Record<string, unknown> {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new IvsError('ValidationException', `The request body is not valid JSON (${(error as Error).message}).`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new IvsError('ValidationException', 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}
