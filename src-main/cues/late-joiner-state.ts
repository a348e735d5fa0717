/**
 * Late joiners: what is on screen now (the open poll, the current product, the chapter, a running
 * countdown), kept per overlay so it can be re-sent at a low rate and a viewer who joins later
 * still sees it. A newer cue of the same overlay replaces it; a "clear" cue removes one or all; a
 * countdown expires on its own. Re-sends carry the original payload (same fid), so a player that
 * already shows it recognises it. Pure: the caller provides the clock and does the sending.
 */
import type { CueStateItem, CueTemplate, OverlayKind } from '../contract/domains/cues';

interface Entry extends CueStateItem {
  payload: string;
}

export interface AcceptedFire {
  fid: string;
  cueId: string;
  cueName: string;
  channelArn: string;
  template: CueTemplate;
  lateJoiners: boolean;
  payload: string;
}

export function overlayKindOf(template: CueTemplate): OverlayKind | undefined {
  return template.kind === 'text' || template.kind === 'clear' ? undefined : template.kind;
}

export class LateJoinerState {
  private readonly entries = new Map<OverlayKind, Entry>();

  /** A fire IVS accepted changes what is on screen. Returns true when the state changed. */
  apply(fire: AcceptedFire, nowMs: number): boolean {
    const template = fire.template;
    if (template.kind === 'clear') {
      if (template.target) return this.entries.delete(template.target);
      const had = this.entries.size > 0;
      this.entries.clear();
      return had;
    }
    const kind = overlayKindOf(template);
    if (!kind) return false;
    if (!fire.lateJoiners) {
      // It replaced whatever was on screen for this overlay: the old state must not come back.
      return this.entries.delete(kind);
    }
    const at = new Date(nowMs).toISOString();
    const entry: Entry = { kind, fid: fire.fid, cueId: fire.cueId, cueName: fire.cueName, channelArn: fire.channelArn, since: at, resends: 0, lastSentAt: at, payload: fire.payload };
    if (template.kind === 'countdown') entry.expiresAt = new Date(nowMs + template.seconds * 1000).toISOString();
    this.entries.set(kind, entry);
    return true;
  }

  /** Drops expired countdowns; returns true when something went. */
  expire(nowMs: number): boolean {
    let changed = false;
    for (const [kind, entry] of this.entries) {
      if (entry.expiresAt && Date.parse(entry.expiresAt) <= nowMs) {
        this.entries.delete(kind);
        changed = true;
      }
    }
    return changed;
  }

  /** Items on `channelArn` last sent at least `intervalMs` ago, oldest send first. */
  due(channelArn: string, nowMs: number, intervalMs: number): { kind: OverlayKind; fid: string; payload: string }[] {
    if (intervalMs <= 0) return [];
    return [...this.entries.values()]
      .filter((e) => e.channelArn === channelArn && nowMs - Date.parse(e.lastSentAt) >= intervalMs)
      .sort((a, b) => Date.parse(a.lastSentAt) - Date.parse(b.lastSentAt))
      .map((e) => ({ kind: e.kind, fid: e.fid, payload: e.payload }));
  }

  markResent(kind: OverlayKind, fid: string, nowMs: number): void {
    const entry = this.entries.get(kind);
    if (!entry || entry.fid !== fid) return;
    entry.resends++;
    entry.lastSentAt = new Date(nowMs).toISOString();
  }

  items(): CueStateItem[] {
    return [...this.entries.values()].map(({ payload: _payload, ...item }) => ({ ...item }));
  }

  clear(): void {
    this.entries.clear();
  }
}
