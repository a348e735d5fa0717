/**
 * Cue → the exact string PutMetadata sends. Template cues become compact JSON with `type` and `fid`
 * (the fire id) first, then their fields with variables filled; free text is sent as written.
 * The size is the UTF-8 byte count of that final string, the unit of IVS's 1 KB limit. Pure.
 */
import { randomBytes } from 'node:crypto';
import { CUE_PAYLOAD_LIMIT_BYTES, type Cue, type CuePayloadPreview, type CueTemplate } from '../contract/domains/cues';
import { fillVariables, resolveValues, undeclaredReferences, variableDeclarationProblems, type FireContext } from './cue-variables';

export const FIRE_ID_LENGTH = 8;
const FIRE_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A short fire id of fixed length (so a preview measures the same size the fire will have). */
export function newFireId(): string {
  const bytes = randomBytes(FIRE_ID_LENGTH);
  let id = '';
  for (const byte of bytes) id += FIRE_ID_ALPHABET[byte % FIRE_ID_ALPHABET.length];
  return id;
}

export const MAX_OPTIONS = 10;
export const MAX_COUNTDOWN_SECONDS = 24 * 60 * 60;

export function payloadBytes(payload: string): number {
  return Buffer.byteLength(payload, 'utf8');
}

/** The texts of a template in which `{{variables}}` may appear. */
export function templateTexts(template: CueTemplate): string[] {
  switch (template.kind) {
    case 'text':
      return [template.text];
    case 'poll':
      return [template.question, ...template.options];
    case 'product':
      return [template.title, template.price, template.imageUrl, template.link];
    case 'quiz':
      return [template.question, ...template.answers];
    case 'chapter':
      return [template.title];
    case 'countdown':
      return [template.label];
    case 'clear':
      return [];
  }
}

/** The payload this fire sends. */
export function renderPayload(template: CueTemplate, context: FireContext): string {
  const fill = (text: string) => fillVariables(text, context);
  const head = { type: template.kind, fid: context.fid };
  switch (template.kind) {
    case 'text':
      return fill(template.text);
    case 'poll':
      return JSON.stringify({ ...head, question: fill(template.question), options: template.options.map(fill) });
    case 'product':
      return JSON.stringify({ ...head, title: fill(template.title), price: fill(template.price), imageUrl: fill(template.imageUrl), link: fill(template.link) });
    case 'quiz':
      return JSON.stringify({ ...head, question: fill(template.question), answers: template.answers.map(fill), ...(template.correct !== undefined ? { correct: template.correct } : {}) });
    case 'chapter':
      return JSON.stringify({ ...head, title: fill(template.title) });
    case 'countdown':
      return JSON.stringify({ ...head, label: fill(template.label), seconds: template.seconds, endsAt: new Date(context.now.getTime() + template.seconds * 1000).toISOString() });
    case 'clear':
      return JSON.stringify({ ...head, ...(template.target ? { target: template.target } : {}) });
  }
}

/** What is wrong with the template's fields, apart from size (checked on the rendered payload). */
export function templateProblems(template: CueTemplate): string[] {
  const problems: string[] = [];
  const blank = (text: string) => text.trim() === '';
  const list = (what: string, items: readonly string[]) => {
    if (items.length < 2) problems.push(`a ${what === 'options' ? 'poll' : 'quiz'} needs at least 2 ${what}`);
    if (items.length > MAX_OPTIONS) problems.push(`at most ${MAX_OPTIONS} ${what}`);
    items.forEach((item, i) => blank(item) && problems.push(`${what.slice(0, -1)} ${i + 1} is empty`));
  };
  switch (template.kind) {
    case 'text':
      if (template.text === '') problems.push('the text is empty (IVS refuses empty metadata)');
      break;
    case 'poll':
      if (blank(template.question)) problems.push('the poll question is empty');
      list('options', template.options);
      break;
    case 'product':
      if (blank(template.title)) problems.push('the product title is empty');
      for (const [field, value] of [['image URL', template.imageUrl], ['link', template.link]] as const) {
        if (value !== '' && !/^https?:\/\/\S+$/i.test(value) && !/\{\{/.test(value)) problems.push(`the ${field} must start with http:// or https://`);
      }
      break;
    case 'quiz':
      if (blank(template.question)) problems.push('the quiz question is empty');
      list('answers', template.answers);
      if (template.correct !== undefined && (!Number.isInteger(template.correct) || template.correct < 0 || template.correct >= template.answers.length)) {
        problems.push(`the correct answer must be one of 1–${template.answers.length}`);
      }
      break;
    case 'chapter':
      if (blank(template.title)) problems.push('the chapter title is empty');
      break;
    case 'countdown':
      if (!Number.isInteger(template.seconds) || template.seconds < 1 || template.seconds > MAX_COUNTDOWN_SECONDS) {
        problems.push(`the countdown must be 1–${MAX_COUNTDOWN_SECONDS} whole seconds`);
      }
      break;
    case 'clear':
      break;
  }
  if (templateTexts(template).some(hasLoneSurrogate)) problems.push('the text contains a broken Unicode character (a lone surrogate)');
  return problems;
}

/** UTF-8 cannot carry a lone surrogate: it would be sent as U+FFFD, not as written. */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Everything wrong with a cue before it can be saved, except size. */
export function cueProblems(cue: Pick<Cue, 'template' | 'variables'>): string[] {
  const undeclared = undeclaredReferences(templateTexts(cue.template), cue.variables);
  return [
    ...templateProblems(cue.template),
    ...variableDeclarationProblems(cue.variables),
    ...undeclared.map((name) => `{{${name}}} is not a variable of this cue (declare it, or use {{now}}, {{counter}} or {{fid}})`),
  ];
}

/**
 * The payload the cue sends on its next fire (defaults for typed values), measured. The fire id has
 * its fixed length and `now` its fixed ISO width, so the size is exactly the size of that fire.
 */
export function previewPayload(cue: Pick<Cue, 'template' | 'variables'>, options: { counter: number; now?: Date }): CuePayloadPreview {
  const problems = cueProblems(cue);
  const { values, problems: valueProblems } = resolveValues(cue.variables);
  for (const p of valueProblems) if (!problems.some((q) => q.endsWith(p))) problems.push(p);
  const payload = renderPayload(cue.template, { fid: 'f'.padEnd(FIRE_ID_LENGTH, '0'), now: options.now ?? new Date(), counter: options.counter, values });
  const bytes = payloadBytes(payload);
  return { payload, bytes, limitBytes: CUE_PAYLOAD_LIMIT_BYTES, overBy: Math.max(0, bytes - CUE_PAYLOAD_LIMIT_BYTES), problems };
}

/** "1,025 bytes, 1 byte over IVS's 1,024-byte limit" — the refusal's wording, shared by save and fire. */
export function describeOversize(bytes: number): string {
  const over = bytes - CUE_PAYLOAD_LIMIT_BYTES;
  return `${bytes.toLocaleString('en-US')} bytes, ${over.toLocaleString('en-US')} byte${over === 1 ? '' : 's'} over IVS's ${CUE_PAYLOAD_LIMIT_BYTES.toLocaleString('en-US')}-byte limit`;
}
