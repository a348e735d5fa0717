/**
 * A process that hosts a program (as the engine's process would) and records it, for the orphan test:
 * prints `{"program":pid,"recorder":pid,"file":…}` once running, then waits to be killed.
 * Run: node --import tsx test/support/program-host.ts <dataDir>
 */
import * as path from 'node:path';
import { colourScenes } from './scene-fixtures';
import { createTestProgram } from './program-harness';

async function main(): Promise<void> {
  const program = createTestProgram(colourScenes(['red', 'blue'], { tones: true }));
  await program.engine.start();
  const file = path.join(process.argv[2] ?? program.dataDir, 'host-recording.mp4');
  const state = await program.engine.startRecording({ file });
  await program.engine.nextKeyframe();
  const internals = program.engine as unknown as { recorder?: { pid?: number }; run?: { workDir: string } };
  // The folders too: killed with -9, this process cleans nothing up; the test does.
  const folders = [program.dataDir, internals.run?.workDir].filter(Boolean);
  process.stdout.write(`${JSON.stringify({ program: state.pid, recorder: internals.recorder?.pid, file, folders })}\n`);
  setInterval(() => undefined, 60_000);
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
