/**
 * The fire log: every fire of the show with its time, payload, outcome and measured delivery, in
 * fire order. Kept in memory, written to the data dir (atomically, at most once a second and on
 * dispose) so the log is still there to export after the show, even after a restart.
 */
import * as path from 'node:path';
import type { CueExport, CueFire, CueLogFormat } from '../contract/domains/cues';
import type { Disposable } from '../core/disposable';
import { JsonDocument } from '../core/documents';
import { createLogger } from '../core/logger';
import { fireLogDocumentSchema, type FireLogDocument } from './cue-schema';

const log = createLogger('cue-log');

/** Older fires are dropped past this (a long show fires a few hundred cues). */
export const MAX_LOGGED_FIRES = 5000;

export class FireLog implements Disposable {
  private readonly document: JsonDocument<FireLogDocument> | undefined;
  private readonly fires: CueFire[] = [];
  private readonly byFid = new Map<string, CueFire>();
  private saveTimer: NodeJS.Timeout | undefined;
  private lastSeq = 0;

  /** `dataDir` undefined: in memory only (tests). */
  constructor(dataDir: string | undefined, private readonly saveDelayMs = 1000) {
    if (dataDir) {
      this.document = new JsonDocument(path.join(dataDir, 'cue-fire-log.json'), fireLogDocumentSchema, () => ({ version: 1, fires: [] }));
      const loaded = this.document.load();
      if (loaded.recovered) log.warn(`the fire log was corrupt (${loaded.recovered.problem}); kept at ${loaded.recovered.movedTo}`);
      for (const fire of loaded.value.fires) this.index(fire);
      this.lastSeq = this.fires.reduce((max, f) => Math.max(max, f.seq), 0);
    }
  }

  nextSeq(): number {
    return ++this.lastSeq;
  }

  add(fire: CueFire): void {
    this.index(fire);
    while (this.fires.length > MAX_LOGGED_FIRES) this.byFid.delete(this.fires.shift()!.fid);
    this.scheduleSave();
  }

  private index(fire: CueFire): void {
    this.fires.push(fire);
    this.byFid.set(fire.fid, fire);
  }

  get(fid: string): CueFire | undefined {
    return this.byFid.get(fid);
  }

  /** Applies a change to a logged fire and returns it (a copy for events). */
  update(fid: string, change: (fire: CueFire) => void): CueFire | undefined {
    const fire = this.byFid.get(fid);
    if (!fire) return undefined;
    change(fire);
    this.scheduleSave();
    return structuredClone(fire);
  }

  /** Newest last. */
  all(): CueFire[] {
    return structuredClone(this.fires);
  }

  /** Fires still waiting for a player's report, oldest first. */
  awaitingSight(): CueFire[] {
    return this.fires.filter((f) => f.status === 'accepted' || f.status === 'unseen');
  }

  clear(): void {
    this.fires.length = 0;
    this.byFid.clear();
    this.scheduleSave();
  }

  private scheduleSave(): void {
    if (!this.document || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.save();
    }, this.saveDelayMs);
  }

  private save(): void {
    try {
      this.document?.save({ version: 1, fires: this.fires });
    } catch (error) {
      log.error('the fire log could not be written', error);
    }
  }

  export(format: CueLogFormat, now = new Date()): CueExport {
    const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
    if (format === 'json') {
      return { filename: `cue-log-${stamp}.json`, mimeType: 'application/json', content: `${JSON.stringify(this.fires, null, 2)}\n` };
    }
    return { filename: `cue-log-${stamp}.csv`, mimeType: 'text/csv', content: fireLogToCsv(this.fires) };
  }

  dispose(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.save();
    }
  }
}

export const CSV_COLUMNS = [
  'seq', 'fid', 'fired_at', 'cue', 'board', 'kind', 'via', 'channel_arn', 'status', 'accepted_at', 'accept_ms',
  'seen_at', 'delivery_ms', 'seen_by', 'attempts', 'throttled', 'bytes', 'error', 'payload',
] as const;

/**
 * RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled; CRLF between rows.
 * Text that a spreadsheet would run as a formula (leading = + - @, tab, CR) gets a leading
 * apostrophe: a cue payload is the producer's text, not a formula to execute on someone's machine.
 */
export function csvField(value: string | number | undefined, kind: 'text' | 'number' = 'text'): string {
  if (value === undefined) return '';
  let text = String(value);
  if (kind === 'text' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function fireLogToCsv(fires: readonly CueFire[]): string {
  const rows = fires.map((f) =>
    [
      csvField(f.seq, 'number'),
      csvField(f.fid),
      csvField(f.firedAt),
      csvField(f.cueName),
      csvField(f.boardId),
      csvField(f.kind),
      csvField(f.via),
      csvField(f.channelArn),
      csvField(f.status),
      csvField(f.acceptedAt),
      csvField(f.acceptMs, 'number'),
      csvField(f.seenAt),
      csvField(f.deliveryMs, 'number'),
      csvField(f.seenBy),
      csvField(f.attempts, 'number'),
      csvField(f.throttled, 'number'),
      csvField(f.bytes, 'number'),
      csvField(f.error ? `${f.error.code}: ${f.error.message}` : undefined),
      csvField(f.payload),
    ].join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
