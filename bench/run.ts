/** Runs every benchmark in turn (npm run bench); each prints a Markdown table for bench/RESULTS.md. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const benches: Array<[string, string[]]> = [
  ['bench/import.bench.ts', ['200000']],
  ['bench/taxii.bench.ts', [process.env.BENCH_OBJECTS ?? '1000000', '10']],
  ['bench/treaty.bench.ts', []],
  ['bench/stream.bench.ts', []],
  ['bench/intel.bench.ts', []],
  ['bench/validation.bench.ts', []],
  ['bench/sources.bench.ts', []],
  ['bench/outlook.bench.ts', []],
];
let failed = 0;
for (const [file, args] of benches) {
  if (!existsSync(file)) continue;
  process.stdout.write(`\n## ${file} ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed > 0 ? 1 : 0;
