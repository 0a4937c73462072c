/**
 * Costs that tests used to bound with timers (flaky on a loaded 2-core CI): the observable
 * normaliser on pathological input and the console's point binning. Each is timed beside a
 * baseline in the same run: the same function on an ordinary input of similar size.
 *   npx tsx bench/validation.bench.ts
 */
import { normaliseObservable } from '../src/contexts/intel/observable.ts';
import { binPoints } from '../web/src/map/geo.ts';
import { fmt, machine } from './util.ts';

function time(fn: () => void, runs = 200): number {
  for (let i = 0; i < 10; i++) fn();
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) fn();
  return (performance.now() - t0) / runs;
}

const rows: Array<[string, number, number]> = [];
const url = `http://example.org/${'a/'.repeat(1000)}`;
rows.push([
  'url normaliser: "[.](" x 500 vs a 2 KB ordinary URL',
  time(() => normaliseObservable('url', `http://${'[.]('.repeat(500)}`)),
  time(() => normaliseObservable('url', url)),
]);
rows.push([
  'domain normaliser: 2,048 letters vs a 250-letter domain',
  time(() => normaliseObservable('domain-name', 'a'.repeat(2048))),
  time(() => normaliseObservable('domain-name', `${'a'.repeat(60)}.`.repeat(4) + 'org')),
]);
const pts = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: String(i), x: (i * 37) % 1000, y: (i * 91) % 600, category: 'cyber' }));
const big = pts(10_000);
const small = pts(100);
rows.push([
  'binPoints: 10,000 points vs 100 points (x100)',
  time(() => binPoints(big, 12), 50),
  time(() => binPoints(small, 12), 50) * 100,
]);

console.log(`machine: ${machine()}\n`);
console.log('| case | ms per call | baseline ms |');
console.log('|---|---|---|');
for (const [name, ms, base] of rows) console.log(`| ${name} | ${fmt(ms, 3)} | ${fmt(base, 3)} |`);
