/**
 * Intel figures. Run: npx tsx bench/intel.bench.ts   (about 1–2 minutes; SQLite in a temp dir)
 * 1. Correlation of a new incident against an index of 10k, 100k and 1M observables (filled in
 *    bulk, ~10 per incident, a shared pool so values recur, narratives every 5th incident), beside
 *    a raw indexed SQLite lookup (prepared better-sqlite3 statement) in the same run.
 * 2. Propagation: POST /api/v1/incidents → SSE receipt at 32 member subscribers, 100 incidents/s,
 *    beside a bare HTTP round trip.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import Fastify from 'fastify';
import { startServer, tokenFor } from '../test/stream-fixture.ts';
import { bandKeys, encodeSignature, minhash } from '../src/contexts/intel/fingerprint.ts';
import type { CreateIncidentInput } from '../src/contexts/intel/incident.schema.ts';

const STAGES = (process.env.BENCH_STAGES ?? '10000,100000,1000000').split(',').map(Number);
const NEW = Number(process.env.BENCH_NEW ?? 60);
const RATES = (process.env.BENCH_RATES ?? '20,100').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const PER = 10;
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
/** A distinct synthetic claim per i: 12 words from a 5,000-word vocabulary. */
const claim = (i: number) =>
  Array.from(
    { length: 12 },
    (_, k) => `w${((Math.imul(i + 1, 2654435761) ^ Math.imul(k + 1, 40503)) >>> 0) % 5000}`,
  ).join(' ');
const reworded = (i: number) =>
  claim(i)
    .split(' ')
    .map((w, k) => (k === 4 ? 'covert' : w))
    .join(' ');

async function main(): Promise<void> {
  const srv = await startServer({ events: { pollMs: 50 }, config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0 } }); // one token posts at the measured rates
  const { services } = srv;
  const db = services.database.db;
  const file = services.database.describe.slice('sqlite:'.length);
  const raw = new SQLite(file, { readonly: true });
  const lookup = raw.prepare('select incident_id from intel_observables where kind = ? and norm_value = ? limit 200');
  // Bulk fill through a second connection with prepared statements (Kysely's per-statement cost would dominate).
  const writer = new SQLite(file);
  writer.pragma('busy_timeout = 5000');
  const insInc = writer.prepare(
    'insert into intel_incidents (id, author, tlp, audience, category, title, occurred_at, iso_week, lat, lon, members, actor, created_at, modified, pending) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
  );
  const insObs = writer.prepare(
    'insert into intel_observables (incident_id, kind, norm_value, value) values (?,?,?,?)',
  );
  const insCount = writer.prepare(
    'insert into intel_value_counts (kind, norm_value, incidents) values (?,?,?) on conflict (kind, norm_value) do update set incidents = incidents + excluded.incidents',
  );
  const insNar = writer.prepare('insert into intel_narratives (incident_id, idx, text, signature) values (?,0,?,?)');
  const insBand = writer.prepare('insert or ignore into intel_bands (band_key, incident_id) values (?,?)');
  const fill = writer.transaction(
    (inc: unknown[][], obs: string[][], counts: Map<string, number>, nar: string[][], bands: string[][]) => {
      for (const r of inc) insInc.run(...r);
      for (const r of obs) {
        insObs.run(...r);
        if (r[1] === 'domain-name') insCount.run(r[1], r[2], 1);
      }
      for (const [v, n] of counts) insCount.run('ipv4-addr', v, n);
      for (const r of nar) insNar.run(...r);
      for (const r of bands) insBand.run(...r);
    },
  );
  const analyst = (await services.users.authenticate(await tokenFor(services, 'PL')))!;
  let incidents = 0;
  let observables = 0;
  const rows: string[] = [];
  for (const target of STAGES) {
    const t0 = performance.now();
    while (observables < target) {
      const batch = Math.min(20000, (target - observables) / PER);
      const inc: unknown[][] = [];
      const obs: string[][] = [];
      const nar: string[][] = [];
      const bands: string[][] = [];
      const counts = new Map<string, number>();
      for (let j = 0; j < batch; j++) {
        const i = incidents + j;
        const id = `incident--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        inc.push([
          id,
          ['PL', 'LT', 'EE', 'LV'][i % 4]!,
          'green',
          '',
          'cyber',
          `synthetic ${i}`,
          new Date(Date.UTC(2025, 0, 1) + i * 60000).toISOString(),
          '2025-W01',
          50 + (i % 10),
          20 + (i % 10),
          ',PL,',
          null,
          '2025-01-01T00:00:00.000Z',
          '2025-01-01T00:00:00.000Z',
          0,
        ]);
        for (let k = 0; k < PER - 1; k++) obs.push([id, 'domain-name', `u${i}-${k}.example`, `u${i}-${k}.example`]);
        const shared = `198.51.${Math.floor(i / 3) % 250}.${Math.floor(i / 750) % 250}`;
        obs.push([id, 'ipv4-addr', shared, shared]);
        counts.set(shared, (counts.get(shared) ?? 0) + 1);
        if (i % 5 === 0) {
          const sig = minhash(claim(i))!;
          nar.push([id, claim(i), encodeSignature(sig)]);
          for (const k of new Set(bandKeys(sig))) bands.push([k, id]);
        }
      }
      fill(inc, obs, counts, nar, bands);
      incidents += batch;
      observables += batch * PER;
    }
    const fillS = (performance.now() - t0) / 1000;
    const report: number[] = [];
    const find: number[] = [];
    const full: number[] = [];
    const base: number[] = [];
    let links = 0;
    for (let n = 0; n < NEW; n++) {
      const k = Math.floor(Math.random() * incidents);
      const shared = `198.51.${Math.floor(k / 3) % 250}.${Math.floor(k / 750) % 250}`;
      const body: CreateIncidentInput = {
        title: `new ${n}`,
        description: '',
        category: 'cyber',
        occurredAt: '2025-02-01T00:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'green',
        location: { lat: 52, lon: 21 },
        observables: [
          { type: 'ipv4-addr', value: shared },
          ...Array.from({ length: 8 }, (_, j) => ({
            type: 'domain-name' as const,
            value: `new-${target}-${n}-${j}.example`,
          })),
        ],
        narratives: [reworded(k - (k % 5))],
      };
      let t = performance.now();
      const inc = await services.intel.incidents.report(analyst, body);
      report.push(performance.now() - t);
      t = performance.now();
      const f = await services.intel.correlation.find(inc.id);
      find.push(performance.now() - t);
      links += f?.links.size ?? 0;
      await db
        .deleteFrom('intel_links')
        .where((eb) => eb.or([eb('a', '=', inc.id), eb('b', '=', inc.id)]))
        .execute();
      t = performance.now();
      await services.intel.correlation.correlate(inc.id);
      full.push(performance.now() - t);
      t = performance.now();
      lookup.all('ipv4-addr', shared);
      base.push(performance.now() - t);
    }
    rows.push(
      `| ${observables.toLocaleString('en')} | ${incidents.toLocaleString('en')} | ${fillS.toFixed(1)} | ${pct(find, 50).toFixed(2)} / ${pct(find, 99).toFixed(2)} | ${pct(full, 50).toFixed(2)} / ${pct(full, 99).toFixed(2)} | ${pct(report, 50).toFixed(2)} | ${pct(base, 50).toFixed(3)} | ${(links / NEW).toFixed(1)} |`,
    );
    console.error(rows[rows.length - 1]);
  }
  raw.close();
  writer.close();

  // Propagation.
  const members = (await services.orgs.list()).filter((o) => o.kind === 'member').slice(0, 32);
  const tokens = await Promise.all(members.map((m) => tokenFor(services, m.code)));
  const child = fork(fileURLToPath(new URL('./intel-clients.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  const reply = <T>(type: string) =>
    new Promise<T>((r) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        r(m as T);
      };
      child.on('message', on);
    });
  const ready = reply('ready');
  child.send({ type: 'start', base: srv.base, tokens });
  await ready;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const post = (body: string) =>
    new Promise<{ id: string; status: number }>((resolve, reject) => {
      const req = http.request(
        `${srv.base}/api/v1/incidents`,
        {
          method: 'POST',
          agent,
          headers: { authorization: `Bearer ${tokens[0]!}`, 'content-type': 'application/json' },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ id: (JSON.parse(text) as { id: string }).id, status: res.statusCode ?? 0 }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const propagation: string[] = [];
  for (const rate of RATES) {
    const sent = new Map<string, number>();
    const postLat: number[] = [];
    const total = rate * SECONDS;
    const start = performance.now();
    const inflight: Array<Promise<void>> = [];
    let late = 0;
    for (let i = 0; i < total; i++) {
      const wait = start + (i * 1000) / rate - performance.now();
      if (wait > 1) await sleep(wait);
      else if (wait < -5) late++;
      const body = JSON.stringify({
        title: `live ${rate}-${i}`,
        description: 'bench',
        category: 'cyber',
        occurredAt: '2025-03-01T00:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'green',
        observables: [{ type: 'ipv4-addr', value: `203.0.113.${i % 200}` }],
      });
      const t = now();
      inflight.push(
        post(body).then((r) => {
          sent.set(r.id, t);
          postLat.push(now() - t);
        }),
      );
    }
    await Promise.all(inflight);
    await sleep(1000);
    const got = await new Promise<{ receipts: Array<[string, number]> }>((r) => {
      void reply<{ receipts: Array<[string, number]> }>('receipts').then(r);
      child.send({ type: 'collect' });
    });
    const lat = got.receipts.filter(([id]) => sent.has(id)).map(([id, at]) => at - sent.get(id)!);
    propagation.push(
      `| POST /api/v1/incidents → SSE, ${rate}/s × ${SECONDS}s | ${tokens.length} | ${lat.length}/${total * tokens.length} | ${pct(lat, 50).toFixed(2)} | ${pct(lat, 99).toFixed(2)} | ${Math.max(...lat).toFixed(2)} | ${pct(postLat, 50).toFixed(2)} / ${pct(postLat, 99).toFixed(2)} | ${late} |`,
    );
    console.error(propagation[propagation.length - 1]);
  }
  child.send({ type: 'stop' });
  agent.destroy();
  const bare = Fastify();
  bare.get('/ping', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const addr = bare.server.address();
  const rtt: number[] = [];
  const ka = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 1100; i++) {
    const t = performance.now();
    await new Promise<void>((resolve) =>
      http.get(`http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/ping`, { agent: ka }, (res) => {
        res.resume();
        res.on('end', resolve);
      }),
    );
    if (i >= 100) rtt.push(performance.now() - t);
  }
  ka.destroy();
  await bare.close();

  console.log(
    `store: SQLite in a temp dir (${join('…', 'bulwark.sqlite')}); ${NEW} new incidents per stage, each sharing one IPv4 with ~3 stored incidents and carrying a reworded narrative`,
  );
  console.log(
    '| observables indexed | incidents | fill s | correlation lookup (find) p50 / p99 ms | correlate incl. link writes + outbox p50 / p99 ms | whole POST use case p50 ms | raw indexed SQLite lookup p50 ms | links found / incident |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log('');
  console.log(
    '| propagation | subscribers | received/expected | p50 ms | p99 ms | max ms | POST response p50 / p99 ms | posts >5 ms late |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const p of propagation) console.log(p);
  console.log(
    `| bare Fastify GET /ping round trip | | ${rtt.length} | ${pct(rtt, 50).toFixed(2)} | ${pct(rtt, 99).toFixed(2)} | ${Math.max(...rtt).toFixed(2)} | | |`,
  );
  await srv.stop();
}

await main();
