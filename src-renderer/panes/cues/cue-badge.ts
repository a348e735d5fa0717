/**
 * What a cue button's badge says about its latest fire — queued, accepted, seen +x.x s, not seen,
 * failed (why) — or about a fire that was refused before it was queued. Pure.
 */
import type { CueFire, StudioErrorPayload } from '@contract/studio-api';

export type BadgeTone = 'pending' | 'accepted' | 'seen' | 'warning' | 'failed' | 'muted';

export interface CueBadge {
  label: string;
  tone: BadgeTone;
  /** The longer explanation (title / screen readers). */
  detail: string;
  status: CueFire['status'] | 'refused';
}

export function formatSeconds(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${(Math.abs(ms) / 1000).toFixed(1)} s`;
}

export function badgeForFire(fire: CueFire, seenTimeoutSeconds: number): CueBadge {
  switch (fire.status) {
    case 'queued':
      return { status: 'queued', tone: 'pending', label: 'queued', detail: `Waiting for its turn (IVS takes 5 cues a second)${fire.throttled ? `; IVS asked to slow down ${fire.throttled}×, retrying` : ''}.` };
    case 'accepted':
      return { status: 'accepted', tone: 'accepted', label: 'accepted', detail: `IVS accepted it ${fire.acceptMs !== undefined ? `${formatSeconds(fire.acceptMs)} after the press` : ''}; waiting for a player to show it.` };
    case 'seen':
      return {
        status: 'seen',
        tone: 'seen',
        label: `seen ${formatSeconds(fire.deliveryMs ?? 0)}`,
        detail: `Shown by ${fire.seenBy ?? 'a player'} ${formatSeconds(fire.deliveryMs ?? 0)} after the press.`,
      };
    case 'unseen':
      return { status: 'unseen', tone: 'warning', label: 'not seen', detail: `IVS accepted it, but no player reported it within ${seenTimeoutSeconds} s (is the preview or a viewer page open?).` };
    case 'failed':
      return { status: 'failed', tone: 'failed', label: `failed: ${shortReason(fire.error)}`, detail: fire.error ? `${fire.error.message}${fire.error.action ? ` ${fire.error.action}` : ''}` : 'It was not sent.' };
    case 'coalesced':
      return { status: 'coalesced', tone: 'muted', label: 'replaced', detail: `A newer press of this cue went out instead (${fire.coalescedInto ?? 'next fire'}).` };
  }
}

export function badgeForRefusal(error: StudioErrorPayload): CueBadge {
  return { status: 'refused', tone: 'failed', label: `not sent: ${shortReason(error)}`, detail: `${error.message}${error.action ? ` ${error.action}` : ''}` };
}

/** A few words for the badge; the full message is in the detail. */
export function shortReason(error: StudioErrorPayload | undefined): string {
  if (!error) return 'unknown';
  switch (error.code) {
    case 'NOT_LIVE':
      return 'not live';
    case 'CUES_DISARMED':
      return 'disarmed';
    case 'METADATA_TOO_LARGE':
      return 'over 1 KB';
    case 'THROTTLED':
      return 'throttled';
    case 'CUE_BURST_REJECTED':
      return 'still waiting';
    case 'ACCESS_DENIED':
      return 'access denied';
    case 'ENDPOINT_UNREACHABLE':
    case 'IVS_UNAVAILABLE':
      return 'IVS unreachable';
    default:
      return error.code.toLowerCase().replace(/_/g, ' ');
  }
}
