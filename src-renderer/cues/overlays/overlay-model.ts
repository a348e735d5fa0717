/**
 * From a timed-metadata payload to what a viewer's screen shows. `parseOverlayCue` reads the JSON the
 * cue board's templates send (type + fid + fields) and refuses anything malformed — a payload is
 * untrusted text from the stream; `applyOverlayCue` folds it into the overlay state (one overlay per
 * kind, "clear" removes one or all, a re-sent cue with the same fid changes nothing). Pure: used by
 * the viewer example page and by the preview pane alike.
 */
export type OverlayKind = 'poll' | 'product' | 'quiz' | 'chapter' | 'countdown';

export interface PollCue {
  type: 'poll';
  fid?: string;
  question: string;
  options: string[];
}
export interface ProductCue {
  type: 'product';
  fid?: string;
  title: string;
  price: string;
  /** Only http(s) URLs survive parsing. */
  imageUrl?: string;
  link?: string;
}
export interface QuizCue {
  type: 'quiz';
  fid?: string;
  question: string;
  answers: string[];
  correct?: number;
}
export interface ChapterCue {
  type: 'chapter';
  fid?: string;
  title: string;
}
export interface CountdownCue {
  type: 'countdown';
  fid?: string;
  label: string;
  seconds: number;
  /** Wall clock the countdown reaches zero (ms since the epoch). */
  endsAtMs: number;
}
export interface ClearCue {
  type: 'clear';
  fid?: string;
  target?: OverlayKind;
}

export type OverlayCue = PollCue | ProductCue | QuizCue | ChapterCue | CountdownCue | ClearCue;

export type OverlayState = {
  poll?: PollCue;
  product?: ProductCue;
  quiz?: QuizCue;
  chapter?: ChapterCue;
  countdown?: CountdownCue;
};

const KINDS: readonly OverlayKind[] = ['poll', 'product', 'quiz', 'chapter', 'countdown'];
const MAX_TEXT = 1024;
const MAX_ITEMS = 10;

const str = (value: unknown): string | undefined => (typeof value === 'string' && value.length <= MAX_TEXT ? value : undefined);
const list = (value: unknown): string[] | undefined =>
  Array.isArray(value) && value.length >= 1 && value.length <= MAX_ITEMS && value.every((v) => str(v) !== undefined) ? (value as string[]) : undefined;
const httpUrl = (value: unknown): string | undefined => {
  const text = str(value);
  if (!text) return undefined;
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
};

/** The overlay cue in a payload, or undefined (not JSON, not ours, or malformed). */
export function parseOverlayCue(text: string): OverlayCue | undefined {
  let value: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
    value = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const fid = str(value.fid);
  const withFid = <T extends OverlayCue>(cue: T): T => (fid ? { ...cue, fid } : cue);
  switch (value.type) {
    case 'poll': {
      const question = str(value.question);
      const options = list(value.options);
      return question !== undefined && options ? withFid({ type: 'poll', question, options }) : undefined;
    }
    case 'product': {
      const title = str(value.title);
      if (title === undefined) return undefined;
      const imageUrl = httpUrl(value.imageUrl);
      const link = httpUrl(value.link);
      return withFid({ type: 'product', title, price: str(value.price) ?? '', ...(imageUrl ? { imageUrl } : {}), ...(link ? { link } : {}) });
    }
    case 'quiz': {
      const question = str(value.question);
      const answers = list(value.answers);
      if (question === undefined || !answers) return undefined;
      const correct = typeof value.correct === 'number' && Number.isInteger(value.correct) && value.correct >= 0 && value.correct < answers.length ? value.correct : undefined;
      return withFid({ type: 'quiz', question, answers, ...(correct !== undefined ? { correct } : {}) });
    }
    case 'chapter': {
      const title = str(value.title);
      return title !== undefined ? withFid({ type: 'chapter', title }) : undefined;
    }
    case 'countdown': {
      const endsAtMs = typeof value.endsAt === 'string' ? Date.parse(value.endsAt) : NaN;
      const seconds = typeof value.seconds === 'number' && Number.isFinite(value.seconds) ? value.seconds : undefined;
      if (!Number.isFinite(endsAtMs) || seconds === undefined) return undefined;
      return withFid({ type: 'countdown', label: str(value.label) ?? '', seconds, endsAtMs });
    }
    case 'clear': {
      const target = KINDS.find((k) => k === value.target);
      return withFid({ type: 'clear', ...(target ? { target } : {}) });
    }
    default:
      return undefined;
  }
}

/** The state after a cue; the same object when nothing changed (a re-send of what is shown). */
export function applyOverlayCue(state: OverlayState, cue: OverlayCue): OverlayState {
  if (cue.type === 'clear') {
    if (!cue.target) return Object.keys(state).length === 0 ? state : {};
    if (!state[cue.target]) return state;
    const next = { ...state };
    delete next[cue.target];
    return next;
  }
  const current = state[cue.type];
  if (current && cue.fid && current.fid === cue.fid) return state;
  return { ...state, [cue.type]: cue };
}

/** Drops a countdown that has run out. */
export function expireOverlays(state: OverlayState, nowMs: number): OverlayState {
  if (state.countdown && state.countdown.endsAtMs <= nowMs) {
    const next = { ...state };
    delete next.countdown;
    return next;
  }
  return state;
}

/** "1:05", "0:09". */
export function formatRemaining(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}
