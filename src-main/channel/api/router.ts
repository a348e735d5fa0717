/**
 * Maps `METHOD /path` to an IVS operation (reference §1.2): `POST /<Operation>` for everything but
 * the tag operations, which are `POST|GET|DELETE /tags/{url-encoded resourceArn}`. Operations IVS has
 * but the local channel does not emulate get a NotImplementedException naming them. Pure.
 */
import { IvsError } from './ivs-error';
import { inputShapes, type ImplementedOperation } from './shapes';

/** Operations in the IVS API (SDK 3.1136) that the local channel deliberately does not emulate. */
export const notImplementedOperations = [
  'BatchStartViewerSessionRevocation',
  'StartViewerSessionRevocation',
  'CreatePlaybackRestrictionPolicy',
  'GetPlaybackRestrictionPolicy',
  'ListPlaybackRestrictionPolicies',
  'UpdatePlaybackRestrictionPolicy',
  'DeletePlaybackRestrictionPolicy',
  'CreateAdConfiguration',
  'GetAdConfiguration',
  'ListAdConfigurations',
  'UpdateAdConfiguration',
  'DeleteAdConfiguration',
  'InsertAdBreak',
] as const;

export interface Route {
  operation: ImplementedOperation;
  /** The decoded `{resourceArn}` label of the tag operations. */
  resourceArn?: string;
}

const tagMethods: Record<string, ImplementedOperation> = {
  POST: 'TagResource',
  GET: 'ListTagsForResource',
  DELETE: 'UntagResource',
};

export function routeRequest(method: string, rawPath: string): Route {
  if (rawPath.startsWith('/tags/')) {
    const operation = tagMethods[method];
    if (!operation) throw methodNotAllowed(method, rawPath, 'GET, POST, DELETE');
    const label = rawPath.slice('/tags/'.length);
    let resourceArn: string;
    try {
      // One label; some clients leave the ARN's own `/` unencoded, so take the rest of the path.
      resourceArn = decodeURIComponent(label);
    } catch {
      throw new IvsError('ValidationException', `The resource ARN in the path is not valid percent-encoding: ${label}`);
    }
    return { operation, resourceArn };
  }
  const name = /^\/([A-Za-z]+)\/?$/.exec(rawPath)?.[1];
  if (name && Object.prototype.hasOwnProperty.call(inputShapes, name)) {
    if (method !== 'POST') throw methodNotAllowed(method, rawPath, 'POST');
    return { operation: name as ImplementedOperation };
  }
  if (name && (notImplementedOperations as readonly string[]).includes(name)) {
    throw new IvsError('NotImplementedException', `${name} is an IVS operation that the local channel does not implement.`);
  }
  throw new IvsError('UnknownOperationException', `No IVS operation at ${method} ${rawPath}: operations are POST /<OperationName> or /tags/<resourceArn>.`);
}

function methodNotAllowed(method: string, rawPath: string, allowed: string): IvsError {
  return new IvsError('MethodNotAllowedException', `${method} is not allowed on ${rawPath}; use ${allowed}.`);
}
