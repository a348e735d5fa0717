/**
 * The cue board: timed-metadata cues (IVS PutMetadata) fired from buttons, hotkeys and a producer's
 * tablet, each followed from the button press to the moment a player showed it.
 *
 *   fire ─► queued ─► accepted (IVS answered) ─► seen (+x.x s, a player reported it)
 *             │            └──(no player report within the timeout)──► unseen
 *             ├──► coalesced (a newer fire of the same cue took its place)
 *             └──► failed (why: not live, IVS refused, gave up after retries)
 *
 * Payloads are strings of at most 1,024 UTF-8 bytes (IVS's limit). Template cues are JSON with a
 * short `fid` field carrying the fire id, so a player's report matches its fire exactly.
 */
import type { StudioErrorPayload } from '../errors';

/** IVS PutMetadata: `metadata` is at most 1 KB. */
export const CUE_PAYLOAD_LIMIT_BYTES = 1024;

/** The overlays a viewer shows (and the late-joiner state keeps one of each). */
export type OverlayKind = 'poll' | 'product' | 'quiz' | 'chapter' | 'countdown';

export type CueTemplate =
  /** Free text, sent as written (variables filled); JSON is fine too. No fire id unless `{{fid}}` is in it. */
  | { kind: 'text'; text: string }
  | { kind: 'poll'; question: string; options: string[] }
  | { kind: 'product'; title: string; price: string; imageUrl: string; link: string }
  /** `correct` (0-based) is sent only when set: fire the question without it, then a reveal with it. */
  | { kind: 'quiz'; question: string; answers: string[]; correct?: number }
  | { kind: 'chapter'; title: string }
  /** Sent with `endsAt` (wall clock), so a late joiner's countdown shows the time really left. */
  | { kind: 'countdown'; label: string; seconds: number }
  /** Clears one overlay, or all when `target` is absent. */
  | { kind: 'clear'; target?: OverlayKind };

export type CueTemplateKind = CueTemplate['kind'];

export type CueVariableType = 'text' | 'number' | 'choice';

/**
 * A typed value filled at fire time: `{{name}}` in any text field. Built in, always available:
 * `{{now}}` (ISO 8601 UTC time of the fire), `{{counter}}` (how many times this cue fired, this one
 * included), `{{fid}}` (the fire id).
 */
export interface CueVariable {
  name: string;
  type: CueVariableType;
  label?: string;
  /** Used when the fire gives no value; must itself be valid for the type. */
  defaultValue: string;
  /** For `choice`: the allowed values. */
  options?: string[];
}

/**
 * What a second fire of the same cue does while the first is still waiting for its turn:
 * queue (both go, in order), coalesce (the newer replaces the waiting one), reject (refused).
 */
export type CueBurstPolicy = 'queue' | 'coalesce' | 'reject';

export interface Cue {
  id: string;
  name: string;
  /** CSS colour of the button, `#rrggbb`. */
  color: string;
  /** Window hotkey, e.g. `1`, `Q`, `F5`, `Ctrl+Shift+P` (modifiers Ctrl, Alt, Shift, Meta in that order). */
  hotkey?: string;
  template: CueTemplate;
  variables: CueVariable[];
  burst: CueBurstPolicy;
  /** Re-send at a low rate while this cue is the current state (open poll, current product), for late joiners. */
  lateJoiners: boolean;
}

export interface CuePage {
  id: string;
  name: string;
  /** Buttons per row of the grid. */
  columns: number;
  /** In grid order, row by row. */
  cues: Cue[];
}

export interface CueBoard {
  id: string;
  name: string;
  /** Boards of one show are grouped under its name. */
  show: string;
  pages: CuePage[];
  updatedAt?: string;
}

export interface CueSettings {
  /** A cue no player reported within this many seconds of IVS accepting it is flagged "not seen". */
  seenTimeoutSeconds: number;
  /** Late-joiner state re-send interval; 0 switches re-sending off. */
  stateResendSeconds: number;
  /** Desktop app only, off by default: cue hotkeys work while another app has focus. */
  globalHotkeys: boolean;
}

/** The channel cues go to right now, and why that one. */
export interface CueTargetInfo {
  accountId: string;
  channelArn: string;
  label: string;
  /** `stream`: the studio is live on it; `selected`: chosen in Channel; `local-default`: the local channel's default. */
  source: 'stream' | 'selected' | 'local-default';
  /** For the viewer page (absent when IVS did not say). */
  playbackUrl?: string;
  /** Last known: true when a fire or check found it live. */
  live?: boolean;
  checkedAt?: string;
}

export type CueFireStatus = 'queued' | 'accepted' | 'seen' | 'unseen' | 'failed' | 'coalesced';

export type CueFireVia = 'button' | 'hotkey' | 'global-hotkey' | 'remote' | 'api';

export interface CueFire {
  /** Fire id (also inside JSON payloads as `fid`). */
  fid: string;
  /** Order of fires in this log, from 1. */
  seq: number;
  cueId: string;
  cueName: string;
  boardId: string;
  kind: CueTemplateKind;
  channelArn: string;
  via: CueFireVia;
  firedAt: string;
  /** Exactly what went (or was to go) to PutMetadata. */
  payload: string;
  bytes: number;
  status: CueFireStatus;
  /** IVS answered PutMetadata (204). */
  acceptedAt?: string;
  /** firedAt → acceptedAt, ms (queue wait included). */
  acceptMs?: number;
  /** Wall clock at which a player showed it. */
  seenAt?: string;
  /** firedAt → seenAt, ms: what the producer's button shows as "+x.x s". */
  deliveryMs?: number;
  /** Which player reported it first (e.g. "viewer page", "preview"). */
  seenBy?: string;
  /** PutMetadata calls made (retries included). */
  attempts: number;
  /** Of those, how many IVS throttled (retried quietly). */
  throttled: number;
  error?: StudioErrorPayload;
  /** For `coalesced`: the fire that replaced it. */
  coalescedInto?: string;
}

/** One overlay's current state, re-sent for late joiners. */
export interface CueStateItem {
  kind: OverlayKind;
  fid: string;
  cueId: string;
  cueName: string;
  channelArn: string;
  since: string;
  resends: number;
  lastSentAt: string;
  /** Countdown: dropped after this. */
  expiresAt?: string;
}

export interface CuesState {
  boards: CueBoard[];
  armed: boolean;
  settings: CueSettings;
  target?: CueTargetInfo;
  /** Why no target could be resolved (e.g. the local channel is not running). */
  targetError?: StudioErrorPayload;
  /** The latest fire of each cue, by cue id: the button badges. */
  latest: Record<string, CueFire>;
  lateJoinerState: CueStateItem[];
  /** Fires waiting for their turn (all channels). */
  queued: number;
  limitBytes: number;
}

export interface CueFireRequest {
  cueId: string;
  /** Narrows the lookup when cue ids repeat across boards. */
  boardId?: string;
  /** How it was fired; a remote producer's fires are recorded as `remote` whatever it says. */
  via?: 'button' | 'hotkey' | 'global-hotkey';
  /** Typed variable values by name (strings, validated against the variable's type). */
  values?: Record<string, string>;
}

/** The payload a cue would send now, measured exactly as sent. */
export interface CuePayloadPreview {
  payload: string;
  bytes: number;
  limitBytes: number;
  /** Bytes over the limit (0 when it fits). */
  overBy: number;
  /** Other reasons the cue cannot be saved (unknown variable, empty poll…). */
  problems: string[];
}

/** A player saw a timed-metadata cue: the decoded payload text and when it showed it. */
export interface CueSeenReport {
  text: string;
  /** Wall clock (ms since the epoch) at which the player showed the cue. */
  shownAt: number;
  /** Who reports, for the log: "viewer page", "preview". */
  player?: string;
}

export interface CueSeenResult {
  matched: boolean;
  fid?: string;
  deliveryMs?: number;
  /** This fire had already been reported (by this or another player). */
  duplicate?: boolean;
}

/** A file for the user to save: the renderer offers it as a download. */
export interface CueExport {
  filename: string;
  mimeType: string;
  content: string;
}

export type CueLogFormat = 'csv' | 'json';

export type CuesRequests = {
  'cues:get-state': () => CuesState;
  /** Creates or replaces a board; refused (METADATA_TOO_LARGE, naming the cue and by how much) if any cue is over 1 KB. */
  'cues:save-board': (board: CueBoard) => CueBoard;
  'cues:delete-board': (boardId: string) => void;
  /** A board exported before (JSON text); ids that collide are renewed. */
  'cues:import-board': (json: string) => CueBoard;
  'cues:export-board': (boardId: string) => CueExport;
  /** The editor's live size: the payload the cue would send next, measured. */
  'cues:preview-payload': (cue: Cue) => CuePayloadPreview;
  'cues:update-settings': (patch: Partial<CueSettings>) => CueSettings;
  'cues:set-armed': (armed: boolean) => boolean;
  'cues:fire': (request: CueFireRequest) => CueFire;
  'cues:report-seen': (report: CueSeenReport) => CueSeenResult;
  'cues:get-log': () => CueFire[];
  'cues:export-log': (format: CueLogFormat) => CueExport;
  'cues:clear-log': () => void;
};

export type CuesEvents = {
  'cues:state-changed': CuesState;
  /** Every lifecycle step of every fire. */
  'cues:fire-updated': CueFire;
};

export const cuesRequestChannels = {
  'cues:get-state': true,
  'cues:save-board': true,
  'cues:delete-board': true,
  'cues:import-board': true,
  'cues:export-board': true,
  'cues:preview-payload': true,
  'cues:update-settings': true,
  'cues:set-armed': true,
  'cues:fire': true,
  'cues:report-seen': true,
  'cues:get-log': true,
  'cues:export-log': true,
  'cues:clear-log': true,
} as const satisfies Record<keyof CuesRequests, true>;

export const cuesEventChannels = { 'cues:state-changed': true, 'cues:fire-updated': true } as const satisfies Record<keyof CuesEvents, true>;
