/**
 * The `cues:*` API. Arguments are re-validated here with zod whatever the renderer checked. The
 * handlers a remote producer's tablet needs (state, fire, arm, sightings, the log) are open to
 * 'cues' rights; editing boards and settings stays with the operator ('full').
 */
import { z } from 'zod';
import type { CuesRequests } from '../contract/domains/cues';
import type { Disposable } from '../core/disposable';
import type { ApiRouter, HandlerMap } from '../engine/api-router';
import { noArgs } from '../engine/api-router';
import { boardSchema, cueSchema, fireRequestSchema, seenReportSchema, settingsPatchSchema } from './cue-schema';
import type { CuesService } from './cues-service';

const boardId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a board id');
/** An exported board is a few hundred KB at most (20 pages × 120 cues × ≤1 KB). */
const MAX_IMPORT_CHARS = 4 * 1024 * 1024;

export function cuesHandlers(cues: CuesService): HandlerMap<keyof CuesRequests> {
  return {
    'cues:get-state': { args: noArgs, rights: 'cues', handle: () => cues.getState() },
    'cues:save-board': { args: z.tuple([boardSchema]) as never, handle: (_ctx, board) => cues.saveBoard(board) },
    'cues:delete-board': { args: z.tuple([boardId]) as never, handle: (_ctx, id) => cues.deleteBoard(id) },
    'cues:import-board': { args: z.tuple([z.string().min(1).max(MAX_IMPORT_CHARS)]) as never, handle: (_ctx, json) => cues.importBoard(json) },
    'cues:export-board': { args: z.tuple([boardId]) as never, handle: (_ctx, id) => cues.exportBoard(id) },
    'cues:preview-payload': { args: z.tuple([cueSchema]) as never, handle: (_ctx, cue) => cues.previewPayload(cue) },
    'cues:update-settings': { args: z.tuple([settingsPatchSchema]) as never, handle: (_ctx, patch) => cues.updateSettings(patch) },
    'cues:set-armed': { args: z.tuple([z.boolean()]) as never, rights: 'cues', handle: (_ctx, armed) => cues.setArmed(armed) },
    'cues:fire': {
      args: z.tuple([fireRequestSchema]) as never,
      rights: 'cues',
      // A tablet's fire is recorded as remote whatever it claims.
      handle: (ctx, request) => cues.fire(request, ctx.rights === 'cues' ? 'remote' : (request.via ?? 'api')),
    },
    'cues:report-seen': { args: z.tuple([seenReportSchema]) as never, rights: 'cues', handle: (_ctx, report) => cues.reportSeen(report) },
    'cues:get-log': { args: noArgs, rights: 'cues', handle: () => cues.getLog() },
    'cues:export-log': { args: z.tuple([z.enum(['csv', 'json'])]) as never, rights: 'cues', handle: (_ctx, format) => cues.exportLog(format) },
    'cues:clear-log': { args: noArgs, handle: () => cues.clearLog() },
  };
}

/** Registers the handlers and forwards the cue board's events to every transport. */
export function registerCues(router: ApiRouter, cues: CuesService): Disposable[] {
  router.register(cuesHandlers(cues));
  return [cues.onDidChangeState((state) => router.emit('cues:state-changed', state)), cues.onFireUpdated((fire) => router.emit('cues:fire-updated', fire))];
}
