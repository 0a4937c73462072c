/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, or BENCH_PROFILE of bench/report-path.bench.ts): the
 * functions with the most self time, and the share of time under each of a few code areas (inclusive).
 * Run: npx tsx bench/cpu-profile-summary.ts FILE.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-summary.ts FILE.cpuprofile [top]');
const top = Number(topArg ?? 25);
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// Samples under the inspector's own calls (stopping the profiler serialises it) are not the server's work.
const inspector = new Set<number>();
for (const n of p.nodes)
  for (let m: number | undefined = n.id; m !== undefined; m = parent.get(m))
    if (byId.get(m)!.callFrame.url === 'node:inspector') {
      inspector.add(n.id);
      break;
    }
p.samples.forEach((id, i) => {
  if (inspector.has(id)) p.timeDeltas[i] = 0;
});
const selfUs = new Map<number, number>();
p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = p.timeDeltas.reduce((a, b) => a + b, 0);

const short = (url: string) => url.replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/(src|bench|test)\//, '$1/');
const label = (n: Node) =>
  `${n.callFrame.functionName || '(anonymous)'} ${short(n.callFrame.url)}${n.callFrame.url ? `:${n.callFrame.lineNumber + 1}` : ''}`;

const self = new Map<string, number>();
for (const [id, us] of selfUs) {
  const k = label(byId.get(id)!);
  self.set(k, (self.get(k) ?? 0) + us);
}
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((a, [, v]) => a + v, 0);
const busy = total - idle;
console.log(
  `profile ${file}: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms not idle (${((100 * busy) / total).toFixed(1)} %)`,
);
console.log('\n| self ms | % of busy | function |\n|---|---|---|');
for (const [k, us] of [...self]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, top))
  console.log(`| ${(us / 1000).toFixed(1)} | ${((100 * us) / busy).toFixed(1)} | \`${k}\` |`);

// Inclusive time per area: a sample counts once for each area found on its stack.
const AREAS: Array<[string, RegExp]> = [
  ['zod (request validation)', /node_modules\/zod\//],
  ['fastify + find-my-way + light-my-request', /node_modules\/(fastify|find-my-way|@fastify)\//],
  ['kysely (query building)', /node_modules\/kysely\//],
  ['better-sqlite3 calls', /^\(native\)|better-sqlite3/],
  ['knowledge store (ingest, prepare)', /src\/contexts\/(knowledge|stix)\//],
  ['intel views (index, outbox)', /src\/contexts\/intel\/(derived-views|intel\.repository|child-ids)/],
  ['correlation', /src\/contexts\/intel\/correlation/],
  ['fingerprint (minhash)', /src\/contexts\/intel\/fingerprint/],
  ['SSE fan-out', /src\/platform\/http\/sse/],
  ['outbox relay + bus', /src\/platform\/events\//],
  ['garbage collector', /^\(garbage collector\)/],
];
const areaUs = new Map<string, number>();
p.samples.forEach((id, i) => {
  const dt = p.timeDeltas[i] ?? 0;
  const hit = new Set<string>();
  for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
    const node = byId.get(n)!;
    const where = node.callFrame.url || node.callFrame.functionName;
    for (const [name, re] of AREAS) if (re.test(where)) hit.add(name);
  }
  for (const h of hit) areaUs.set(h, (areaUs.get(h) ?? 0) + dt);
});
console.log('\n| area (inclusive) | ms | % of busy |\n|---|---|---|');
for (const [name] of AREAS) {
  const us = areaUs.get(name) ?? 0;
  console.log(`| ${name} | ${(us / 1000).toFixed(1)} | ${((100 * us) / busy).toFixed(1)} |`);
}

// Inclusive time of the functions named on the command line after `top` (e.g. report correlate relayAll deliver).
const named = process.argv.slice(4);
if (named.length > 0) {
  const incl = new Map<string, number>();
  p.samples.forEach((id, i) => {
    const dt = p.timeDeltas[i] ?? 0;
    const hit = new Set<string>();
    for (let n: number | undefined = id; n !== undefined; n = parent.get(n)) {
      const fn = byId.get(n)!.callFrame.functionName;
      if (named.includes(fn)) hit.add(fn);
    }
    for (const h of hit) incl.set(h, (incl.get(h) ?? 0) + dt);
  });
  console.log('\n| function (inclusive) | ms | % of busy |\n|---|---|---|');
  for (const fn of named) {
    const us = incl.get(fn) ?? 0;
    console.log(`| \`${fn}\` | ${(us / 1000).toFixed(1)} | ${((100 * us) / busy).toFixed(1)} |`);
  }
}
