/**
 * The report path (issue 19): incident reports posted over HTTP by the 31 member users in turn, to one
 * server with SQLite, each reaching 31 member streams. Per phase: CPU per request on the server (its
 * event loop's active time; the serving thread's own CPU time, which leaves out time it waited for a core; and
 * the whole process's user+system time), POST latency, and the latency from
 * the POST to the LAST of the 31 streams receiving the report; beside it, in the same run, the baseline:
 * a bare POST round trip of the same body to a route on the same server (same hooks, no use case).
 * The load generator and the subscribers run in a child process (bench/report-path-client.ts).
 *
 * Run: npx tsx bench/report-path.bench.ts
 *   BENCH_PHASES   default bare100,report100,bare500,report500,burst (burst: 1,000/s for 10 s, posts
 *                  answered 429/503 are posted again after Retry-After); also fanoutN: N events/s appended
 *                  by the server itself (relay and streams only)
 *   BENCH_SECONDS  seconds per phase other than the burst (default 5)
 *   BENCH_PROFILE  a folder: the server's CPU profile of each report phase is written there as
 *                  <phase>.cpuprofile (V8's sampling profiler, as `node --cpu-prof`, over that phase only);
 *                  summarise with `npx tsx bench/cpu-profile-summary.ts FILE`
 *   BENCH_ENV      extra settings for the server, e.g. BULWARK_WRITE_QUEUE_MAX=0
 *   BENCH_LOG      the server's log level (default: silent), e.g. error to see what a 500 was
 *   BENCH_PROXY    nginx: the client posts and subscribes through scripts/proxy-nginx.sh in front of the server
 *                  (PROXY_MAX_CONNS from BENCH_PROXY_MAX_CONNS, default 64); nginx's own CPU is printed at the end
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer, type AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger, silentLogger } from '../src/platform/log.ts';
import { createApp, createServices } from '../src/main.ts';
import { emit, tokenFor } from '../test/stream-fixture.ts';
import type { PhaseResult, Run } from './report-path-client.ts';
import { percentile, threadCpuMs } from './util.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const PHASES = (process.env.BENCH_PHASES ?? 'bare100,report100,bare500,report500,burst').split(',');
const PROFILE = process.env.BENCH_PROFILE;
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 10);
const extraEnv = Object.fromEntries(
  (process.env.BENCH_ENV ?? '')
    .split(',')
    .filter((s) => s.includes('='))
    .map((s) => s.split('=') as [string, string]),
);

const config = loadConfig({ data: mkdtempSync(join(tmpdir(), 'bulwark-report-path-')) }, extraEnv);
const log = process.env.BENCH_LOG ? createLogger(process.env.BENCH_LOG) : silentLogger;
const services = await createServices(config, { log, events: {} });
const app = await createApp(services);
// The baseline: the same body posted to a route that parses it and answers, through the same hooks.
app.post('/bench/ping', async (_req, reply) => reply.status(200).send({ ok: true }));
// Server side of a POST, from the moment Node read its request to its answer, per status: beside the client's
// figure it tells the wait before the server read a request (connections, sockets) from the wait after.
const readAt = new WeakMap<object, number>();
const served = new Map<number, number[]>();
app.server.on('request', (req: object) => readAt.set(req, performance.now()));
// How long the serving thread held the loop at a stretch: past the listen backlog's worth of connections, the kernel
// drops connection attempts and clients retry after 1, 3, 7 … s.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
app.addHook('onResponse', async (req, reply) => {
  const t = readAt.get(req.raw);
  if (t === undefined || req.method !== 'POST') return;
  const list = served.get(reply.statusCode) ?? [];
  list.push(performance.now() - t);
  served.set(reply.statusCode, list);
});
await app.listen({ port: 0, host: '127.0.0.1', backlog: config.listenBacklog });
const addr = app.server.address();
const direct = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
const PROXY = process.env.BENCH_PROXY;
const PROXY_MAX_CONNS = process.env.BENCH_PROXY_MAX_CONNS ?? '64';
const proxyDir = PROXY === 'nginx' ? mkdtempSync(join(tmpdir(), 'bulwark-report-path-proxy-')) : undefined;
let base = direct;
if (proxyDir) {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  const r = spawnSync('sh', ['scripts/proxy-nginx.sh', proxyDir, String(port), new URL(direct).host], {
    env: { ...process.env, PROXY_MAX_CONNS },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`proxy-nginx.sh failed: ${r.stderr}`);
  base = `http://127.0.0.1:${port}`;
}
/** CPU seconds used so far by nginx's master and workers (from /proc; clock ticks of 10 ms). */
const nginxCpu = (): number => {
  if (!proxyDir) return 0;
  const master = readFileSync(join(proxyDir, 'nginx.pid'), 'utf8').trim();
  const pids = [master, ...spawnSync('pgrep', ['-P', master], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean)];
  let ticks = 0;
  for (const pid of pids) {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / 100;
};
const nginxCpu0 = nginxCpu();

const members = (await services.orgs.list()).filter((o) => o.kind === 'member').slice(0, 31);
const tokens = await Promise.all(members.map((m) => tokenFor(services, m.code)));
const child = fork(fileURLToPath(new URL('./report-path-client.ts', import.meta.url)), [], {
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
child.send({ type: 'start', base, tokens, orgs: members.map((m) => m.code) });
await ready;

const session = PROFILE ? new Session() : undefined;
if (session) {
  mkdirSync(PROFILE!, { recursive: true });
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
}

const f = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '–');
const pcts = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${f(percentile(s, 50))} / ${f(percentile(s, 99))} / ${f(s[s.length - 1] ?? NaN)}`;
};
const rows: string[] = [];
const notes: string[] = [];
// Warm-up: JIT, statement caches, the streams' first frames.
await phase({ type: 'run', phase: 'warm', kind: 'report', rate: 50, seconds: 2, retry: false }, false);
served.clear();

for (const name of PHASES) {
  const burst = name === 'burst';
  const m = /^(bare|report|fanout)(\d+)$/.exec(name);
  const run: Run = burst
    ? { type: 'run', phase: name, kind: 'report', rate: 1000, seconds: BURST_SECONDS, retry: true }
    : { type: 'run', phase: name, kind: m![1] as Run['kind'], rate: Number(m![2]), seconds: SECONDS, retry: false };
  const load = loadavg()[0]!;
  const profiling = session !== undefined && run.kind !== 'bare';
  loopDelay.reset();
  if (profiling) await session.post('Profiler.start');
  const r = await phase(run, true);
  if (profiling) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(join(PROFILE!, `${name}.cpuprofile`), JSON.stringify(profile));
  }
  const answered = run.kind === 'fanout' ? r.result.stored : r.result.post.length;
  const codes = Object.entries(r.result.statuses)
    .map(([k, v]) => `${k}×${v}`)
    .join(' ');
  rows.push(
    `| ${name} | ${run.rate}/s × ${run.seconds} s | ${codes}${r.result.retryAfterMissing ? ` (${r.result.retryAfterMissing} without Retry-After)` : ''} | ${f(r.eluMs / answered)} | ${f(r.threadMs / answered)} | ${f(r.cpuMs / answered)} | ${pcts(r.result.post)} | ${run.kind !== 'bare' ? `${pcts(r.result.last)} | ${r.result.stored - r.result.lost}/${r.result.stored} (${r.result.duplicates} dup)` : '– | –'} | ${f(r.result.drainS, 1)} | ${f(r.result.clientElu)} | ${r.result.late} | ${f(load, 1)} |`,
  );
  console.error(rows[rows.length - 1]);
  const sides = [...served].map(([code, ms]) => `${code}: ${pcts(ms)}`).join('; ');
  notes.push(`${name}: POST read → answered on the server, p50 / p99 / max ms by status: ${sides}`);
  notes.push(
    `${name}: event loop delay p99 / max ms: ${f(loopDelay.percentile(99) / 1e6)} / ${f(loopDelay.max / 1e6)}`,
  );
  served.clear();
}

async function phase(
  run: Run,
  measure: boolean,
): Promise<{ result: PhaseResult; eluMs: number; threadMs: number; cpuMs: number }> {
  const elu0 = performance.eventLoopUtilization();
  const thread0 = threadCpuMs() ?? NaN;
  const cpu0 = process.cpuUsage();
  const done = reply<PhaseResult>('done');
  child.send(run);
  if (run.kind === 'fanout') child.send({ type: 'sent', pairs: await fanout(run) });
  const result = await done;
  const cpu = process.cpuUsage(cpu0);
  const threadMs = (threadCpuMs() ?? NaN) - thread0;
  const eluMs = performance.eventLoopUtilization(elu0).active;
  if (!measure) return { result, eluMs, threadMs, cpuMs: 0 };
  return { result, eluMs, threadMs, cpuMs: (cpu.user + cpu.system) / 1000 };
}

/** Appends incident.created events as a use case would (a transaction, then a nudge), at the phase's rate. */
async function fanout(run: Run): Promise<Array<[string, number]>> {
  const sent: Array<[string, number]> = [];
  const total = run.rate * run.seconds;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const wait = start + (i * 1000) / run.rate - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const id = `incident--${run.phase}-${i}`;
    const t = performance.timeOrigin + performance.now();
    await emit(services, [
      {
        event: 'incident.created',
        objectId: id,
        author: members[i % members.length]!.code,
        tlp: 'green',
        audience: [],
        payload: {
          title: `Surge report ${run.phase} ${i}`,
          category: 'cyber',
          affectedMembers: [members[i % members.length]!.code],
          occurredAt: new Date().toISOString(),
          location: { lat: 50, lon: 20 },
          modified: new Date().toISOString(),
        },
      },
    ]);
    sent.push([id, t]);
  }
  return sent;
}

child.send({ type: 'stop' });
console.log(
  `${new Date().toISOString()}; ${process.version}; store ${services.database.describe.replace(/\/tmp\/[^ ]+/, 'temp dir')}; 31 member streams; reports by the 31 member users in turn; correlation on;${proxyDir ? ` behind nginx (PROXY_MAX_CONNS=${PROXY_MAX_CONNS});` : ''} settings: defaults${Object.keys(extraEnv).length ? ` + ${JSON.stringify(extraEnv)}` : ''}`,
);
console.log(
  '| phase | offered | answers | serving thread ms / request | serving thread CPU ms / request | process CPU ms / request | POST p50 / p99 / max ms | POST → last of 31 streams p50 / p99 / max ms | on every stream | drained in s | load generator ELU | posts >5 ms late | load avg |',
);
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
console.log('');
for (const n of notes) console.log(n);
if (proxyDir) {
  console.log(
    `behind nginx (PROXY_MAX_CONNS=${PROXY_MAX_CONNS}): nginx used ${(nginxCpu() - nginxCpu0).toFixed(1)} s of CPU`,
  );
  spawnSync('nginx', ['-p', proxyDir, '-c', join(proxyDir, 'nginx.conf'), '-s', 'quit']);
}
session?.disconnect();
await app.close();
await services.close();
