/**
 * IVS errors on the wire: HTTP status + `x-amzn-ErrorType: <Name>` + `{exceptionMessage, message}`
 * (reference §1.3). The SDK picks the error class from the header; `message` is sent too because
 * without it SDK v3 reports `err.message === "UnknownError"`.
 */

/** The modelled IVS exceptions and their statuses (SDK schemas `httpError`). */
export const ivsErrorStatus = {
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
  // AWS front-door errors that are not in the IVS model (what AWS answers for auth and routing
  // problems; the SDK surfaces them as IvsServiceException with `name` = the type).
  MissingAuthenticationTokenException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  UnknownOperationException: 404,
  MethodNotAllowedException: 405,
  RequestEntityTooLargeException: 413,
  NotImplementedException: 501,
} as const;

export type IvsErrorType = keyof typeof ivsErrorStatus;

export class IvsError extends Error {
  readonly status: number;
  constructor(
    readonly type: IvsErrorType,
    message: string,
  ) {
    super(message);
    this.name = type;
    this.status = ivsErrorStatus[type];
  }
}

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  /** Undefined for 204. */
  body?: string;
}

export function errorResponse(error: IvsError): WireResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', 'x-amzn-ErrorType': error.type },
    body: JSON.stringify({ exceptionMessage: error.message, message: error.message }),
  };
}

/** Anything thrown that is not an IvsError is a bug: answer 500 without leaking internals. */
export function toIvsError(error: unknown): IvsError {
  if (error instanceof IvsError) return error;
  return new IvsError('InternalServerException', 'Unexpected error during processing.');
}

// Small constructors so handlers read as IVS documents them.
export const notFound = (what: string, arn: string): IvsError =>
  new IvsError('ResourceNotFoundException', `${what} not found: ${arn}`);
export const validation = (message: string): IvsError => new IvsError('ValidationException', message);
export const conflict = (message: string): IvsError => new IvsError('ConflictException', message);
export const notBroadcasting = (channelArn: string): IvsError =>
  new IvsError('ChannelNotBroadcasting', `The stream is offline for the given channel ARN: ${channelArn}`);
