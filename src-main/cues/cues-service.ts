/**
 * The cue board's engine side: boards and settings (a JSON document in the data dir), the armed
 * switch, firing (validate → target → live? → render → size → per-channel queue), the lifecycle of
 * every fire (queued → accepted → seen | unseen | failed | coalesced), players' sightings matched to
 * fires, late-joiner re-sends within the rate budget, and the fire log.
 *
 * Fires are serialised: two presses resolve, check and enqueue one after the other, so the log and
 * the stream carry them in the order they were pressed.
 */
import * as path from 'node:path';
import {
  CUE_PAYLOAD_LIMIT_BYTES,
  type Cue,
  type CueBoard,
  type CueExport,
  type CueFire,
  type CueFireRequest,
  type CueFireVia,
  type CueLogFormat,
  type CuePayloadPreview,
  type CueSeenReport,
  type CueSeenResult,
  type CueSettings,
  type CuesState,
  type CueTargetInfo,
} from '../contract/domains/cues';
import type { StudioErrorPayload } from '../contract/errors';
import { DisposableBase } from '../core/disposable';
import { JsonDocument, corruptDocumentError } from '../core/documents';
import { Emitter } from '../core/emitter';
import { createLogger } from '../core/logger';
import { StudioError } from '../core/studio-error';
import { checkBoard } from './board-rules';
import { describeOversize, hasLoneSurrogate, newFireId, payloadBytes, previewPayload, renderPayload } from './cue-payload';
import { DEFAULT_CUE_SETTINGS, boardSchema, cuesDocumentSchema, type CuesDocument } from './cue-schema';
import { CueTargetResolver, type CueChannelPort, type CueTargetOptions } from './cue-target';
import { resolveValues } from './cue-variables';
import { defaultBoard } from './default-board';
import { ChannelFireQueue, type QueueItemEvents, type RetryOptions } from './fire-queue';
import { FireLog } from './fire-log';
import { LateJoinerState } from './late-joiner-state';
import { RateBudget } from './rate-budget';
import { matchReportedPayload } from './seen-matcher';

const log = createLogger('cues');

export const BOARD_EXPORT_FORMAT = 'ivs-studio-cue-board';

export interface CuesServiceOptions {
  /** Where boards and the fire log live; undefined keeps everything in memory (tests). */
  dataDir?: string;
  channels: CueChannelPort;
  retry?: Partial<RetryOptions>;
  /** Safety margin of the rate budget (ms added to each second). */
  budgetMarginMs?: number;
  target?: CueTargetOptions;
  /** Liveness re-check while armed, ms (0: only on fire). */
  livenessPollMs?: number;
  /** How often the late-joiner loop looks for due re-sends, ms. */
  resendTickMs?: number;
  now?: () => number;
}

export class CuesService extends DisposableBase {
  private readonly document: JsonDocument<CuesDocument> | undefined;
  private doc: CuesDocument;
  readonly loadError?: StudioError;
  private armed = false;
  private readonly fireLog: FireLog;
  private readonly queues = new Map<string, ChannelFireQueue>();
  /** cue id → its latest fire. */
  private readonly latest = new Map<string, CueFire>();
  private readonly seenTimers = new Map<string, NodeJS.Timeout>();
  private readonly lateJoiners = new LateJoinerState();
  private readonly resolver: CueTargetResolver;
  private target: CueTargetInfo | undefined;
  private targetError: StudioErrorPayload | undefined;
  private fireChain: Promise<unknown> = Promise.resolve();
  private stateTimer: NodeJS.Timeout | undefined;
  private counterTimer: NodeJS.Timeout | undefined;
  private resendTimer: NodeJS.Timeout | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  private readonly now: () => number;
  private readonly stateEmitter = this.register(new Emitter<CuesState>());
  private readonly fireEmitter = this.register(new Emitter<CueFire>());
  readonly onDidChangeState = this.stateEmitter.event;
  readonly onFireUpdated = this.fireEmitter.event;

  constructor(private readonly options: CuesServiceOptions) {
    super();
    this.now = options.now ?? (() => Date.now());
    this.resolver = new CueTargetResolver(options.channels, { now: this.now, ...options.target });
    const fresh = (): CuesDocument => ({ version: 1, boards: [defaultBoard()], settings: { ...DEFAULT_CUE_SETTINGS }, counters: {} });
    if (options.dataDir) {
      this.document = new JsonDocument(path.join(options.dataDir, 'cue-boards.json'), cuesDocumentSchema, fresh);
      const loaded = this.document.load();
      this.doc = loaded.value;
      if (loaded.recovered) this.loadError = corruptDocumentError(this.document.file, loaded.recovered);
    } else {
      this.doc = fresh();
    }
    this.fireLog = new FireLog(options.dataDir);
    for (const fire of this.fireLog.all()) this.latest.set(fire.cueId, fire);
    this.register({ dispose: () => this.shutdown() });
  }

  // ------------------------------------------------------------------ state

  getState(): CuesState {
    const state: CuesState = {
      boards: structuredClone(this.doc.boards),
      armed: this.armed,
      settings: { ...this.doc.settings },
      latest: Object.fromEntries([...this.latest].map(([id, fire]) => [id, structuredClone(fire)])),
      lateJoinerState: this.lateJoiners.items(),
      queued: [...this.queues.values()].reduce((n, q) => n + q.waiting, 0),
      limitBytes: CUE_PAYLOAD_LIMIT_BYTES,
    };
    if (this.target) state.target = { ...this.target };
    if (this.targetError) state.targetError = { ...this.targetError };
    return state;
  }

  /** Coalesces bursts of changes into one event. */
  private scheduleState(): void {
    if (this.disposed || this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.stateEmitter.fire(this.getState());
    }, 30);
  }

  /** Re-resolves the target (after go-live or Channel changes); `checkLive` also asks IVS. */
  async refreshTarget(checkLive = false): Promise<void> {
    try {
      const target = await this.resolver.resolve();
      if (checkLive) await this.resolver.isLive(target);
      this.setTarget(target.info, undefined);
    } catch (error) {
      this.setTarget(undefined, (error instanceof StudioError ? error : new StudioError('INTERNAL', { details: String(error) })).toPayload());
    }
  }

  private setTarget(target: CueTargetInfo | undefined, error: StudioErrorPayload | undefined): void {
    const before = JSON.stringify([this.target, this.targetError]);
    this.target = target;
    this.targetError = error;
    if (JSON.stringify([this.target, this.targetError]) !== before) this.scheduleState();
  }

  // ------------------------------------------------------------------ boards

  saveBoard(input: CueBoard): CueBoard {
    const board = structuredClone(input);
    const others = this.doc.boards.filter((b) => b.id !== board.id);
    const taken = new Map(others.flatMap((b) => b.pages.flatMap((p) => p.cues.map((c) => [c.id, `${c.name}" on board "${b.name}`] as const))));
    for (const page of board.pages) {
      for (const cue of page.cues) {
        const clash = taken.get(cue.id);
        if (clash) throw new StudioError('DOCUMENT_INVALID', { message: `Cue "${cue.name}" has the same id as cue "${clash}"; cue ids are unique across boards.` });
      }
    }
    checkBoard(board, { nextCounter: (cueId) => this.nextCounter(cueId) });
    board.updatedAt = new Date(this.now()).toISOString();
    const index = this.doc.boards.findIndex((b) => b.id === board.id);
    const boards = [...this.doc.boards];
    if (index >= 0) boards[index] = board;
    else boards.push(board);
    this.saveDocument({ ...this.doc, boards });
    log.info(`board "${board.name}" saved (${board.pages.reduce((n, p) => n + p.cues.length, 0)} cues)`);
    return structuredClone(board);
  }

  deleteBoard(boardId: string): void {
    const board = this.board(boardId);
    this.saveDocument({ ...this.doc, boards: this.doc.boards.filter((b) => b.id !== board.id) });
  }

  importBoard(json: string): CueBoard {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new StudioError('DOCUMENT_INVALID', { message: `The file is not JSON (${(error as Error).message}).`, action: 'Import a board exported from the cue board.' });
    }
    const wrapped = parsed as { format?: unknown; board?: unknown } | null;
    if (wrapped && typeof wrapped === 'object' && 'format' in wrapped && wrapped.format !== BOARD_EXPORT_FORMAT) {
      throw new StudioError('DOCUMENT_INVALID', { message: `The file is a "${String(wrapped.format).slice(0, 60)}" document, not a cue board.` });
    }
    const candidate = wrapped && typeof wrapped === 'object' && 'board' in wrapped ? wrapped.board : parsed;
    const result = boardSchema.safeParse(candidate);
    if (!result.success) {
      const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'board'}: ${i.message}`);
      throw new StudioError('DOCUMENT_INVALID', { message: `The board cannot be imported: ${problems.join('; ')}.` });
    }
    const board = result.data;
    // Importing next to the original (or twice) must not overwrite it: colliding ids are renewed.
    if (this.doc.boards.some((b) => b.id === board.id)) {
      board.id = uniqueId(board.id, new Set(this.doc.boards.map((b) => b.id)));
      board.name = `${board.name} (imported)`;
    }
    const used = new Set(this.doc.boards.flatMap((b) => b.pages.flatMap((p) => p.cues.map((c) => c.id))));
    for (const page of board.pages) {
      for (const cue of page.cues) {
        if (used.has(cue.id)) cue.id = uniqueId(cue.id, used);
        used.add(cue.id);
      }
    }
    return this.saveBoard(board);
  }

  exportBoard(boardId: string): CueExport {
    const board = this.board(boardId);
    const slug = board.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'board';
    return {
      filename: `cue-board-${slug}.json`,
      mimeType: 'application/json',
      content: `${JSON.stringify({ format: BOARD_EXPORT_FORMAT, version: 1, exportedAt: new Date(this.now()).toISOString(), board }, null, 2)}\n`,
    };
  }

  previewPayload(cue: Cue): CuePayloadPreview {
    return previewPayload(cue, { counter: this.nextCounter(cue.id), now: new Date(this.now()) });
  }

  updateSettings(patch: Partial<CueSettings>): CueSettings {
    this.saveDocument({ ...this.doc, settings: { ...this.doc.settings, ...patch } });
    this.ensureResendTimer();
    return { ...this.doc.settings };
  }

  setArmed(armed: boolean): boolean {
    if (this.armed === armed) return armed;
    this.armed = armed;
    log.info(armed ? 'cue board armed' : 'cue board disarmed');
    if (armed) {
      void this.refreshTarget(true);
      const every = this.options.livenessPollMs ?? 5_000;
      if (every > 0) this.livenessTimer = setInterval(() => void this.refreshTarget(true), every);
    } else if (this.livenessTimer) {
      clearInterval(this.livenessTimer);
      this.livenessTimer = undefined;
    }
    this.scheduleState();
    return armed;
  }

  private board(boardId: string): CueBoard {
    const board = this.doc.boards.find((b) => b.id === boardId);
    if (!board) throw new StudioError('NOT_FOUND', { message: `There is no cue board "${boardId}".` });
    return board;
  }

  private nextCounter(cueId: string): number {
    return (this.doc.counters[cueId] ?? 0) + 1;
  }

  private saveDocument(next: CuesDocument): void {
    this.document?.save(next);
    this.doc = next;
    this.scheduleState();
  }

  // ------------------------------------------------------------------ firing

  fire(request: CueFireRequest, via: CueFireVia): Promise<CueFire> {
    const run = this.fireChain.then(() => this.fireNow(request, via));
    this.fireChain = run.catch(() => undefined);
    return run;
  }

  private findCue(request: CueFireRequest): { board: CueBoard; cue: Cue } {
    for (const board of this.doc.boards) {
      if (request.boardId && board.id !== request.boardId) continue;
      for (const page of board.pages) {
        const cue = page.cues.find((c) => c.id === request.cueId);
        if (cue) return { board, cue };
      }
    }
    throw new StudioError('NOT_FOUND', { message: `There is no cue "${request.cueId}"${request.boardId ? ` on board "${request.boardId}"` : ''}.` });
  }

  private async fireNow(request: CueFireRequest, via: CueFireVia): Promise<CueFire> {
    if (this.disposed) throw new StudioError('INTERNAL', { message: 'The studio is stopping.' });
    const { board, cue } = this.findCue(request);
    if (!this.armed) {
      throw new StudioError('CUES_DISARMED', { message: `The cue board is disarmed: "${cue.name}" was not sent.`, action: 'Switch "Armed" on to fire cues.' });
    }
    const { values, problems } = resolveValues(cue.variables, request.values);
    if (problems.length > 0) throw new StudioError('BAD_REQUEST', { message: `"${cue.name}" was not sent: ${problems.join('; ')}.` });

    const target = await this.resolver.resolve();
    const live = await this.resolver.isLive(target);
    this.setTarget(target.info, undefined);
    if (!live) {
      const stream = this.options.channels.stream();
      const elsewhere = (stream?.state === 'live' || stream?.state === 'reconnecting') && !stream.target?.channelArn;
      throw new StudioError('NOT_LIVE', {
        message: `"${cue.name}" was not sent: ${target.info.label} is not live, and IVS only accepts timed metadata during a live stream.`,
        action: elsewhere
          ? `The studio is streaming to ${stream.target?.label ?? 'a custom RTMP target'}, which cannot carry IVS timed metadata: stream to an IVS channel to use cues.`
          : 'Go live first (Go Live, or start your encoder on this channel); cues fired now would reach no viewer.',
      });
    }

    const counter = this.nextCounter(cue.id);
    const fid = newFireId();
    const firedAt = this.now();
    const payload = renderPayload(cue.template, { fid, now: new Date(firedAt), counter, values });
    const bytes = payloadBytes(payload);
    if (bytes > CUE_PAYLOAD_LIMIT_BYTES) {
      throw new StudioError('METADATA_TOO_LARGE', { message: `"${cue.name}" was not sent: with these values its payload is ${describeOversize(bytes)}.`, action: 'Use shorter values.' });
    }
    if (hasLoneSurrogate(payload)) throw new StudioError('BAD_REQUEST', { message: `"${cue.name}" was not sent: a value contains a broken Unicode character.` });

    const queue = this.queueFor(target.info);
    const result = queue.enqueue({ id: fid, cueId: cue.id, payload, burst: cue.burst, events: this.fireEvents(fid, cue) });
    if (result.outcome === 'rejected') {
      throw new StudioError('CUE_BURST_REJECTED', {
        message: `"${cue.name}" was not sent again: its previous fire (${result.waitingId}) is still waiting for its turn, and this cue refuses repeats.`,
      });
    }
    // Logged synchronously after enqueue: the queue reports nothing before the next timer tick.
    const fire: CueFire = {
      fid,
      seq: this.fireLog.nextSeq(),
      cueId: cue.id,
      cueName: cue.name,
      boardId: board.id,
      kind: cue.template.kind,
      channelArn: target.info.channelArn,
      via,
      firedAt: new Date(firedAt).toISOString(),
      payload,
      bytes,
      status: 'queued',
      attempts: 0,
      throttled: 0,
    };
    this.fireLog.add(fire);
    this.doc.counters[cue.id] = counter;
    this.scheduleCounterSave();
    this.publishFire(structuredClone(fire));
    return structuredClone(fire);
  }

  private queueFor(target: CueTargetInfo): ChannelFireQueue {
    let queue = this.queues.get(target.channelArn);
    if (!queue) {
      const { accountId, channelArn } = target;
      queue = new ChannelFireQueue({
        channelArn,
        // The account's IvsService is asked for at send time: it is rebuilt when its credentials change.
        send: async (payload) => (await this.options.channels.ivsFor(accountId)).putMetadata(channelArn, payload),
        budget: new RateBudget({ now: this.now, marginMs: this.options.budgetMarginMs }),
        retry: this.options.retry,
        now: this.now,
      });
      this.queues.set(channelArn, queue);
    }
    return queue;
  }

  private fireEvents(fid: string, cue: Cue): QueueItemEvents {
    return {
      attempt: (attempt) => void this.fireLog.update(fid, (f) => (f.attempts = attempt)),
      throttled: (count) => void this.fireLog.update(fid, (f) => (f.throttled = count)),
      accepted: (atMs) => {
        const fire = this.fireLog.update(fid, (f) => {
          f.acceptedAt = new Date(atMs).toISOString();
          f.acceptMs = atMs - Date.parse(f.firedAt);
          // A player may have reported it already (its answer raced ours): seen stays seen.
          if (f.status === 'queued') f.status = 'accepted';
        });
        if (!fire) return;
        this.resolver.noteLiveness(fire.channelArn, true);
        if (this.lateJoiners.apply({ fid, cueId: cue.id, cueName: cue.name, channelArn: fire.channelArn, template: cue.template, lateJoiners: cue.lateJoiners, payload: fire.payload }, atMs)) {
          this.ensureResendTimer();
        }
        if (fire.status === 'accepted') this.startSeenTimer(fid);
        this.publishFire(fire);
      },
      failed: (error) => {
        const fire = this.fireLog.update(fid, (f) => {
          f.status = 'failed';
          f.error = error.toPayload();
        });
        if (!fire) return;
        if (error.code === 'NOT_LIVE') {
          this.resolver.noteLiveness(fire.channelArn, false);
          if (this.target?.channelArn === fire.channelArn) this.setTarget({ ...this.target, live: false, checkedAt: new Date(this.now()).toISOString() }, undefined);
        }
        log.warn(`cue "${cue.name}" (${fid}) failed: ${error.code}: ${error.message}`);
        this.publishFire(fire);
      },
      coalesced: (byId) => {
        const fire = this.fireLog.update(fid, (f) => {
          f.status = 'coalesced';
          f.coalescedInto = byId;
        });
        if (fire) this.publishFire(fire);
      },
    };
  }

  private publishFire(fire: CueFire): void {
    const current = this.latest.get(fire.cueId);
    if (!current || current.seq <= fire.seq) this.latest.set(fire.cueId, fire);
    this.fireEmitter.fire(fire);
    this.scheduleState();
  }

  private startSeenTimer(fid: string): void {
    const timer = setTimeout(() => {
      this.seenTimers.delete(fid);
      const fire = this.fireLog.update(fid, (f) => {
        if (f.status === 'accepted') f.status = 'unseen';
      });
      if (fire?.status === 'unseen') this.publishFire(fire);
    }, this.doc.settings.seenTimeoutSeconds * 1000);
    this.seenTimers.set(fid, timer);
  }

  // ------------------------------------------------------------------ sightings

  reportSeen(report: CueSeenReport): CueSeenResult {
    const now = this.now();
    if (Math.abs(report.shownAt - now) > 24 * 60 * 60 * 1000) {
      throw new StudioError('BAD_REQUEST', { message: 'shownAt must be the wall clock (ms since 1970) at which the player showed the cue.' });
    }
    const match = matchReportedPayload(report.text, { byFid: (fid) => this.fireLog.get(fid), awaitingSight: () => this.fireLog.awaitingSight() });
    if (!match || match.status === 'coalesced') return { matched: false };
    if (match.status === 'seen') return { matched: true, fid: match.fid, ...(match.deliveryMs !== undefined ? { deliveryMs: match.deliveryMs } : {}), duplicate: true };
    const fire = this.fireLog.update(match.fid, (f) => {
      f.status = 'seen';
      f.seenAt = new Date(report.shownAt).toISOString();
      f.deliveryMs = Math.round(report.shownAt - Date.parse(f.firedAt));
      f.seenBy = report.player ?? 'player';
      // Seen proves delivery, whatever our side concluded (a timed-out call IVS did take).
      delete f.error;
    })!;
    const timer = this.seenTimers.get(fire.fid);
    if (timer) clearTimeout(timer);
    this.seenTimers.delete(fire.fid);
    this.publishFire(fire);
    return { matched: true, fid: fire.fid, deliveryMs: fire.deliveryMs! };
  }

  // ------------------------------------------------------------------ late joiners

  private ensureResendTimer(): void {
    const wanted = this.doc.settings.stateResendSeconds > 0 && this.lateJoiners.items().length > 0 && !this.disposed;
    if (wanted && !this.resendTimer) {
      this.resendTimer = setInterval(() => this.resendDue(), this.options.resendTickMs ?? 1_000);
    } else if (!wanted && this.resendTimer) {
      clearInterval(this.resendTimer);
      this.resendTimer = undefined;
    }
    this.scheduleState();
  }

  /** At most one re-send per tick, and only with tokens to spare: late joiners never delay a fire. */
  private resendDue(): void {
    const now = this.now();
    if (this.lateJoiners.expire(now)) this.scheduleState();
    const target = this.target;
    if (!target || target.live === false) return this.ensureResendTimer();
    const queue = this.queueFor(target);
    if (!queue.hasSpareBudget()) return;
    const [due] = this.lateJoiners.due(target.channelArn, now, this.doc.settings.stateResendSeconds * 1000);
    if (!due) return this.ensureResendTimer();
    this.lateJoiners.markResent(due.kind, due.fid, now);
    queue.enqueue({
      id: `resend-${due.fid}`,
      payload: due.payload,
      lowPriority: true,
      events: {
        accepted: () => this.scheduleState(),
        failed: (error) => {
          if (error.code === 'NOT_LIVE') this.resolver.noteLiveness(target.channelArn, false);
          log.info(`late-joiner re-send of ${due.fid} failed: ${error.code}`);
        },
      },
    });
  }

  // ------------------------------------------------------------------ log

  getLog(): CueFire[] {
    return this.fireLog.all();
  }

  exportLog(format: CueLogFormat): CueExport {
    return this.fireLog.export(format, new Date(this.now()));
  }

  clearLog(): void {
    this.fireLog.clear();
    this.latest.clear();
    this.scheduleState();
  }

  /** Resolves when every queue is idle (tests, benchmarks). */
  async whenIdle(): Promise<void> {
    await this.fireChain;
    await Promise.all([...this.queues.values()].map((q) => q.whenIdle()));
  }

  private scheduleCounterSave(): void {
    if (!this.document || this.counterTimer) return;
    this.counterTimer = setTimeout(() => {
      this.counterTimer = undefined;
      this.saveCounters();
    }, 1_000);
  }

  private saveCounters(): void {
    try {
      this.document?.save(this.doc);
    } catch (error) {
      log.error('the cue counters could not be saved', error);
    }
  }

  private shutdown(): void {
    this.disposed = true;
    for (const queue of this.queues.values()) queue.dispose();
    this.queues.clear();
    for (const timer of this.seenTimers.values()) clearTimeout(timer);
    this.seenTimers.clear();
    for (const timer of [this.stateTimer, this.resendTimer, this.livenessTimer]) if (timer) clearTimeout(timer);
    this.stateTimer = this.resendTimer = this.livenessTimer = undefined;
    if (this.counterTimer) {
      clearTimeout(this.counterTimer);
      this.counterTimer = undefined;
      this.saveCounters();
    }
    this.fireLog.dispose();
  }
}

function uniqueId(base: string, taken: Set<string>): string {
  const stem = base.slice(0, 56);
  for (let n = 2; ; n++) {
    const candidate = `${stem}-${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}
