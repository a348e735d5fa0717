/**
 * Input validation as IVS (a Coral service) reports it: every constraint from the service model
 * (required, length, pattern, range, enum, list/map size), messages in Coral's wording, e.g.
 * `1 validation error detected: Value 'x!' at 'name' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: [a-zA-Z0-9-_]*`. Unknown members and wrong JSON types are refused too
 * (as ValidationException, so a client typo never silently does something else). Pure.
 */

export type Shape =
  | { kind: 'string'; min?: number; max?: number; pattern?: string; enum?: readonly string[]; sensitive?: boolean; maxBytes?: number }
  | { kind: 'boolean' }
  | { kind: 'integer'; min?: number; max?: number }
  | { kind: 'list'; member: Shape; min?: number; max?: number }
  | { kind: 'map'; key: Shape; value: Shape; min?: number; max?: number }
  | StructureShape;

export interface StructureShape {
  kind: 'structure';
  members: Record<string, Shape>;
  required?: readonly string[];
}

export interface ValidationProblem {
  path: string;
  message: string;
}

const compiled = new Map<string, RegExp>();
function fullMatch(pattern: string, value: string): boolean {
  let regex = compiled.get(pattern);
  if (!regex) {
    // Model patterns are matched against the whole value; `u` for the \p{L} classes in tag patterns.
    regex = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, regex);
  }
  return regex.test(value);
}

function describe(value: unknown, sensitive: boolean): string {
  if (sensitive) return "'*** Sensitive Data Redacted ***'";
  if (typeof value === 'string') return `'${value.length > 200 ? `${value.slice(0, 200)}…` : value}'`;
  return `'${JSON.stringify(value)}'`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'object') return 'structure';
  return typeof value;
}

function check(shape: Shape, value: unknown, path: string, out: ValidationProblem[]): void {
  const constraint = (message: string, sensitive = false): void => {
    out.push({ path, message: `Value ${describe(value, sensitive)} at '${path}' failed to satisfy constraint: ${message}` });
  };
  const wrongType = (expected: string): void => {
    out.push({ path, message: `Value at '${path}' must be ${expected}, not ${typeName(value)}` });
  };

  switch (shape.kind) {
    case 'string': {
      if (typeof value !== 'string') return wrongType('a string');
      const sensitive = shape.sensitive ?? false;
      if (shape.min !== undefined && value.length < shape.min) constraint(`Member must have length greater than or equal to ${shape.min}`, sensitive);
      if (shape.max !== undefined && value.length > shape.max) constraint(`Member must have length less than or equal to ${shape.max}`, sensitive);
      if (shape.maxBytes !== undefined && Buffer.byteLength(value, 'utf8') > shape.maxBytes)
        constraint(`Member must have a size less than or equal to ${shape.maxBytes} bytes`, sensitive);
      if (shape.pattern !== undefined && !fullMatch(shape.pattern, value)) constraint(`Member must satisfy regular expression pattern: ${shape.pattern}`, sensitive);
      if (shape.enum && !shape.enum.includes(value)) constraint(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`, sensitive);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') wrongType('a boolean');
      return;
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) return wrongType('an integer');
      if (shape.min !== undefined && value < shape.min) constraint(`Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value > shape.max) constraint(`Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) return wrongType('a list');
      if (shape.min !== undefined && value.length < shape.min) constraint(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && value.length > shape.max) constraint(`Member must have length less than or equal to ${shape.max}`);
      value.forEach((item, index) => {
        if (item === null) out.push({ path: `${path}.${index + 1}.member`, message: `Value null at '${path}.${index + 1}.member' failed to satisfy constraint: Member must not be null` });
        else check(shape.member, item, `${path}.${index + 1}.member`, out);
      });
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return wrongType('a map');
      const entries = Object.entries(value as Record<string, unknown>);
      if (shape.min !== undefined && entries.length < shape.min) constraint(`Member must have length greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && entries.length > shape.max) constraint(`Member must have length less than or equal to ${shape.max}`);
      for (const [key, item] of entries) {
        check(shape.key, key, `${path}.key`, out);
        if (item === null) out.push({ path: `${path}.${key}`, message: `Value null at '${path}.${key}' failed to satisfy constraint: Member must not be null` });
        else check(shape.value, item, `${path}.${key}`, out);
      }
      return;
    }
    case 'structure':
      return checkStructure(shape, value, path, out);
  }
}

function checkStructure(shape: StructureShape, value: unknown, path: string, out: ValidationProblem[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    out.push({ path, message: `Value at '${path || '(body)'}' must be a structure (a JSON object), not ${typeName(value)}` });
    return;
  }
  const record = value as Record<string, unknown>;
  const join = (member: string) => (path ? `${path}.${member}` : member);
  for (const name of Object.keys(record)) {
    if (!Object.prototype.hasOwnProperty.call(shape.members, name)) {
      out.push({ path: join(name), message: `Unknown member '${join(name)}': it is not part of this request` });
    }
  }
  for (const name of shape.required ?? []) {
    if (record[name] === undefined || record[name] === null) {
      out.push({ path: join(name), message: `Value null at '${join(name)}' failed to satisfy constraint: Member must not be null` });
    }
  }
  for (const [name, member] of Object.entries(shape.members)) {
    const item = record[name];
    // JSON null is what some clients send for "not set": treat it as absent, as the SDKs do.
    if (item === undefined || item === null) continue;
    check(member, item, join(name), out);
  }
}

/** All problems with `value` against `shape` (empty when valid). */
export function findProblems(shape: StructureShape, value: unknown): ValidationProblem[] {
  const out: ValidationProblem[] = [];
  checkStructure(shape, value, '', out);
  return out;
}

/** Coral's summary line: "N validation error(s) detected: a; b". */
export function formatProblems(problems: readonly ValidationProblem[]): string {
  const n = problems.length;
  return `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.map((p) => p.message).join('; ')}`;
}

/** Drops JSON nulls at the top level, so handlers see `undefined` for "not set". */
export function withoutNulls<T extends Record<string, unknown>>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = v;
  return out as T;
}
