/**
 * Many live streams that never read (issue 12, item 16): server RSS and a bystander's POST latency.
 *  A. one token opens STREAMS streams: how many the server accepts;
 *  0. baseline: the bystander POSTs at RATE/s with no stream open;
 *  B. STREAMS users each hold one stream and never read, while a bystander POSTs incidents at RATE/s;
 *  C. STREAMS users each resume from 0 over SEED events and never read, while the bystander POSTs.
 * Run: npx tsx bench/stream-flood.bench.ts   (about a minute; STREAMS=500 RATE=200 SECONDS=8 SEED=20000)
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { fmt, machine, percentile } from './util.ts';

const STREAMS = Number(process.env.STREAMS ?? 500);
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 8);
const SEED = Number(process.env.SEED ?? 20_000);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Msg = { type: string; base?: string; tokens?: string[]; poster?: string; rss?: number; peak?: number };
const server = fork(fileURLToPath(new URL('./stream-flood-server.ts', import.meta.url)), [], {
  execArgv: ['--import', 'tsx'],
  env: { ...process.env, BULWARK_RATE_LIMIT: '0' },
});
const next = (type: string) =>
  new Promise<Msg>((resolve) => {
    const on = (m: Msg) => {
      if (m.type !== type) return;
      server.off('message', on);
      resolve(m);
    };
    server.on('message', on);
  });
const ask = async (m: object, answer: string) => {
  const p = next(answer);
  server.send(m);
  return p;
};
const mb = (n: number | undefined) => `${fmt((n ?? 0) / 1024 / 1024)} MB`;

/** Opens a stream on a raw socket, reads the status line, then never reads again. */
function silentStream(
  base: string,
  token: string,
  lastEventId?: string,
): Promise<{ status: number; sock: net.Socket }> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(port), '127.0.0.1', () => {
      sock.write(
        `GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n${lastEventId ? `Last-Event-ID: ${lastEventId}\r\n` : ''}\r\n`,
      );
    });
    sock.once('data', (d: Buffer) => {
      sock.pause();
      resolve({ status: Number(d.toString('latin1').slice(9, 12)), sock });
    });
    sock.on('error', reject);
  });
}

async function postAtRate(base: string, token: string): Promise<number[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const lat: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < RATE * SECONDS; i++) {
    const due = t0 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const body = JSON.stringify({
      title: `flood ${i}`,
      description: 'bench',
      category: 'cyber',
      occurredAt: new Date().toISOString(),
      affectedMembers: ['LT'],
      tlp: 'green',
    });
    pending.push(
      new Promise<void>((resolve) => {
        const start = performance.now();
        const req = http.request(
          `${base}/api/v1/incidents`,
          { method: 'POST', agent, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', () => {
              lat.push(performance.now() - start);
              resolve();
            });
          },
        );
        req.on('error', () => resolve());
        req.end(body);
      }),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  return lat.sort((a, b) => a - b);
}

const { base } = await next('ready');
const { tokens, poster } = await ask({ type: 'users', users: STREAMS }, 'users');
const rows: string[] = [];
console.log(machine());

// A: one token, STREAMS streams.
const one = await Promise.all(Array.from({ length: STREAMS }, () => silentStream(base!, tokens![0]!)));
const counts = new Map<number, number>();
for (const s of one) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
rows.push(`A  one token asks for ${STREAMS} streams: ${[...counts].map(([k, v]) => `${v} × ${k}`).join(', ')}`);
for (const s of one) s.sock.destroy();
await sleep(500);

for (const scenario of ['0', 'B', 'C'] as const) {
  if (scenario === 'C') await ask({ type: 'seed', n: SEED }, 'seeded');
  await ask({ type: 'rss', n: 1 }, 'rss');
  const idle = await ask({ type: 'rss' }, 'rss');
  const socks =
    scenario === '0'
      ? []
      : await Promise.all(tokens!.map((t) => silentStream(base!, t, scenario === 'C' ? '0' : undefined)));
  const lat = await postAtRate(base!, poster!);
  await sleep(500);
  const r = await ask({ type: 'rss', n: 1 }, 'rss');
  const statuses = new Map<number, number>();
  for (const s of socks) statuses.set(s.status, (statuses.get(s.status) ?? 0) + 1);
  const ok = [...statuses].map(([k, v]) => `${v} × ${k}`).join(', ');
  const what =
    scenario === '0'
      ? 'no streams (baseline)'
      : scenario === 'B'
        ? `${STREAMS} users × 1 silent live stream (${ok})`
        : `${STREAMS} users × 1 silent stream resuming from 0 over ${SEED} events (${ok})`;
  rows.push(
    `${scenario}  ${what}, ${RATE} POST/s for ${SECONDS} s: POST p50 ${fmt(percentile(lat, 50), 1)} ms, p99 ${fmt(percentile(lat, 99), 1)} ms, max ${fmt(lat.at(-1) ?? NaN, 0)} ms (${lat.length} answered); server RSS before ${mb(idle.rss)}, peak ${mb(r.peak)}, after ${mb(r.rss)}`,
  );
  for (const s of socks) s.sock.destroy();
  await sleep(1000);
}
await ask({ type: 'rss', n: 1 }, 'rss');
await sleep(1000);
const end = await ask({ type: 'rss' }, 'rss');
rows.push(`   server RSS after every stream left: ${mb(end.rss)}`);
console.log(rows.join('\n'));
server.send({ type: 'stop' });
