/**
 * The one catalog of user-facing errors. Every failure that can reach a person is one of these codes,
 * with a message a user can act on and, where there is one, the action that fixes it.
 * Edges (ffmpeg stderr, AWS SDK exceptions, RTMP status codes, fs errors) translate into these once.
 */
export const errorCatalog = {
  // transport / API
  BAD_REQUEST: { message: 'The request was malformed.', fatal: false },
  UNKNOWN_CHANNEL: { message: 'No such API channel.', fatal: false },
  UNAUTHORIZED: { message: 'A valid access token is required.', action: 'Open the URL the studio printed, token included.', fatal: false },
  TOKEN_INVALID: { message: 'The access token is not valid for this studio run.', action: 'Open the URL the studio printed this time; tokens change every run.', fatal: false },
  REQUEST_TOO_LARGE: { message: 'The request is larger than the API accepts.', fatal: false },
  NOT_CONNECTED: { message: 'The studio engine is not reachable.', action: 'Check that the studio is still running, then reload the page.', fatal: false },
  FORBIDDEN_ORIGIN: { message: 'Requests from this origin are not allowed.', fatal: false },
  FORBIDDEN: { message: 'This connection is not allowed to do that.', action: 'Ask the studio operator to grant more rights.', fatal: false },
  INTERNAL: { message: 'Something went wrong inside the studio.', action: 'Check the log in the data folder.', fatal: false },
  NOT_IMPLEMENTED: { message: 'This feature is not available yet.', fatal: false },
  // documents
  SETTINGS_CORRUPT: { message: 'A settings file could not be read; it was moved aside and defaults are in use.', action: 'The original file was kept next to it with a .corrupt suffix.', fatal: false },
  DOCUMENT_INVALID: { message: 'The document is not valid.', fatal: false },
  NOT_FOUND: { message: 'The requested item does not exist.', fatal: false },
  // ffmpeg / devices
  FFMPEG_NOT_FOUND: { message: 'ffmpeg was not found.', action: 'Install ffmpeg, set FFMPEG_PATH, or choose the binary in Settings.', fatal: true },
  FFMPEG_MISSING_FEATURE: { message: 'The ffmpeg binary lacks a feature the studio needs.', action: 'Install a full ffmpeg build (with libx264, zmq and the needed devices).', fatal: false },
  DEVICE_MISSING: { message: 'A capture device could not be opened.', action: 'Check that it is connected and not used by another program.', fatal: false },
  SCENE_INVALID: { message: 'The scene is not valid.', fatal: false },
  ENCODER_LIMIT: { message: 'The encoder settings exceed the channel limits.', fatal: false },
  ENCODE_ERROR: { message: 'The encoder stopped unexpectedly.', fatal: true },
  // output
  STREAM_KEY_REJECTED: { message: 'The ingest rejected the stream key.', action: 'Fetch the stream key again or rotate it in Channel.', fatal: true },
  INGEST_UNREACHABLE: { message: 'The ingest server could not be reached.', action: 'Check the network connection and the ingest endpoint.', fatal: false },
  INGEST_TLS: { message: 'The ingest server certificate could not be verified.', fatal: true },
  INGEST_DISCONNECTED: { message: 'The ingest closed the connection.', fatal: false },
  CHANNEL_BUSY: { message: 'Another encoder is already live on this channel.', fatal: true },
  ALREADY_LIVE: { message: 'The studio is already live.', fatal: false },
  NOT_LIVE: { message: 'The channel is not live.', action: 'Go live first.', fatal: false },
  // ivs / account
  NO_CREDENTIALS: { message: 'No AWS credentials were found.', action: 'Add an access key or sign in with an AWS profile.', fatal: false },
  ACCESS_DENIED: { message: 'AWS denied the request.', fatal: false },
  THROTTLED: { message: 'IVS is throttling requests; retrying.', fatal: false },
  IVS_NOT_FOUND: { message: 'The IVS resource was not found.', fatal: false },
  IVS_CONFLICT: { message: 'IVS refused the change because of a conflict.', fatal: false },
  IVS_VALIDATION: { message: 'IVS rejected the request as invalid.', fatal: false },
  IVS_UNAVAILABLE: { message: 'IVS is unavailable right now.', action: 'Try again in a moment.', fatal: false },
  ENDPOINT_UNREACHABLE: { message: 'The IVS endpoint could not be reached.', fatal: false },
  CREDENTIALS_EXPIRED: { message: 'The AWS credentials have expired.', action: 'Sign in again (for SSO: aws sso login --profile <name>) or enter a new access key.', fatal: false },
  WRONG_REGION: { message: 'IVS is not available in that region, or the credentials belong to another one.', action: 'Pick one of the regions IVS serves for the account.', fatal: false },
  IVS_QUOTA_EXCEEDED: { message: 'An IVS service quota would be exceeded.', action: 'Delete unused resources or ask AWS for a higher quota (Service Quotas console).', fatal: false },
  STREAM_KEY_MISSING: { message: 'There is no stream key for this channel in the keychain.', action: 'Select the channel again in Channel to fetch its key.', fatal: false },
  PREFLIGHT_FAILED: { message: 'The settings do not fit the channel; going live was refused.', fatal: false },
  KEYCHAIN_UNAVAILABLE: { message: 'No OS keychain is available to store secrets.', action: 'On Linux, install and unlock a Secret Service (GNOME Keyring or KWallet).', fatal: false },
  // cues
  METADATA_TOO_LARGE: { message: 'The cue payload is larger than IVS allows (1 KB).', fatal: false },
  CUES_DISARMED: { message: 'The cue board is not armed.', action: 'Arm the board to fire cues.', fatal: false },
  CUE_BURST_REJECTED: { message: 'This cue is already waiting to be sent, and its burst policy refuses repeats.', action: 'Wait for it to go out, or set the cue to queue or coalesce repeats.', fatal: false },
} as const satisfies Record<string, { message: string; action?: string; fatal: boolean }>;

export type StudioErrorCode = keyof typeof errorCatalog;

/** What travels over IPC / WebSocket. `details` is already redacted. */
export interface StudioErrorPayload {
  code: StudioErrorCode;
  message: string;
  action?: string;
  fatal: boolean;
  details?: string;
}

export function isStudioErrorCode(code: unknown): code is StudioErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(errorCatalog, code);
}
