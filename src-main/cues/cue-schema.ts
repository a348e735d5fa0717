/**
 * zod schemas for everything cue-shaped that crosses a transport or lands on disk: cues, boards,
 * settings, fire requests and reports, the boards document and the fire-log document. Shape only;
 * meaning (sizes, variables, hotkeys) is checked by board-rules.ts with messages a producer can act on.
 */
import { z } from 'zod';
import type { Cue, CueBoard, CueFire, CueFireRequest, CueSeenReport, CueSettings, CueTemplate, CueVariable } from '../contract/domains/cues';

const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'ids are 1–64 letters, digits, _ or -');
/** Generous bounds on text: the 1 KB payload limit is what really binds, and it is checked with its own message. */
const text = (max = 4096) => z.string().max(max);
const overlayKind = z.enum(['poll', 'product', 'quiz', 'chapter', 'countdown']);

export const templateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: text() }).strict(),
  z.object({ kind: z.literal('poll'), question: text(), options: z.array(text()).max(50) }).strict(),
  z.object({ kind: z.literal('product'), title: text(), price: text(), imageUrl: text(), link: text() }).strict(),
  z.object({ kind: z.literal('quiz'), question: text(), answers: z.array(text()).max(50), correct: z.number().int().optional() }).strict(),
  z.object({ kind: z.literal('chapter'), title: text() }).strict(),
  z.object({ kind: z.literal('countdown'), label: text(), seconds: z.number() }).strict(),
  z.object({ kind: z.literal('clear'), target: overlayKind.optional() }).strict(),
]) as z.ZodType<CueTemplate>;

export const variableSchema = z
  .object({
    name: text(64),
    type: z.enum(['text', 'number', 'choice']),
    label: text(200).optional(),
    defaultValue: text(),
    options: z.array(text(200)).max(50).optional(),
  })
  .strict() as z.ZodType<CueVariable>;

export const cueSchema = z
  .object({
    id,
    name: z.string().min(1, 'a cue needs a name').max(80),
    color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colours are #rrggbb'),
    hotkey: z.string().max(40).optional(),
    template: templateSchema,
    variables: z.array(variableSchema).max(20),
    burst: z.enum(['queue', 'coalesce', 'reject']),
    lateJoiners: z.boolean(),
  })
  .strict() as z.ZodType<Cue>;

export const boardSchema = z
  .object({
    id,
    name: z.string().min(1, 'a board needs a name').max(80),
    show: z.string().max(80),
    pages: z
      .array(
        z
          .object({
            id,
            name: z.string().min(1, 'a page needs a name').max(80),
            columns: z.number().int().min(1).max(12),
            cues: z.array(cueSchema).max(120),
          })
          .strict(),
      )
      .min(1, 'a board needs at least one page')
      .max(20),
    updatedAt: z.string().optional(),
  })
  .strict() as z.ZodType<CueBoard>;

export const settingsSchema = z
  .object({
    seenTimeoutSeconds: z.number().int().min(2).max(600),
    stateResendSeconds: z.number().int().min(0).max(600),
    globalHotkeys: z.boolean(),
  })
  .strict() as z.ZodType<CueSettings>;

export const settingsPatchSchema = z
  .object({
    seenTimeoutSeconds: z.number().int().min(2).max(600).optional(),
    stateResendSeconds: z.number().int().min(0).max(600).optional(),
    globalHotkeys: z.boolean().optional(),
  })
  .strict() as z.ZodType<Partial<CueSettings>>;

export const DEFAULT_CUE_SETTINGS: CueSettings = { seenTimeoutSeconds: 15, stateResendSeconds: 5, globalHotkeys: false };

export interface CuesDocument {
  version: 1;
  boards: CueBoard[];
  settings: CueSettings;
  /** How often each cue fired (for {{counter}}), kept across restarts. */
  counters: Record<string, number>;
}

export const cuesDocumentSchema = z
  .object({
    version: z.literal(1),
    boards: z.array(boardSchema).max(100),
    settings: settingsSchema,
    counters: z.record(z.string(), z.number().int().min(0)),
  })
  .strict() as z.ZodType<CuesDocument>;

export const fireRequestSchema = z
  .object({
    cueId: id,
    boardId: id.optional(),
    via: z.enum(['button', 'hotkey', 'global-hotkey']).optional(),
    values: z.record(z.string().max(64), text()).optional(),
  })
  .strict() as z.ZodType<CueFireRequest>;

export const seenReportSchema = z
  .object({
    text: z.string().min(1).max(8192),
    shownAt: z.number().finite().min(0),
    player: z.string().max(80).optional(),
  })
  .strict() as z.ZodType<CueSeenReport>;

const errorPayloadSchema = z.object({ code: z.string(), message: z.string(), action: z.string().optional(), fatal: z.boolean(), details: z.string().optional() });

export const fireSchema = z.object({
  fid: z.string(),
  seq: z.number().int(),
  cueId: z.string(),
  cueName: z.string(),
  boardId: z.string(),
  kind: z.enum(['text', 'poll', 'product', 'quiz', 'chapter', 'countdown', 'clear']),
  channelArn: z.string(),
  via: z.enum(['button', 'hotkey', 'global-hotkey', 'remote', 'api']),
  firedAt: z.string(),
  payload: z.string(),
  bytes: z.number().int(),
  status: z.enum(['queued', 'accepted', 'seen', 'unseen', 'failed', 'coalesced']),
  acceptedAt: z.string().optional(),
  acceptMs: z.number().optional(),
  seenAt: z.string().optional(),
  deliveryMs: z.number().optional(),
  seenBy: z.string().optional(),
  attempts: z.number().int(),
  throttled: z.number().int(),
  error: errorPayloadSchema.optional(),
  coalescedInto: z.string().optional(),
}) as unknown as z.ZodType<CueFire>;

export interface FireLogDocument {
  version: 1;
  fires: CueFire[];
}

export const fireLogDocumentSchema = z.object({ version: z.literal(1), fires: z.array(fireSchema) }) as unknown as z.ZodType<FireLogDocument>;
