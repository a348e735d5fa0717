/**
 * When to try the ingest again after it dropped us. Pure: the stream output asks "how long until the
 * next attempt?" and owns the timer.
 *
 * IVS keeps a stream session open for 30 s after the encoder stops sending (ivs-api.md §4): an encoder
 * that is back inside that window continues the same stream, so viewers see a stall, not an end.
 * The schedule therefore retries fast at first (a blip costs well under a second), holds a short
 * steady interval through the rest of the grace window (so a returning ingest is found within about
 * that interval — the acceptance target is 3 s), and only then backs off exponentially: past 30 s the
 * session is gone anyway and hammering a dead endpoint helps nobody. "Reconnect now" bypasses the wait.
 */
import type { StudioErrorCode } from '../contract/errors';

export interface ReconnectSchedule {
  /** Delays before the first attempts, in order. */
  fastDelaysMs: readonly number[];
  /** Interval between attempts after the fast ones, until `graceWindowMs` has passed since the drop. */
  steadyDelayMs: number;
  /** IVS's grace window: 30 s without data ends the stream session. */
  graceWindowMs: number;
  /** After the grace window: the shortest back-off delay; delays then grow with the time past the window, up to `maxDelayMs`. */
  backoffStartMs: number;
  maxDelayMs: number;
  /** ± fraction of random spread on back-off delays, so many studios do not retry in lock step. */
  jitter: number;
  /** Stop retrying after this long since the drop; undefined = until the user stops. */
  giveUpAfterMs?: number;
}

export const IVS_GRACE_WINDOW_MS = 30_000;

export const defaultReconnectSchedule: ReconnectSchedule = {
  fastDelaysMs: [0, 250, 500, 1000],
  steadyDelayMs: 1000,
  graceWindowMs: IVS_GRACE_WINDOW_MS,
  backoffStartMs: 4000,
  maxDelayMs: 30_000,
  jitter: 0.1,
};

export interface ReconnectProgress {
  /** Attempts already made since the drop (0 before the first retry). */
  attempt: number;
  /** Time since the connection dropped. */
  sinceDropMs: number;
}

/**
 * Milliseconds to wait before the next attempt, or undefined to give up. `random` returns [0, 1);
 * injected so tests are deterministic.
 */
export function nextReconnectDelayMs(
  progress: ReconnectProgress,
  schedule: ReconnectSchedule = defaultReconnectSchedule,
  random: () => number = Math.random,
): number | undefined {
  const { attempt, sinceDropMs } = progress;
  if (schedule.giveUpAfterMs !== undefined && sinceDropMs >= schedule.giveUpAfterMs) return undefined;
  const fast = schedule.fastDelaysMs[attempt];
  if (fast !== undefined) return fast;
  if (sinceDropMs + schedule.steadyDelayMs <= schedule.graceWindowMs) return schedule.steadyDelayMs;
  // Back-off: wait as long as we have already been past the window (at least backoffStartMs), so the
  // delays double without the schedule having to remember anything but the time since the drop.
  const base = Math.min(schedule.maxDelayMs, Math.max(schedule.backoffStartMs, sinceDropMs - schedule.graceWindowMs));
  const spread = base * schedule.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(Math.min(schedule.maxDelayMs, base + spread)));
}

/**
 * Whether an attempt that failed with `code` is worth repeating. A refused key or a bad certificate
 * will fail identically forever, so they end the stream with the error shown to the user. CHANNEL_BUSY during a reconnect usually means the ingest has not yet noticed our old
 * connection died (a half-open TCP session), so it is retried until the grace window is over.
 */
export function isRetryable(code: StudioErrorCode, progress: ReconnectProgress, schedule: ReconnectSchedule = defaultReconnectSchedule): boolean {
  switch (code) {
    case 'STREAM_KEY_REJECTED':
    case 'INGEST_TLS':
      return false;
    case 'CHANNEL_BUSY':
      return progress.sinceDropMs < schedule.graceWindowMs;
    default:
      return true;
  }
}
