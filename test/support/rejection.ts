/** The error a promise is rejected with, for assertions on its code and message. */
import { expect } from 'vitest';
import { StudioError } from '../../src-main/core/studio-error';

/** Awaits `promise`, expects it to reject with a StudioError (failing the test if it resolves or throws anything else), and returns that error. */
export async function rejection(promise: Promise<unknown>): Promise<StudioError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a StudioError').toBeInstanceOf(StudioError);
  return error as StudioError;
}
