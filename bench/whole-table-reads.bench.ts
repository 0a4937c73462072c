/**
 * Read models over many incidents: GET /api/v1/picture, /api/v1/campaigns and /api/v1/intel/common-values
 * over 14,000 incidents (index rows filled in bulk), as a member (PL) and a partner (UA), and the event-loop
 * time each takes (in process, app.inject; the store is SQLite in a temp dir as `bulwark serve` opens it).
 * Run: npx tsx bench/whole-table-reads.bench.ts   (env INCIDENTS, RUNS)
 */
import SQLite from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import { startServer, tokenFor } from '../test/stream-fixture.ts';
import { machine, percentile } from './util.ts';

const INCIDENTS = Number(process.env.INCIDENTS ?? 14_000);
const RUNS = Number(process.env.RUNS ?? 9);
const ORGS = ['PL', 'LT', 'LV', 'EE', 'RO', 'FI', 'DE', 'UA'];
const TLPS = ['clear', 'green', 'green', 'green', 'amber', 'amber', 'amber', 'amber+strict', 'red', 'green'];
const CATS = [
  'disinformation',
  'cyber',
  'economic-pressure',
  'covert-support',
  'sabotage',
  'airspace-violation',
  'migration-pressure',
  'other',
];

const srv = await startServer({ config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0 } });
const { services } = srv;
const file = services.database.describe.slice('sqlite:'.length);
const w = new SQLite(file);
w.pragma('busy_timeout = 5000');
const insInc = w.prepare(
  'insert into intel_incidents (id, author, tlp, audience, category, title, occurred_at, iso_week, lat, lon, members, actor, created_at, modified, pending) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,0)',
);
const insMem = w.prepare('insert into intel_incident_members (incident_id, member) values (?,?)');
const insObs = w.prepare('insert into intel_observables (incident_id, kind, norm_value, value) values (?,?,?,?)');
const insCount = w.prepare(
  'insert into intel_value_counts (kind, norm_value, incidents) values (?,?,1) on conflict (kind, norm_value) do update set incidents = incidents + 1',
);
const insLink = w.prepare(
  'insert into intel_links (a, b, score, reasons, created_at, updated_at) values (?,?,?,?,?,?)',
);
const id = (i: number) => `incident--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
const t0 = performance.now();
w.transaction(() => {
  for (let i = 0; i < INCIDENTS; i++) {
    const author = ORGS[i % ORGS.length]!;
    const tlp = TLPS[Math.floor(i / 8) % TLPS.length]!;
    const audience = i % 5 === 0 ? ',LT,LV,' : '';
    const at = new Date(Date.UTC(2024, 0, 1) + i * 37 * 60_000);
    const members = [ORGS[(i * 3) % 6]!, ORGS[(i * 5 + 1) % 6]!];
    insInc.run(
      id(i),
      author,
      tlp,
      audience,
      CATS[i % CATS.length],
      `incident ${i}`,
      at.toISOString(),
      `2024-W${String(1 + (Math.floor(i / 200) % 52)).padStart(2, '0')}`,
      50 + (i % 10),
      20 + (i % 10),
      `,${[...new Set(members)].join(',')},`,
      null,
      at.toISOString(),
      at.toISOString(),
    );
    for (const m of new Set(members)) insMem.run(id(i), m);
    for (let k = 0; k < 4; k++) {
      insObs.run(id(i), 'domain-name', `h${i}-${k}.example`, `h${i}-${k}.example`);
      insCount.run('domain-name', `h${i}-${k}.example`);
    }
    const ip = `198.51.100.${i % 200}`; // each address in ~70 incidents: a common value
    insObs.run(id(i), 'ipv4-addr', ip, ip);
    insCount.run('ipv4-addr', ip);
    if (i % 10 !== 0)
      insLink.run(id(i - 1), id(i), 0.6, '["shared domain-name x"]', at.toISOString(), at.toISOString());
    if (i % 7 === 0 && i > 100) insLink.run(id(i - 100), id(i), 0.3, '["weak"]', at.toISOString(), at.toISOString());
  }
})();
w.close();
console.error(`filled ${INCIDENTS} incidents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const tokens = { member: await tokenFor(services, 'PL'), partner: await tokenFor(services, 'UA') };
const urls = [
  '/api/v1/picture',
  '/api/v1/picture?since=2024-12-01T00:00:00Z',
  '/api/v1/campaigns',
  '/api/v1/intel/common-values',
];
const rows: string[] = [];
for (const url of urls) {
  for (const [who, token] of Object.entries(tokens)) {
    const wall: number[] = [];
    const loop: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS; r++) {
      const elu = performance.eventLoopUtilization();
      const t = performance.now();
      const res = await srv.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
      wall.push(performance.now() - t);
      loop.push(performance.eventLoopUtilization(elu).active);
      if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`);
      bytes = res.body.length;
    }
    wall.sort((a, b) => a - b);
    loop.sort((a, b) => a - b);
    rows.push(
      `| \`${url}\` | ${who} | ${percentile(wall, 50).toFixed(1)} | ${percentile(wall, 100).toFixed(1)} | ${percentile(loop, 50).toFixed(1)} | ${bytes.toLocaleString('en')} |`,
    );
    console.error(rows.at(-1));
  }
}
console.log(`${INCIDENTS.toLocaleString('en')} incidents, ${RUNS} runs each; ${machine()}\n`);
console.log('| request | reader | wall ms, median | wall ms, max | event-loop ms, median | body bytes |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
await srv.stop();
