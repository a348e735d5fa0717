/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` one after another (never in parallel: they measure
 * CPU and latency on a 2-core machine) and prints each one's figures under its name.
 * `npm run bench -- output preview` runs only the benches whose file names contain one of the words.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const benchDir = __dirname;
const filters = process.argv.slice(2);
const benches = fs
  .readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((word) => f.includes(word)))
  .sort();

if (benches.length === 0) {
  console.error(`no benchmark matches ${filters.join(', ')}`);
  process.exit(2);
}

const tsx = path.resolve(benchDir, '../../node_modules/.bin/tsx');
const failed: string[] = [];
for (const bench of benches) {
  console.log(`\n=== ${bench.replace(/\.bench\.ts$/, '')}`);
  const started = Date.now();
  const result = spawnSync(tsx, [path.join(benchDir, bench)], { stdio: 'inherit', env: process.env });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (result.status !== 0) failed.push(bench);
  console.log(`--- ${bench}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status ?? result.signal})`} in ${seconds} s`);
}
if (failed.length > 0) {
  console.error(`\n${failed.length} benchmark(s) failed: ${failed.join(', ')}`);
  process.exit(1);
}
