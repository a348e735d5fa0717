/**
 * Matching a player's report ("I showed this payload at t") to the fire that sent it. Template cues
 * carry their fire id as `fid` in the JSON; free text is matched by its exact text to the oldest fire
 * of that text still waiting for a sighting (a free text containing {{fid}} matches by text too,
 * since its text is unique). Pure.
 */
import type { CueFire } from '../contract/domains/cues';

const FID = /^[0-9a-z]{4,32}$/;

/** The `fid` of a JSON payload, if it has one. */
export function fireIdOf(text: string): string | undefined {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{')) return undefined;
  try {
    const value = JSON.parse(trimmed) as { fid?: unknown };
    return typeof value.fid === 'string' && FID.test(value.fid) ? value.fid : undefined;
  } catch {
    return undefined;
  }
}

export interface SeenLookup {
  byFid(fid: string): CueFire | undefined;
  /** Fires accepted (or flagged unseen) and not seen yet, oldest first. */
  awaitingSight(): readonly CueFire[];
}

/** The fire a reported payload belongs to, or undefined. */
export function matchReportedPayload(text: string, lookup: SeenLookup): CueFire | undefined {
  const fid = fireIdOf(text);
  if (fid) {
    const fire = lookup.byFid(fid);
    if (fire) return fire;
  }
  return lookup.awaitingSight().find((f) => f.payload === text);
}
