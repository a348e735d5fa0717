import type { StudioErrorCode } from '../contract/errors';
import { StudioError } from '../core/studio-error';
import { describeIvsRegions, isIvsRegion } from './regions';

/**
 * The edge between the AWS SDK and the studio: every error an IVS call can raise (service
 * exceptions, SigV4 rejections, credential-provider failures, sockets) becomes one catalog error
 * here, with a message that names what failed and what to do. Nothing above this file sees an SDK
 * error class.
 */
export interface IvsCallContext {
  /** IVS operation name as in the API reference, e.g. `ListChannels`. */
  operation: string;
  region: string;
  /** Custom endpoint (local channel); undefined for AWS's own. */
  endpoint?: string;
  /** The ARN (or name) the call is about, for messages. */
  resource?: string;
  /** `profile streamer`, `access key …WXYZ`, `local channel`: where the credentials came from. */
  credentialSource?: string;
}

/** The fields of SDK errors the mapping reads; all optional since anything can be thrown. */
interface SdkErrorShape {
  name?: string;
  message?: string;
  code?: string;
  errno?: number;
  exceptionMessage?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

const THROTTLING = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'RequestLimitExceeded', 'ThrottledException', 'SlowDown']);
const BAD_SIGNATURE = new Set(['InvalidSignatureException', 'SignatureDoesNotMatch', 'IncompleteSignature', 'IncompleteSignatureException', 'MissingAuthenticationToken', 'MissingAuthenticationTokenException']);
const UNKNOWN_KEY = new Set(['UnrecognizedClientException', 'InvalidClientTokenId', 'InvalidAccessKeyId', 'AuthFailure']);
const EXPIRED = new Set(['ExpiredTokenException', 'ExpiredToken', 'RequestExpired', 'TokenRefreshRequired']);
const UNAVAILABLE = new Set(['InternalServerException', 'ServiceUnavailable', 'StreamUnavailable', 'ServiceUnavailableException', 'InternalFailure', 'InternalError']);
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'ECONNABORTED', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);
const NETWORK_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

export function mapIvsError(error: unknown, ctx: IvsCallContext): StudioError {
  if (error instanceof StudioError) return error;
  const e = asShape(error);
  const name = e.name ?? '';
  const status = e.$metadata?.httpStatusCode;
  const ivsText = ivsMessage(e);
  const what = ctx.resource ? `${ctx.operation} on ${ctx.resource}` : ctx.operation;
  const details = `${name || 'Error'}${status ? ` (HTTP ${status})` : ''} during ${ctx.operation}${ivsText ? `: ${ivsText}` : ''}`;
  const make = (code: StudioErrorCode, message: string, action?: string) =>
    new StudioError(code, { message, action, details, cause: error });

  // --- credentials (resolved before any request is sent) ---
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    return mapCredentialProviderError(e.message ?? '', ctx, make);
  }

  // --- the request never got an answer ---
  const networkCode = findNetworkCode(e);
  if (networkCode || NETWORK_NAMES.has(name)) {
    if ((networkCode === 'ENOTFOUND' || networkCode === 'EAI_AGAIN') && !ctx.endpoint && !isIvsRegion(ctx.region)) {
      return make('WRONG_REGION', `IVS has no endpoint in region "${ctx.region}".`, `Choose one of the regions IVS serves: ${describeIvsRegions()}.`);
    }
    const where = ctx.endpoint ?? `IVS in ${ctx.region}`;
    return make(
      'ENDPOINT_UNREACHABLE',
      `Could not reach ${where} for ${ctx.operation} (${networkCode ?? name}).`,
      ctx.endpoint ? 'Check that the local channel is running.' : 'Check the network connection, proxy and firewall.',
    );
  }

  // --- AWS's common authentication errors (not modelled in the IVS SDK) ---
  if (BAD_SIGNATURE.has(name) || /signature.*(does not match|not match|mismatch|invalid)/i.test(ivsText)) {
    if (/scoped to a valid region|scoped to .*region|wrong region|region '?[a-z0-9-]+'? is wrong/i.test(ivsText)) {
      return make('WRONG_REGION', `The request for ${ctx.operation} was signed for region ${ctx.region}, which this endpoint does not serve (${ivsText}).`, 'Set the account\'s region to the one its channels are in.');
    }
    if (/signature expired|outside the allowed|request.*too (old|skewed)/i.test(ivsText)) {
      return make('ACCESS_DENIED', `AWS rejected the request for ${ctx.operation} because its timestamp is too far from the server's time (${ivsText}).`, 'Correct the computer clock (enable automatic time), then try again.');
    }
    return make(
      'ACCESS_DENIED',
      `AWS rejected the request signature for ${ctx.operation}: the secret access key does not match the access key ID${ctx.credentialSource ? ` (${ctx.credentialSource})` : ''}.`,
      'Re-enter the access key pair, and check that the computer clock is correct.',
    );
  }
  if (UNKNOWN_KEY.has(name)) {
    return make('ACCESS_DENIED', `AWS does not recognise the access key ID${ctx.credentialSource ? ` (${ctx.credentialSource})` : ''}.`, 'The key may have been deleted or deactivated in IAM: create a new access key and enter it again.');
  }
  if (EXPIRED.has(name)) {
    return make('CREDENTIALS_EXPIRED', `The AWS credentials${ctx.credentialSource ? ` from ${ctx.credentialSource}` : ''} have expired.`, refreshAction(ctx));
  }

  // --- IVS's own exceptions ---
  switch (name) {
    case 'AccessDeniedException': {
      const action = missingAction(ivsText) ?? `ivs:${ctx.operation}`;
      return make(
        'ACCESS_DENIED',
        `AWS denied ${action}${ctx.resource ? ` on ${ctx.resource}` : ''}: the IAM identity lacks that permission.`,
        `Add "${action}" to the IAM policy of the user or role${ctx.credentialSource ? ` (${ctx.credentialSource})` : ''}.`,
      );
    }
    case 'PendingVerification':
      return make('ACCESS_DENIED', `IVS refused ${ctx.operation}: the AWS account is pending verification.`, 'Wait for AWS to verify the account (check the e-mail from AWS), then try again.');
    case 'ResourceNotFoundException':
      return make('IVS_NOT_FOUND', `${ctx.resource ?? 'The resource'} was not found in ${ctx.region}${ivsText ? ` (${ivsText})` : ''}.`, 'It may have been deleted, or it belongs to another region or account: refresh the channel list.');
    case 'ChannelNotBroadcasting':
      return make('NOT_LIVE', `${ctx.resource ?? 'The channel'} is not live.`, 'Go live first.');
    case 'ConflictException':
      return make('IVS_CONFLICT', conflictMessage(ctx, ivsText), conflictAction(ctx));
    case 'ValidationException':
      return make('IVS_VALIDATION', `IVS rejected ${what}: ${ivsText || 'the input is not valid'}.`);
    case 'ServiceQuotaExceededException':
      return make('IVS_QUOTA_EXCEEDED', `IVS refused ${what}: a service quota would be exceeded${ivsText ? ` (${ivsText})` : ''}.`);
  }
  if (THROTTLING.has(name) || status === 429) {
    return make('THROTTLED', `IVS is throttling ${ctx.operation} (too many requests per second)${ivsText ? `: ${ivsText}` : ''}.`, 'The studio slows down and retries; wait a moment.');
  }
  if (UNAVAILABLE.has(name) || (status !== undefined && status >= 500) || e.$fault === 'server') {
    return make('IVS_UNAVAILABLE', `IVS could not complete ${ctx.operation} right now${ivsText ? ` (${ivsText})` : ''}.`, 'Try again in a moment.');
  }

  // --- anything else that carries an HTTP status ---
  if (status === 403) return make('ACCESS_DENIED', `AWS denied ${ctx.operation}${ivsText ? `: ${ivsText}` : ''}.`, `Check the IAM permissions for ivs:${ctx.operation}.`);
  if (status === 404) return make('IVS_NOT_FOUND', `${ctx.operation} found nothing at ${ctx.endpoint ?? ctx.region}${ivsText ? ` (${ivsText})` : ''}.`);
  if (status === 400) return make('IVS_VALIDATION', `IVS rejected ${what}: ${ivsText || name}.`);
  return make('INTERNAL', `${ctx.operation} failed unexpectedly (${name || 'unknown error'}${ivsText ? `: ${ivsText}` : ''}).`);
}

type Make = (code: StudioErrorCode, message: string, action?: string) => StudioError;

function mapCredentialProviderError(text: string, ctx: IvsCallContext, make: Make): StudioError {
  const source = ctx.credentialSource ?? 'the default AWS credential chain';
  if (/expired/i.test(text) || /SSO session.*invalid|SSO session token.*(not found|invalid)/i.test(text)) {
    return make('CREDENTIALS_EXPIRED', `The AWS SSO session for ${source} has expired or is no longer valid.`, refreshAction(ctx));
  }
  const profile = /Profile '?([^' ]+)'? (?:was not found|could not be found)/i.exec(text);
  if (profile) {
    return make('NO_CREDENTIALS', `AWS profile "${profile[1]}" is not in ~/.aws/config or ~/.aws/credentials.`, 'Create the profile (aws configure --profile NAME or aws configure sso) or pick another.');
  }
  return make(
    'NO_CREDENTIALS',
    `No AWS credentials were found for ${source} (looked in environment variables, ~/.aws/credentials, ~/.aws/config and SSO).`,
    'Run "aws configure" or "aws configure sso", or add an access key in the studio.',
  );
}

function refreshAction(ctx: IvsCallContext): string {
  const profile = /^profile (.+)$/.exec(ctx.credentialSource ?? '')?.[1];
  return profile ? `Run "aws sso login --profile ${profile}", then test the connection again.` : 'Sign in again ("aws sso login") or enter a new access key, then test the connection again.';
}

/** `User: arn:… is not authorized to perform: ivs:CreateChannel on resource: …` → `ivs:CreateChannel`. */
function missingAction(text: string): string | undefined {
  return /\b(ivs:[A-Za-z]+)\b/.exec(text)?.[1];
}

function conflictMessage(ctx: IvsCallContext, ivsText: string): string {
  const subject = ctx.resource ?? 'The channel';
  const said = ivsText ? ` IVS said: ${ivsText}` : '';
  switch (ctx.operation) {
    case 'DeleteChannel':
      return `${subject} is live, and IVS does not delete a channel while it is streaming.${said}`;
    case 'UpdateChannel':
      return `${subject} is live, and IVS does not change a channel while it is streaming.${said}`;
    case 'DeleteRecordingConfiguration':
      return `${subject} is still attached to a channel, so IVS will not delete it.${said}`;
    case 'ListChannels':
      return `IVS allows only one filter at a time when listing channels.${said}`;
    default:
      return `IVS refused ${ctx.operation} because of a conflicting state.${said}`;
  }
}

function conflictAction(ctx: IvsCallContext): string | undefined {
  switch (ctx.operation) {
    case 'DeleteChannel':
    case 'UpdateChannel':
      return 'Stop the stream (Stop Stream), wait until IVS shows it offline, then try again.';
    case 'DeleteRecordingConfiguration':
      return 'Detach it from every channel first.';
    default:
      return undefined;
  }
}

/** IVS puts its text in `exceptionMessage`; the SDK's `message` is "UnknownError" without a body message. */
function ivsMessage(e: SdkErrorShape): string {
  const candidates = [e.exceptionMessage, e.message].filter((m): m is string => typeof m === 'string' && m.length > 0 && m !== 'UnknownError');
  return (candidates[0] ?? '').trim().slice(0, 500);
}

function findNetworkCode(e: SdkErrorShape): string | undefined {
  for (let current: SdkErrorShape | undefined = e, depth = 0; current && depth < 4; current = asShapeOrUndefined(current.cause), depth++) {
    if (current.code && NETWORK_CODES.has(current.code)) return current.code;
    const inMessage = /\b(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|ENETUNREACH)\b/.exec(current.message ?? '');
    if (inMessage && !current.$metadata?.httpStatusCode) return inMessage[1];
    if (/socket hang up/i.test(current.message ?? '')) return 'ECONNRESET';
  }
  return undefined;
}

function asShape(error: unknown): SdkErrorShape {
  if (error && typeof error === 'object') return error as SdkErrorShape;
  return { name: 'Error', message: String(error) };
}

function asShapeOrUndefined(error: unknown): SdkErrorShape | undefined {
  return error && typeof error === 'object' ? (error as SdkErrorShape) : undefined;
}
