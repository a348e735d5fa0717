import * as ivsSdk from '@aws-sdk/client-ivs';
import { describe, expect, it } from 'vitest';
import { errorResponse, IvsError, ivsErrorStatus, toIvsError } from './ivs-error';

/** An error schema as the SDK exports it (`ValidationException$`…): [-3, namespace, name, traits, …]. */
type ErrorSchema = [-3, string, string, { httpError?: number }, ...unknown[]];

describe('IVS error wire format', () => {
  it.each(Object.entries(ivsErrorStatus))('%s → HTTP %i with x-amzn-ErrorType and both messages', (type, status) => {
    const response = errorResponse(new IvsError(type as keyof typeof ivsErrorStatus, 'what went wrong'));
    expect(response).toEqual({
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': type },
      body: JSON.stringify({ exceptionMessage: 'what went wrong', message: 'what went wrong' }),
    });
  });

  it('every exception the IVS SDK models, with the status its schema gives (httpError)', () => {
    // Read from @aws-sdk/client-ivs rather than re-typed: the SDK picks the error class by name, and a
    // status that disagrees with its model would be a wire difference from real IVS.
    const modelled = Object.fromEntries(
      Object.values(ivsSdk as Record<string, unknown>)
        .filter((value): value is ErrorSchema => Array.isArray(value) && value[0] === -3 && value[1] === 'com.amazonaws.ivs')
        .map(([, , name, traits]) => [name, traits.httpError]),
    );
    expect(Object.keys(modelled).length).toBeGreaterThanOrEqual(11);
    expect(Object.fromEntries(Object.keys(modelled).map((name) => [name, (ivsErrorStatus as Record<string, number>)[name]]))).toEqual(modelled);
  });

  it('anything else becomes a 500 that leaks nothing', () => {
    const error = toIvsError(new Error('/secret/path exploded'));
    expect({ type: error.type, message: error.message }).toEqual({ type: 'InternalServerException', message: 'Unexpected error during processing.' });
  });
});
