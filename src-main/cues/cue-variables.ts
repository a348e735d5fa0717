/**
 * Variables in cue text: `{{name}}`, filled at fire time. Built-ins (`now`, `counter`, `fid`) come
 * from the fire itself; typed variables are declared on the cue and take the value the fire gives, or
 * their default. Pure: the clock and the counter are inputs.
 */
import type { CueVariable } from '../contract/domains/cues';

export const BUILT_IN_VARIABLES = ['now', 'counter', 'fid'] as const;
export type BuiltInVariable = (typeof BUILT_IN_VARIABLES)[number];

/** `{{ name }}`: letters, digits, `_` and `-`, optional spaces inside the braces. */
const REFERENCE = /\{\{\s*([A-Za-z][A-Za-z0-9_-]*)\s*\}\}/g;
export const VARIABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;

/** What a fire fills in. */
export interface FireContext {
  fid: string;
  /** Wall clock of the fire. */
  now: Date;
  /** This fire's number for the cue, from 1. */
  counter: number;
  /** Typed values by name, as given (validated by `resolveValues`). */
  values: Record<string, string>;
}

export function referencedVariables(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1]!);
}

export function isBuiltIn(name: string): name is BuiltInVariable {
  return (BUILT_IN_VARIABLES as readonly string[]).includes(name);
}

/** Why a value does not fit its variable, or undefined when it does. */
export function valueProblem(variable: CueVariable, value: string): string | undefined {
  switch (variable.type) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? undefined : `"${variable.name}" must be a number, not "${truncate(value)}"`;
    case 'choice':
      return (variable.options ?? []).includes(value) ? undefined : `"${variable.name}" must be one of ${(variable.options ?? []).map((o) => `"${o}"`).join(', ')}, not "${truncate(value)}"`;
    case 'text':
      return undefined;
  }
}

/** Problems with the declarations themselves (names, defaults, options). */
export function variableDeclarationProblems(variables: readonly CueVariable[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const variable of variables) {
    if (!VARIABLE_NAME.test(variable.name)) problems.push(`"${truncate(variable.name)}" is not a variable name (a letter, then letters, digits, _ or -; up to 32)`);
    else if (isBuiltIn(variable.name)) problems.push(`"${variable.name}" is built in; choose another name`);
    else if (seen.has(variable.name)) problems.push(`the variable "${variable.name}" is declared twice`);
    seen.add(variable.name);
    if (variable.type === 'choice' && (variable.options ?? []).length === 0) problems.push(`the choice "${variable.name}" has no options`);
    const problem = valueProblem(variable, variable.defaultValue);
    if (problem) problems.push(`default of ${problem}`);
  }
  return problems;
}

/** Every `{{name}}` in the texts must be built in or declared. */
export function undeclaredReferences(texts: readonly string[], variables: readonly CueVariable[]): string[] {
  const declared = new Set(variables.map((v) => v.name));
  const missing = new Set<string>();
  for (const text of texts) for (const name of referencedVariables(text)) if (!isBuiltIn(name) && !declared.has(name)) missing.add(name);
  return [...missing];
}

/**
 * The values a fire uses: given ones checked against their type, defaults for the rest, with the
 * list of problems (unknown names, wrong types) so the caller can refuse the fire naming them.
 */
export function resolveValues(variables: readonly CueVariable[], given: Record<string, string> = {}): { values: Record<string, string>; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, string> = {};
  const declared = new Map(variables.map((v) => [v.name, v]));
  for (const name of Object.keys(given)) if (!declared.has(name)) problems.push(`the cue has no variable "${truncate(name)}"`);
  for (const variable of variables) {
    const value = Object.prototype.hasOwnProperty.call(given, variable.name) ? given[variable.name]! : variable.defaultValue;
    const problem = valueProblem(variable, value);
    if (problem) problems.push(problem);
    values[variable.name] = variable.type === 'number' ? String(Number(value)) : value;
  }
  return { values, problems };
}

/** Replaces every reference; an unknown name stays as written (saving refuses those first). */
export function fillVariables(text: string, context: FireContext): string {
  return text.replace(REFERENCE, (whole, name: string) => {
    switch (name) {
      case 'now':
        return context.now.toISOString();
      case 'counter':
        return String(context.counter);
      case 'fid':
        return context.fid;
      default:
        return Object.prototype.hasOwnProperty.call(context.values, name) ? context.values[name]! : whole;
    }
  });
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
