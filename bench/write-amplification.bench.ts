/**
 * Write amplification of maximal incident reports. Run: npx tsx bench/write-amplification.bench.ts
 * (env N reports for the disk figures, SECONDS of load, POSTERS). SQLite in a temp dir, opened as
 * `bulwark serve` opens it (background checkpointer, reader thread).
 * 1. N maximal reports sharing their observables (the worst case: each links to every one before it), posted in
 *    process (app.inject): bytes the store grew (database file after a checkpoint, and the write-ahead log
 *    before it) per byte posted, and the event-loop time of each report (median).
 * 2. POSTERS users posting maximal reports back to back over HTTP from another process for SECONDS, while a
 *    bystander user posts a small report every 250 ms: the bystander's latency, the posters' answers, and the
 *    largest write-ahead log seen.
 */
import { fork } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { machine, percentile } from './util.ts';

const N = Number(process.env.N ?? 10);
const SECONDS = Number(process.env.SECONDS ?? 20);
const POSTERS = Number(process.env.POSTERS ?? 8);

/** The largest report the API accepts: tries 200 URLs of 2,048 characters (accepted before the limits), then 500. */
function maximal(seed: number, urlChars: number, shared = true): Record<string, unknown> {
  const word = (i: number, k: number) => `w${(seed * 7919 + i * 104729 + k * 31) % 9973}`;
  return {
    title: `maximal ${seed}`,
    description: 'd'.repeat(20_000),
    category: 'cyber',
    occurredAt: '2026-03-02T08:00:00Z',
    affectedMembers: ['PL', 'LT'],
    tlp: 'green',
    location: { lat: 54.69, lon: 25.28 },
    observables: Array.from({ length: 200 }, (_, i) => ({
      type: 'url',
      value: `https://evil-${shared ? 0 : seed}-${i}.example/`.padEnd(urlChars, 'p'),
    })),
    narratives: Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: 400 }, (_, k) => word(i, k))
        .join(' ')
        .slice(0, 2000),
    ),
  };
}
const small = (i: number) => ({
  title: `bystander ${i}`,
  description: 'x',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [{ type: 'domain-name', value: `b${i}.example` }],
});

function request(
  base: string,
  token: string,
  body: string,
  agent: http.Agent,
): Promise<{ status: number; ms: number }> {
  const t = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${base}/api/v1/incidents`,
      { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 500) console.error(res.statusCode, text.slice(0, 300));
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - t });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function clients(): Promise<void> {
  const { base, posters, bystander, body, seconds } = await new Promise<{
    base: string;
    posters: string[];
    bystander: string;
    body: string;
    seconds: number;
  }>((r) => process.once('message', r as (m: unknown) => void));
  const end = performance.now() + seconds * 1000;
  const statuses = new Map<number, number>();
  const load = posters.map(async (token) => {
    const agent = new http.Agent({ keepAlive: true });
    while (performance.now() < end) {
      const r = await request(base, token, body, agent);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status === 429) await new Promise((res) => setTimeout(res, 1000));
    }
  });
  const lat: number[] = [];
  const agent = new http.Agent({ keepAlive: true });
  for (let i = 0; performance.now() < end; i++) {
    const r = await request(base, bystander, JSON.stringify(small(i)), agent);
    if (r.status === 201) lat.push(r.ms);
    await new Promise((res) => setTimeout(res, 250));
  }
  await Promise.all(load);
  process.send!({ lat, statuses: Object.fromEntries(statuses) });
}

async function main(): Promise<void> {
  const { startServer, tokenFor } = await import('../test/stream-fixture.ts');
  const srv = await startServer({});
  const { services } = srv;
  const file = services.database.describe.slice('sqlite:'.length);
  const wal = () => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
  const token = await tokenFor(services, 'PL');
  const inject = (t: string, body: string) =>
    srv.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' },
      payload: body,
    });
  let urlChars = 2048;
  if ((await inject(token, JSON.stringify(maximal(999, urlChars, false)))).statusCode === 400) urlChars = 500;
  services.database.checkpoint?.();
  const before = statSync(file).size;
  let posted = 0;
  let walMax = 0;
  const loop: number[] = [];
  for (let i = 0; i < N; i++) {
    const body = JSON.stringify(maximal(i, urlChars));
    posted += body.length;
    const elu = performance.eventLoopUtilization();
    const r = await inject(token, body);
    loop.push(performance.eventLoopUtilization(elu).active);
    if (r.statusCode !== 201) throw new Error(`report ${i}: ${r.statusCode} ${r.body.slice(0, 300)}`);
    walMax = Math.max(walMax, wal());
  }
  const walAfter = wal();
  services.database.checkpoint?.();
  const grown = statSync(file).size - before;
  loop.sort((a, b) => a - b);
  const size = JSON.stringify(maximal(0, urlChars)).length;
  const out = [
    `${machine()}`,
    '',
    `Part 1: ${N} maximal reports of ${size.toLocaleString('en')} bytes (URLs of ${urlChars} characters) sharing their observables, in process.`,
    '',
    '| posted, bytes | database file grew, bytes | per byte posted | write-ahead log before the checkpoint, bytes (largest seen) | event-loop ms per report, median (min–max) |',
    '|---|---|---|---|---|',
    `| ${posted.toLocaleString('en')} | ${grown.toLocaleString('en')} | **${(grown / posted).toFixed(1)}** | ${walAfter.toLocaleString('en')} (${walMax.toLocaleString('en')}) | **${percentile(loop, 50).toFixed(0)}** (${loop[0]!.toFixed(0)}–${loop.at(-1)!.toFixed(0)}) |`,
  ];
  console.error(out.join('\n'));

  const posters = await Promise.all(
    Array.from({ length: POSTERS }, (_, i) =>
      tokenFor(services, ['LV', 'EE', 'RO', 'FI', 'DE', 'FR', 'IT', 'ES'][i % 8]!),
    ),
  );
  const bystander = await tokenFor(services, 'LT');
  const child = fork(fileURLToPath(import.meta.url), ['clients'], { execArgv: ['--import', 'tsx'] });
  const done = new Promise<{ lat: number[]; statuses: Record<string, number> }>((r) =>
    child.once('message', r as (m: unknown) => void),
  );
  let loadWalMax = 0;
  const watch = setInterval(() => (loadWalMax = Math.max(loadWalMax, wal())), 100);
  child.send({
    base: srv.base,
    posters,
    bystander,
    body: JSON.stringify(maximal(5000, urlChars, false)),
    seconds: SECONDS,
  });
  const { lat, statuses } = await done;
  clearInterval(watch);
  lat.sort((a, b) => a - b);
  out.push(
    '',
    `Part 2: ${POSTERS} posters of maximal reports (each its own user) for ${SECONDS} s over HTTP; a bystander posts a small report every 250 ms.`,
    '',
    "| bystander reports | bystander ms p50 / p90 / p99 / max | posters' answers | write-ahead log, largest seen / at the end, bytes |",
    '|---|---|---|---|',
    `| ${lat.length} | **${percentile(lat, 50).toFixed(0)}** / ${percentile(lat, 90).toFixed(0)} / **${percentile(lat, 99).toFixed(0)}** / ${lat.at(-1)?.toFixed(0)} | ${Object.entries(
      statuses,
    )
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ')} | ${loadWalMax.toLocaleString('en')} / ${wal().toLocaleString('en')} |`,
  );
  console.log(out.join('\n'));
  await srv.stop();
}

if (process.argv[2] === 'clients') await clients();
else await main();
