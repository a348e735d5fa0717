/**
 * `ivs-studio <command>`: the CLI entry. Each command lives in its own file and is listed here;
 * commands parse their own flags with `parseFlags` and never take secrets from argv.
 */
import { parseFlags, type CommandSpec } from './flags';

/** name → lazy loader, so `ivs-studio local-channel` does not load the UI server and vice versa. */
const commands: Record<string, () => Promise<CommandSpec>> = {};

export function registerCommand(name: string, load: () => Promise<CommandSpec>): void {
  commands[name] = load;
}

function usage(): string {
  const names = Object.keys(commands).sort();
  return `usage: ivs-studio <command> [options]\ncommands: ${names.join(', ')}\nRun ivs-studio <command> --help for its options.`;
}

export async function main(argv: string[]): Promise<void> {
  loadBuiltInCommands();
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`ivs-studio: unknown command "${name}"\n${usage()}\n`);
    process.exitCode = 2;
    return;
  }
  const spec = await load();
  let flags: Record<string, string | boolean>;
  try {
    flags = parseFlags(rest, spec.flags);
  } catch (error) {
    process.stderr.write(`ivs-studio ${name}: ${(error as Error).message}\n${spec.help}\n`);
    process.exitCode = 2;
    return;
  }
  if (flags.help) {
    process.stdout.write(`${spec.help}\n`);
    return;
  }
  await spec.run(flags);
}

/** Built-in commands: one line each (additive edits only). */
function loadBuiltInCommands(): void {
  registerCommand('serve', async () => (await import('./serve-command.js')).serveCommand);
  registerCommand('start', async () => (await import('./start-command.js')).startCommand);
  registerCommand('local-channel', async () => (await import('./local-channel-command.js')).localChannelCommand);
  registerCommand('live', async () => (await import('./live-command.js')).liveCommand);
}
