/** Minimal, strict flag parsing: unknown flags are errors, so a typo never silently does something else. */
export interface CommandSpec {
  help: string;
  /** flag name (without --) → 'boolean' | 'string' */
  flags: Record<string, 'boolean' | 'string'>;
  run(flags: Record<string, string | boolean>): Promise<void>;
}

export function parseFlags(argv: string[], spec: Record<string, 'boolean' | 'string'>): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  const known: Record<string, 'boolean' | 'string'> = { help: 'boolean', ...spec };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    // Never echo a positional argument: a stream key pasted on the command line would reach stderr.
    if (!arg.startsWith('--')) throw new Error(`unexpected argument #${i + 1} (options start with --; secrets such as stream keys are read from stdin, never from arguments)`);
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = known[name];
    if (!kind) throw new Error(`unknown option --${name.slice(0, 40)}`);
    if (kind === 'boolean') {
      if (inline !== undefined) throw new Error(`--${name} takes no value`);
      out[name] = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new Error(`--${name} needs a value`);
    out[name] = value;
  }
  return out;
}
