import { errorCatalog, type StudioErrorCode, type StudioErrorPayload } from '../contract/errors';
import { redact } from './redact';

/**
 * The one error class engine code throws past an edge. Built only from a catalog code, so every
 * failure a person sees has a known message and action. `details` is redacted when serialised.
 */
export class StudioError extends Error {
  readonly code: StudioErrorCode;
  readonly fatal: boolean;
  readonly action?: string;
  readonly details?: string;

  constructor(code: StudioErrorCode, options: { message?: string; details?: string; action?: string; cause?: unknown } = {}) {
    const entry = errorCatalog[code] as { message: string; action?: string; fatal: boolean };
    super(redact(options.message ?? entry.message), { cause: options.cause });
    this.name = 'StudioError';
    this.code = code;
    this.fatal = entry.fatal;
    this.action = options.action ?? entry.action;
    this.details = options.details;
  }

  toPayload(): StudioErrorPayload {
    const payload: StudioErrorPayload = { code: this.code, message: redact(this.message), fatal: this.fatal };
    if (this.action) payload.action = this.action;
    if (this.details) payload.details = redact(this.details);
    return payload;
  }
}

/** Any thrown value as a payload; unknown errors become INTERNAL with their (redacted) text as details. */
export function toErrorPayload(error: unknown): StudioErrorPayload {
  if (error instanceof StudioError) return error.toPayload();
  const text = error instanceof Error ? error.message : String(error);
  return new StudioError('INTERNAL', { details: text }).toPayload();
}
