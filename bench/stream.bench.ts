/**
 * Live-stream latency: 32 member subscribers over SSE, one poster writing events at fixed
 * rates; p50/p99 from write start to receipt at each subscriber, beside a bare HTTP round trip.
 * Run: npx tsx bench/stream.bench.ts   (about 30 s; SQLite in a temp dir, or DATABASE_URL)
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { emit, startServer, tokenFor } from '../test/stream-fixture.ts';
import { openDatabase } from '../src/platform/db/database.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const RATES = [100, 500];
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function roundTrips(url: string, n: number, headers: Record<string, string> = {}): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await new Promise<void>((resolve, reject) => {
      http
        .get(url, { agent, headers }, (res) => {
          res.resume();
          res.on('end', resolve);
        })
        .on('error', reject);
    });
    if (i >= 100) out.push(performance.now() - t);
  }
  agent.destroy();
  return out;
}

async function main(): Promise<void> {
  const database = process.env.DATABASE_URL
    ? await openDatabase({ url: process.env.DATABASE_URL, pgSchema: `bench_${Date.now()}` })
    : undefined;
  const srv = await startServer({ ...(database ? { database } : {}), events: { heartbeatMs: 15_000 } });
  const members = (await srv.services.orgs.list()).filter((o) => o.kind === 'member').slice(0, 32);
  const tokens = await Promise.all(members.map((m) => tokenFor(srv.services, m.code)));

  const child = fork(fileURLToPath(new URL('./stream-clients.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
  });
  const reply = (type: string) =>
    new Promise<{ latencies?: number[] }>((r) => {
      const on = (m: { type: string; latencies?: number[] }) => {
        if (m.type !== type) return;
        child.off('message', on);
        r(m);
      };
      child.on('message', on);
    });
  const ready = reply('ready');
  child.send({ type: 'start', base: srv.base, tokens });
  await ready;

  const bare = Fastify();
  bare.get('/ping', async () => ({ ok: true }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddr = bare.server.address();
  const barePort = typeof bareAddr === 'object' && bareAddr ? bareAddr.port : 0;
  const bareRtt = await roundTrips(`http://127.0.0.1:${barePort}/ping`, 2100);
  const healthRtt = await roundTrips(`${srv.base}/api/v1/me`, 2100, { authorization: `Bearer ${tokens[0]!}` });

  const rows: string[] = [];
  let busPhase = '';
  const busLat: number[] = [];
  srv.services.events.subscribe((e) => {
    const p = JSON.parse(e.payload) as { t: number; phase: string };
    if (p.phase === busPhase) busLat.push(now() - p.t);
  });
  for (const rate of RATES) {
    const phase = `r${rate}`;
    busPhase = phase;
    busLat.length = 0;
    child.send({ type: 'phase', phase });
    await sleep(100);
    const n = rate * SECONDS;
    const start = performance.now();
    let late = 0;
    for (let i = 0; i < n; i++) {
      const due = start + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      else if (wait < -5) late++;
      await emit(srv.services, [
        {
          event: 'incident.created',
          objectId: `incident--${phase}-${i}`,
          author: 'PL',
          tlp: 'green',
          audience: [],
          payload: { t: now(), phase },
        },
      ]);
    }
    await sleep(500);
    const collected = reply('latencies');
    child.send({ type: 'collect' });
    const lat = (await collected).latencies ?? [];
    const expected = n * tokens.length;
    rows.push(
      `| ${rate}/s × ${SECONDS}s | ${tokens.length} | ${lat.length}/${expected} | ${pct(lat, 50).toFixed(2)} | ${pct(lat, 99).toFixed(2)} | ${Math.max(...lat).toFixed(2)} | ${pct(busLat, 50).toFixed(2)} / ${pct(busLat, 99).toFixed(2)} | ${late} |`,
    );
  }
  child.send({ type: 'stop' });

  console.log(
    `store: ${srv.services.database.describe.replace(/\/tmp\/[^ ]+/, 'temp dir')}; writes: in-process outbox append in a transaction + nudge (no POST /api/v1/incidents yet)`,
  );
  console.log(
    '| rate | subscribers | received/expected | p50 ms | p99 ms | max ms | in-process bus p50 / p99 ms | writes >5 ms late |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
  console.log(
    `| bare Fastify GET /ping round trip | | ${bareRtt.length} | ${pct(bareRtt, 50).toFixed(2)} | ${pct(bareRtt, 99).toFixed(2)} | ${Math.max(...bareRtt).toFixed(2)} | | |`,
  );
  console.log(
    `| Bulwark GET /api/v1/me round trip (auth, helmet, rate limit) | | ${healthRtt.length} | ${pct(healthRtt, 50).toFixed(2)} | ${pct(healthRtt, 99).toFixed(2)} | ${Math.max(...healthRtt).toFixed(2)} | | |`,
  );
  await bare.close();
  await srv.stop();
}

await main();
