/**
 * Going live: start/stop the stream output, its state machine, and its per-second stats.
 *
 *   offline ──start──► starting ──connected──► live ──ingest dropped──► reconnecting ──back──► live
 *      ▲                  │ (refused, unreachable)       │ stop                │ stop, fatal error
 *      └──────────────────┴──────────── stopping ◄───────┴─────────────────────┘
 *
 * Stream keys never travel to the renderer: targets are described by kind, ingest URL (without key)
 * and a masked key. A key may travel the other way once, for a custom ingest the user typed in.
 */
import type { StudioErrorPayload } from '../errors';

export type StreamState = 'offline' | 'starting' | 'live' | 'reconnecting' | 'stopping';

export type StreamTargetRequest =
  /** What is selected in Channel (accounts:select): the Go Live button's default. */
  | { kind: 'selected' }
  /** The embedded local channel's default channel (the default for rehearsals and tests). */
  | { kind: 'local-channel' }
  /** An IVS channel whose stream key is in the OS keychain. */
  | { kind: 'ivs-channel'; channelArn: string }
  /**
   * Any RTMP(S) ingest; `ingestUrl` without the key, e.g. `rtmps://host:443/app`. `caPem`: an extra
   * certificate authority to trust for a private ingest (verification stays on).
   */
  | { kind: 'custom'; ingestUrl: string; streamKey: string; caPem?: string };

export type StreamTargetKind = Exclude<StreamTargetRequest['kind'], 'selected'>;

export interface StreamTargetInfo {
  kind: StreamTargetKind;
  /** What the UI shows: the channel name or the ingest host. */
  label: string;
  /** Without the stream key. */
  ingestUrl: string;
  channelArn?: string;
  streamKeyMasked: string;
}

export interface StreamStartRequest {
  target: StreamTargetRequest;
  /** Also record the program to this file while streaming (crash-safe format chosen by the recorder). */
  recordPath?: string;
}

export interface StreamReconnectInfo {
  /** Attempts made since the drop. */
  attempt: number;
  droppedAt: string;
  /** When the next attempt is scheduled; absent while one is in flight. */
  nextAttemptAt?: string;
  lastError?: StudioErrorPayload;
}

export interface StreamSnapshot {
  state: StreamState;
  stateSince: string;
  target?: StreamTargetInfo;
  /** When the stream first went live in this run. */
  liveSince?: string;
  reconnect?: StreamReconnectInfo;
  /** Why the stream ended or failed to start, when it was not the user's stop. */
  lastError?: StudioErrorPayload;
  recordPath?: string;
}

export type DroppedFrameCause = 'disconnected' | 'buffer-full' | 'congestion';

export interface OutputStats {
  at: string;
  state: StreamState;
  /** Since the stream went live (0 before). */
  uptimeMs: number;
  /** Bits written to the ingest over the last interval, per second. */
  bitrateBps: number;
  bytesSent: number;
  /** Acknowledged by the ingest (RTMP Acknowledgement; window-based, so it lags). */
  bytesAcked: number;
  /** Bytes handed to the socket but not yet sent: the network is slower than the stream. */
  congestionBytes: number;
  /** congestionBytes relative to the level where video starts being dropped (0–1+). */
  congestion: number;
  framesSent: number;
  droppedFrames: Record<DroppedFrameCause, number> & { total: number };
  /** Buffered while disconnected, to resend on reconnect. */
  buffered: { bytes: number; durationMs: number };
  reconnects: {
    count: number;
    /** Durations of completed reconnects, drop to live again, oldest first (the last 20). */
    durationsMs: number[];
    /** The one in progress. */
    current?: { attempt: number; sinceMs: number };
  };
}

export type StreamRequests = {
  'stream:start': (request: StreamStartRequest) => StreamSnapshot;
  'stream:stop': () => StreamSnapshot;
  'stream:get-state': () => StreamSnapshot;
  /** Skips the wait before the next reconnect attempt. */
  'stream:reconnect-now': () => StreamSnapshot;
};

export type StreamEvents = {
  'stream:state-changed': StreamSnapshot;
  'output:stats': OutputStats;
};

export const streamRequestChannels = {
  'stream:start': true,
  'stream:stop': true,
  'stream:get-state': true,
  'stream:reconnect-now': true,
} as const satisfies Record<keyof StreamRequests, true>;

export const streamEventChannels = { 'stream:state-changed': true, 'output:stats': true } as const satisfies Record<keyof StreamEvents, true>;
