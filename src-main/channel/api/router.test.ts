import { describe, expect, it } from 'vitest';
import { IvsError } from './ivs-error';
import { notImplementedOperations, routeRequest } from './router';

const arn = 'arn:aws:ivs:us-west-2:000000000000:channel/abcdABCDefgh';

describe('routeRequest', () => {
  it.each([
    ['POST', '/CreateChannel', { operation: 'CreateChannel' }],
    ['POST', '/ListStreamSessions', { operation: 'ListStreamSessions' }],
    ['POST', `/tags/${encodeURIComponent(arn)}`, { operation: 'TagResource', resourceArn: arn }],
    ['GET', `/tags/${encodeURIComponent(arn)}`, { operation: 'ListTagsForResource', resourceArn: arn }],
    ['DELETE', `/tags/${encodeURIComponent(arn)}`, { operation: 'UntagResource', resourceArn: arn }],
    // Some clients leave the ARN's own slash unencoded.
    ['GET', `/tags/${encodeURIComponent(arn).replace('%2F', '/')}`, { operation: 'ListTagsForResource', resourceArn: arn }],
  ])('%s %s', (method, path, route) => {
    expect(routeRequest(method, path)).toEqual(route);
  });

  it.each([
    ['GET', '/CreateChannel', 'MethodNotAllowedException', 405],
    ['PUT', '/tags/x', 'MethodNotAllowedException', 405],
    ['POST', '/', 'UnknownOperationException', 404],
    ['POST', '/createchannel', 'UnknownOperationException', 404],
    ['POST', '/CreateChannel/extra', 'UnknownOperationException', 404],
    ['POST', '/StartViewerSessionRevocation', 'NotImplementedException', 501],
    ['POST', '/tags/%E0%A4%A', 'ValidationException', 400],
  ])('%s %s → %s %i', (method, path, type, status) => {
    let caught: unknown;
    try {
      routeRequest(method, path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(IvsError);
    expect({ type: (caught as IvsError).type, status: (caught as IvsError).status }).toEqual({ type, status });
  });

  it.each(notImplementedOperations)('%s is named in its NotImplementedException', (name) => {
    expect(() => routeRequest('POST', `/${name}`)).toThrow(`${name} is an IVS operation that the local channel does not implement.`);
  });
});
