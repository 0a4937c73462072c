/**
 * What one incident report costs in SQLite statements: reports written through the use case in process (no
 * HTTP, no streams), every better-sqlite3 statement timed and counted by its SQL text, commits included;
 * the outbox relay runs as in the server. Complements bench/report-path.bench.ts, whose profile shows the
 * native `run`/`all` calls without saying which statements they are.
 * Run: npx tsx bench/report-statements.bench.ts [reports=300] [concurrency=1]
 *   concurrency: reports posted at once, in waves (as a burst of HTTP posts would reach the use case)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { createServices } from '../src/main.ts';
import { tokenFor } from '../test/stream-fixture.ts';
import type { CreateIncidentInput } from '../src/contexts/intel/incident.schema.ts';
import type { UserActor } from '../src/kernel/access/actor.ts';

const N = Number(process.argv[2] ?? 300);
const C = Math.max(1, Number(process.argv[3] ?? 1));
const ORGS = ['PL', 'LT', 'EE', 'DE'];
const config = loadConfig({ data: mkdtempSync(join(tmpdir(), 'bulwark-statements-')) }, {});
const s = await createServices(config, { log: silentLogger, events: {} });
await s.events.start();
const sqlite = s.database.sqlite!;
type Method = (this: { source: string }, ...a: unknown[]) => unknown;
const proto = Object.getPrototypeOf(sqlite.prepare('select 1')) as Record<string, Method>;
const stats = new Map<string, { n: number; ms: number }>();
let on = false;
for (const m of ['run', 'all', 'get', 'iterate']) {
  const orig = proto[m]!;
  proto[m] = function (this: { source: string }, ...a: unknown[]) {
    if (!on) return orig.apply(this, a);
    const t = performance.now();
    try {
      return orig.apply(this, a);
    } finally {
      const k = `${m} ${this.source.replace(/\s+/g, ' ').slice(0, 110)}`;
      const e = stats.get(k) ?? { n: 0, ms: 0 };
      e.n++;
      e.ms += performance.now() - t;
      stats.set(k, e);
    }
  };
}
const actors: UserActor[] = [];
for (const org of ORGS) {
  const a = await s.users.authenticate(await tokenFor(s, org));
  if (a?.kind !== 'user') throw new Error('no user');
  actors.push(a);
}
const body = (i: number): CreateIncidentInput => ({
  title: `Surge report ${i}`,
  description: 'Phishing wave against logistics operators; lure documents themed as customs notices.',
  category: 'cyber',
  occurredAt: new Date().toISOString(),
  affectedMembers: [ORGS[i % ORGS.length]!],
  tlp: 'green',
  location: { lat: 50, lon: 20 },
  observables: [
    { type: 'ipv4-addr', value: `203.0.113.${i % 250}` },
    { type: 'domain-name', value: `cdn-${i % 997}.surge.example` },
    { type: 'url', value: `https://cdn-${i % 997}.surge.example/c/${i}` },
  ],
  narratives: i % 5 === 0 ? [`Coordinated accounts claim the grid operator in region ${i % 13} hid an outage`] : [],
});
const report = (i: number) => s.intel.incidents.report(actors[i % actors.length]!, body(i));
for (let i = 0; i < 100; i++) await report(i);
await s.events.relay.flush();
on = true;
const c0 = process.cpuUsage();
const t0 = performance.now();
for (let i = 100; i < 100 + N; i += C)
  await Promise.all(Array.from({ length: Math.min(C, 100 + N - i) }, (_, k) => report(i + k)));
await s.events.relay.flush();
const wall = performance.now() - t0;
const c = process.cpuUsage(c0);
on = false;
let count = 0;
let ms = 0;
for (const v of stats.values()) {
  count += v.n;
  ms += v.ms;
}
console.log(
  `${N} reports, ${C} at once: ${(wall / N).toFixed(2)} ms wall, ${((c.user + c.system) / 1000 / N).toFixed(2)} ms CPU per report; ${(count / N).toFixed(1)} statements, ${(ms / N).toFixed(2)} ms in SQLite per report`,
);
console.log('\n| per report | µs per report | statement |\n|---|---|---|');
for (const [k, v] of [...stats].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
  console.log(`| ${(v.n / N).toFixed(2)} | ${((v.ms / N) * 1000).toFixed(0)} | \`${k.replace(/\|/g, '\\|')}\` |`);
await s.close();
