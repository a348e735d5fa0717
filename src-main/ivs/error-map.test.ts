import {
  AccessDeniedException,
  ChannelNotBroadcasting,
  ConflictException,
  IvsServiceException,
  PendingVerification,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-ivs';
import { describe, expect, it } from 'vitest';
import { StudioError } from '../core/studio-error';
import { mapIvsError, type IvsCallContext } from './error-map';

const arn = 'arn:aws:ivs:us-west-2:123456789012:channel/abcdEFGH1234';
const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });
const ctx = (operation: string, extra: Partial<IvsCallContext> = {}): IvsCallContext => ({ operation, region: 'us-west-2', resource: arn, ...extra });

/** A service error the way the SDK builds it from a response without a body `message`. */
function generic(name: string, status: number, exceptionMessage: string) {
  const error = new IvsServiceException({ name, $fault: status >= 500 ? 'server' : 'client', ...meta(status), message: 'UnknownError' });
  return Object.assign(error, { exceptionMessage });
}

describe('mapIvsError (the SDK edge)', () => {
  it.each([
    ['throttling', new ThrottlingException({ message: 'Rate exceeded', ...meta(429) }), ctx('PutMetadata'), 'THROTTLED', /throttling PutMetadata .*Rate exceeded/],
    ['not found', new ResourceNotFoundException({ message: 'UnknownError', exceptionMessage: `Channel not found: ${arn}`, ...meta(404) } as never), ctx('GetChannel'), 'IVS_NOT_FOUND', /abcdEFGH1234 was not found in us-west-2/],
    ['not broadcasting', new ChannelNotBroadcasting({ message: 'offline', ...meta(404) }), ctx('GetStream'), 'NOT_LIVE', /is not live/],
    ['delete while live', new ConflictException({ message: 'channel is live', ...meta(409) }), ctx('DeleteChannel'), 'IVS_CONFLICT', /is live, and IVS does not delete a channel while it is streaming. IVS said: channel is live/],
    ['update while live', new ConflictException({ message: 'live', ...meta(409) }), ctx('UpdateChannel'), 'IVS_CONFLICT', /does not change a channel while it is streaming/],
    ['validation', new ValidationException({ message: 'name too long', ...meta(400) }), ctx('CreateChannel', { resource: 'x' }), 'IVS_VALIDATION', /IVS rejected CreateChannel on x: name too long/],
    ['quota', new ServiceQuotaExceededException({ message: 'too many channels', ...meta(402) }), ctx('CreateChannel', { resource: undefined }), 'IVS_QUOTA_EXCEEDED', /quota .*too many channels/],
    ['pending verification', new PendingVerification({ message: 'pending', ...meta(403) }), ctx('CreateChannel'), 'ACCESS_DENIED', /pending verification/],
    ['a bad signature', generic('InvalidSignatureException', 403, 'The request signature we calculated does not match the signature you provided.'), ctx('ListChannels'), 'ACCESS_DENIED', /signature .*secret access key does not match/],
    ['an unknown key', generic('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'), ctx('ListChannels'), 'ACCESS_DENIED', /does not recognise the access key ID/],
    ['a region mismatch', generic('InvalidSignatureException', 403, "Credential should be scoped to a valid region, not 'eu-west-1'."), ctx('ListChannels'), 'WRONG_REGION', /signed for region us-west-2/],
    ['clock skew', generic('InvalidSignatureException', 403, 'Signature expired: 20200101T000000Z is now earlier than 20260101T000000Z'), ctx('ListChannels'), 'ACCESS_DENIED', /clock|timestamp/],
    ['an expired session token', generic('ExpiredTokenException', 403, 'The security token included in the request is expired'), ctx('ListChannels', { credentialSource: 'profile streamer' }), 'CREDENTIALS_EXPIRED', /from profile streamer have expired/],
    ['a 503', generic('ServiceUnavailable', 503, 'busy'), ctx('BatchGetChannel'), 'IVS_UNAVAILABLE', /could not complete BatchGetChannel right now \(busy\)/],
  ])('%s', (_name, error, context, code, message) => {
    const mapped = mapIvsError(error, context);
    expect(mapped).toBeInstanceOf(StudioError);
    expect(mapped.code).toBe(code);
    expect(mapped.message).toMatch(message);
    expect(mapped.details).toContain(context.operation);
  });

  it('names the missing ivs: action from the AccessDenied text, else the operation', () => {
    const denied = new AccessDeniedException({ message: `User: arn:aws:iam::123456789012:user/streamer is not authorized to perform: ivs:CreateStreamKey on resource: ${arn}`, ...meta(403) });
    const fromText = mapIvsError(denied, ctx('CreateStreamKey', { credentialSource: 'profile streamer' }));
    expect(fromText.code).toBe('ACCESS_DENIED');
    expect(fromText.message).toMatch(/AWS denied ivs:CreateStreamKey on arn:aws:ivs/);
    expect(fromText.action).toBe('Add "ivs:CreateStreamKey" to the IAM policy of the user or role (profile streamer).');
    const bare = mapIvsError(new AccessDeniedException({ message: 'Access denied', ...meta(403) }), ctx('ListChannels', { resource: undefined }));
    expect(bare.message).toMatch(/^AWS denied ivs:ListChannels:/);
  });

  it('maps credential-provider failures: expired SSO, missing profile, nothing at all', () => {
    const provider = (message: string) => Object.assign(new Error(message), { name: 'CredentialsProviderError' });
    const sso = mapIvsError(provider('The SSO session associated with this profile has expired. To refresh this SSO session run aws sso login with the corresponding profile.'), ctx('ListChannels', { credentialSource: 'profile corp' }));
    expect([sso.code, sso.action]).toEqual(['CREDENTIALS_EXPIRED', 'Run "aws sso login --profile corp", then test the connection again.']);
    const token = mapIvsError(Object.assign(new Error("Token is expired. To refresh this SSO session run 'aws sso login' with the corresponding profile."), { name: 'TokenProviderError' }), ctx('ListChannels'));
    expect(token.code).toBe('CREDENTIALS_EXPIRED');
    const profile = mapIvsError(provider('Profile ghost was not found.'), ctx('ListChannels'));
    expect([profile.code, profile.message]).toEqual(['NO_CREDENTIALS', 'AWS profile "ghost" is not in ~/.aws/config or ~/.aws/credentials.']);
    const none = mapIvsError(provider('Could not load credentials from any providers'), ctx('ListChannels'));
    expect(none.code).toBe('NO_CREDENTIALS');
    expect(none.message).toMatch(/environment variables, ~\/.aws\/credentials, ~\/.aws\/config and SSO/);
  });

  it('maps sockets: refused → ENDPOINT_UNREACHABLE; DNS failure outside IVS regions → WRONG_REGION', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED', $metadata: { attempts: 1 } });
    const local = mapIvsError(refused, ctx('ListChannels', { endpoint: 'http://127.0.0.1:9' }));
    expect([local.code, local.message, local.action]).toEqual(['ENDPOINT_UNREACHABLE', 'Could not reach http://127.0.0.1:9 for ListChannels (ECONNREFUSED).', 'Check that the local channel is running.']);
    const dns = Object.assign(new Error('getaddrinfo ENOTFOUND ivs.sa-east-1.amazonaws.com'), { code: 'ENOTFOUND' });
    expect(mapIvsError(dns, ctx('ListChannels', { region: 'sa-east-1' })).code).toBe('WRONG_REGION');
    expect(mapIvsError(dns, ctx('ListChannels')).code).toBe('ENDPOINT_UNREACHABLE');
    expect(mapIvsError(Object.assign(new Error('timed out'), { name: 'TimeoutError' }), ctx('GetStream')).code).toBe('ENDPOINT_UNREACHABLE');
  });

  it('passes StudioErrors through and never invents success', () => {
    const original = new StudioError('KEYCHAIN_UNAVAILABLE');
    expect(mapIvsError(original, ctx('ListChannels'))).toBe(original);
    expect(mapIvsError('weird', ctx('ListChannels')).code).toBe('INTERNAL');
    expect(mapIvsError(generic('TeapotException', 418, "I'm a teapot"), ctx('ListChannels')).code).toBe('INTERNAL');
  });
});
