import { describe, expect, it } from 'vitest';
import { errorResponse, IvsError, ivsErrorStatus, toIvsError } from './ivs-error';

describe('IVS error wire format', () => {
  it.each(Object.entries(ivsErrorStatus))('%s → HTTP %i with x-amzn-ErrorType and both messages', (type, status) => {
    const response = errorResponse(new IvsError(type as keyof typeof ivsErrorStatus, 'what went wrong'));
    expect(response).toEqual({
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': type },
      body: JSON.stringify({ exceptionMessage: 'what went wrong', message: 'what went wrong' }),
    });
  });

  it('the statuses IVS documents', () => {
    expect(ivsErrorStatus).toMatchObject({
      ValidationException: 400,
      ServiceQuotaExceededException: 402,
      AccessDeniedException: 403,
      PendingVerification: 403,
      ResourceNotFoundException: 404,
      ChannelNotBroadcasting: 404,
      ConflictException: 409,
      ThrottlingException: 429,
      InternalServerException: 500,
      ServiceUnavailable: 503,
      StreamUnavailable: 503,
    });
  });

  it('anything else becomes a 500 that leaks nothing', () => {
    const error = toIvsError(new Error('/secret/path exploded'));
    expect({ type: error.type, message: error.message }).toEqual({ type: 'InternalServerException', message: 'Unexpected error during processing.' });
  });
});
