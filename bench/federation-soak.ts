/**
 * Soak and fault run for federation and scale-out (issue 18; not in CI). Run:
 *   npx tsx bench/federation-soak.ts [minutes=30] [incidents per second=100]
 *
 * Node A: two `bulwark serve` instances on their own PostgreSQL and NATS JetStream (started here on free
 * ports, so the machine's shared services are never touched) behind nginx (scripts/proxy-nginx.sh).
 * Node B (SQLite) pulls from A through the proxy; node C (SQLite) pulls from B: three nodes. Writers
 * POST incidents (TLP:AMBER, 32 member authors in turn) through the proxy at the given rate; 32
 * subscribers, one per member, follow A's live stream through the proxy (reconnecting with
 * Last-Event-ID), one subscriber follows B's and one C's. Faults, at fractions of the run: 15% SIGKILL
 * an A instance (restarted 5 s later), 30% restart A's PostgreSQL, 45% restart A's NATS, 55% stop node B
 * for a minute (a tenth of the run if shorter), 70% stop the proxy for 15 s, 85% SIGKILL the other A
 * instance. Then it waits for everything to drain and checks, against A's store: no acknowledged write
 * missing; every committed incident delivered exactly once to each member stream and to B's and C's
 * streams; B and C each hold every incident exactly once. Prints Markdown for bench/RESULTS.md: counts,
 * p50/p99 latency (from the incident's `modified`, set by A as it writes; one machine, one clock), RSS
 * over time, CPU time. A write answered 503 or 429 (nothing stored) is sent again after Retry-After.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  createWriteStream,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { createServices } from '../src/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { systemActor } from '../src/kernel/access/actor.ts';
import { MEMBERS } from '../src/contexts/sharing/organisations.ts';
import { openStream, type SseClient } from '../test/sse-client.ts';
import { percentile } from './util.ts';

const MINUTES = Number(process.argv[2] ?? 30);
const RATE = Number(process.argv[3] ?? 100);
const RUN_MS = MINUTES * 60_000;
const DRAIN_MS = 180_000;
const CLI = ['--import', 'tsx', 'src/cli.ts'];
const SECRET = 'soak-secret-key-'.repeat(4);
const dir = mkdtempSync(join(tmpdir(), 'bulwark-soak-'));
chmodSync(dir, 0o755);
/** Each process's output, kept after the run (the data folders are removed). */
const logDir = mkdtempSync(join(tmpdir(), 'bulwark-soak-logs-'));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = now();
const at = () => ((now() - t0) / 1000).toFixed(0).padStart(5);
const log = (s: string) => process.stderr.write(`[${at()} s] ${s}\n`);

async function freePort(): Promise<number> {
  const s = createServer().listen(0, '127.0.0.1');
  await once(s, 'listening');
  const port = (s.address() as { port: number }).port;
  s.close();
  await once(s, 'close');
  return port;
}

// ---- processes -------------------------------------------------------------------------------------
const procs = new Map<string, ChildProcess>();
const asPostgres = (cmd: string, args: string[]): [string, string[]] =>
  process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];

function start(name: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, ready?: RegExp): Promise<void> {
  const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  procs.set(name, c);
  const file = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  c.stdout.pipe(file);
  c.stderr.pipe(file);
  c.once('exit', (code, signal) => {
    if (!stopping.has(c)) log(`${name} exited unexpectedly (${code ?? signal}); see ${logDir}/${name}.log`);
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer) => {
      out = (out + d.toString()).slice(-4000);
      if (ready?.test(out)) resolve();
    };
    c.stdout.on('data', seen);
    c.stderr.on('data', seen);
    c.once('exit', (code) => reject(new Error(`${name} exited (${code}) before it was ready: ${out}`)));
    if (!ready) resolve();
  });
}

const stopping = new Set<ChildProcess>();

async function stop(name: string, signal: NodeJS.Signals): Promise<void> {
  const c = procs.get(name);
  if (!c || c.exitCode !== null || c.signalCode !== null) return;
  stopping.add(c);
  const exited = once(c, 'exit');
  // PostgreSQL runs under runuser, which does not pass signals on: signal the postmaster itself.
  if (name === 'postgres')
    process.kill(Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]), signal);
  else c.kill(signal);
  await exited;
}

/** RSS in MiB and CPU seconds (user + system) of a running process, from /proc. */
function usage(pid: number | undefined): { rss: number; cpu: number } | undefined {
  if (!pid) return undefined;
  try {
    const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { rss: Number(rss?.[1] ?? 0) / 1024, cpu: (Number(f[11]) + Number(f[12])) / 100 };
  } catch {
    return undefined;
  }
}

/** The PostgreSQL server's own process (it runs under runuser when this script runs as root). */
function postmaster(): number | undefined {
  try {
    return Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

// ---- the nodes -------------------------------------------------------------------------------------
const ports = { pg: 0, nats: 0, a1: 0, a2: 0, proxy: 0, b: 0, c: 0 };
const pgDir = join(dir, 'pg');
const pgUrl = () => `postgres://postgres@127.0.0.1:${ports.pg}/soak`;
const natsUrl = () => `nats://127.0.0.1:${ports.nats}`;
const proxyDir = join(dir, 'proxy');
const proxyUrl = () => `http://127.0.0.1:${ports.proxy}`;

const startPg = () =>
  start(
    'postgres',
    ...asPostgres('postgres', ['-D', pgDir, '-p', String(ports.pg), '-k', pgDir, '-c', 'listen_addresses=127.0.0.1']),
    {},
    /ready to accept connections/,
  );
const startNats = () =>
  start(
    'nats',
    'nats-server',
    ['-js', '-a', '127.0.0.1', '-p', String(ports.nats), '-sd', join(dir, 'nats')],
    {},
    /Server is ready/,
  );
const aEnv = () => ({
  BULWARK_SECRET_KEY: SECRET,
  BULWARK_TRUST_PROXY: 'loopback',
  BULWARK_PUBLIC_URL: proxyUrl(),
  BULWARK_RATE_LIMIT: '0',
});
const startA = (n: 'a1' | 'a2') =>
  start(
    n,
    process.execPath,
    [...CLI, 'serve', '--port', String(ports[n]), '--database-url', pgUrl(), '--nats-url', natsUrl()],
    aEnv(),
    /listening on/,
  );
const fedEnv = { BULWARK_SECRET_KEY: SECRET, BULWARK_RATE_LIMIT: '0' };
const startSqliteNode = (n: 'b' | 'c') =>
  start(
    n,
    process.execPath,
    [...CLI, 'serve', '--port', String(ports[n]), '--data', join(dir, n)],
    fedEnv,
    /listening on/,
  );
const nginx = (args: string[]) => spawnSync('nginx', ['-p', proxyDir, '-c', join(proxyDir, 'nginx.conf'), ...args]);

/** Users of a store (one-shot, in this process): returns their tokens. */
async function users(
  cfg: { databaseUrl?: string; data?: string },
  wanted: Array<{ org: string; name: string }>,
  peers: Array<{ name: string; url: string; user: string; token: string }> = [],
): Promise<Map<string, string>> {
  const s = await createServices(
    loadConfig({ data: cfg.data ?? join(dir, 'unused'), databaseUrl: cfg.databaseUrl }, { BULWARK_SECRET_KEY: SECRET }),
    {
      log: silentLogger,
      profile: 'one-shot',
    },
  );
  const out = new Map<string, string>();
  try {
    for (const w of wanted) out.set(w.name, (await s.users.create({ member: w.org, name: w.name })).token);
    for (const p of peers) await s.federation.peers.add(systemActor('soak'), p);
  } finally {
    await s.close();
  }
  return out;
}

// ---- streams ---------------------------------------------------------------------------------------
interface Follower {
  name: string;
  counts: Uint8Array;
  lat: number[];
  reconnects: number;
  close(): void;
}
const index = new Map<string, number>();
const answeredAt: number[] = [];
const CAP = Math.ceil(RATE * (RUN_MS / 1000) * 1.2) + 1000;
const idx = (id: string) => {
  let i = index.get(id);
  if (i === undefined) index.set(id, (i = index.size));
  return i;
};

function follow(name: string, base: () => string, token: string): Follower {
  let closed = false;
  let current: SseClient | undefined;
  const f: Follower = {
    name,
    counts: new Uint8Array(CAP),
    lat: [],
    reconnects: -1,
    close: () => {
      closed = true;
      current?.close();
    },
  };
  let last: string | undefined;
  const onEvent = (e: { id: string | undefined; event: string; data: string }) => {
    if (e.id !== undefined) last = e.id;
    if (e.event !== 'incident.created') return;
    const data = JSON.parse(e.data) as { id: string; modified?: string };
    const i = idx(data.id);
    if (i >= CAP) return;
    f.counts[i]!++;
    // From the incident's `modified`, which A's instance sets as it writes (one machine, one clock).
    if (f.counts[i] === 1 && data.modified) f.lat.push(Math.max(0, Date.now() - Date.parse(data.modified)));
  };
  void (async () => {
    while (!closed) {
      try {
        current = await openStream(base(), token, { onEvent, ...(last ? { lastEventId: last } : {}) });
        f.reconnects++;
        if (current.status !== 200) current.close();
        await current.ended;
      } catch {
        // refused while the proxy or the node is down: try again
      }
      if (!closed) await sleep(500);
    }
  })();
  return f;
}

// ---- main ------------------------------------------------------------------------------------------
async function main() {
  for (const k of Object.keys(ports) as Array<keyof typeof ports>) ports[k] = await freePort();
  mkdirSync(pgDir);
  if (process.getuid?.() === 0) chownSync(pgDir, 101, 104);
  const init = spawnSync(...asPostgres('initdb', ['-D', pgDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']), {
    encoding: 'utf8',
  });
  if (init.status !== 0) throw new Error(`initdb: ${init.stderr}`);
  if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', pgDir]);
  await startPg();
  const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${ports.pg}/postgres` });
  await admin.connect();
  await admin.query('create database soak');
  await admin.end();
  await startNats();
  log(`PostgreSQL :${ports.pg}, NATS :${ports.nats}`);

  const members = MEMBERS.map((m) => m.code);
  const aUsers = await users({ databaseUrl: pgUrl() }, [
    ...members.map((org) => ({ org, name: `soak-${org}` })),
    { org: 'LT', name: 'node-b' },
  ]);
  await Promise.all([startA('a1'), startA('a2')]);
  const proxy = spawnSync(
    'sh',
    ['scripts/proxy-nginx.sh', proxyDir, String(ports.proxy), `127.0.0.1:${ports.a1}`, `127.0.0.1:${ports.a2}`],
    {
      encoding: 'utf8',
    },
  );
  if (proxy.status !== 0) throw new Error(`proxy: ${proxy.stderr}`);
  const bUsers = await users(
    { data: join(dir, 'b') },
    [
      { org: 'EE', name: 'node-c' },
      { org: 'US', name: 'watch-b' },
    ],
    [{ name: 'a', url: `${proxyUrl()}/taxii2/alliance/`, user: 'node-b', token: aUsers.get('node-b')! }],
  );
  const cUsers = await users(
    { data: join(dir, 'c') },
    [{ org: 'US', name: 'watch-c' }],
    [{ name: 'b', url: `http://127.0.0.1:${ports.b}/taxii2/alliance/`, user: 'node-c', token: bUsers.get('node-c')! }],
  );
  await Promise.all([startSqliteNode('b'), startSqliteNode('c')]);
  log(`A: ${proxyUrl()} (instances :${ports.a1} :${ports.a2}), B :${ports.b}, C :${ports.c}`);

  const followers = members.map((org) => follow(`A/${org}`, proxyUrl, aUsers.get(`soak-${org}`)!));
  const onB = follow('B', () => `http://127.0.0.1:${ports.b}`, bUsers.get('watch-b')!);
  const onC = follow('C', () => `http://127.0.0.1:${ports.c}`, cUsers.get('watch-c')!);
  await sleep(3000);

  // Memory and CPU over time.
  const samples: Array<{ t: number; rss: Record<string, number> }> = [];
  const cpuSeen = new Map<string, number>();
  const sample = () => {
    const rss: Record<string, number> = {};
    for (const [name, c] of [...procs, ['bench', { pid: process.pid } as ChildProcess] as const]) {
      const u = usage(name === 'postgres' ? postmaster() : c.pid);
      if (!u) continue;
      rss[name] = u.rss;
      cpuSeen.set(`${name}:${c.pid}`, u.cpu);
    }
    samples.push({ t: (now() - t0) / 1000, rss });
  };
  const sampler = setInterval(sample, 15_000);
  const load: number[][] = [loadavg()];

  // Faults.
  const faults: string[] = [];
  const fault = async (what: string, fn: () => Promise<void>) => {
    log(what);
    faults.push(`${at().trim()} s: ${what}`);
    await fn().catch((e: unknown) => log(`fault failed: ${String(e)}`));
  };
  const downFor = Math.min(60_000, RUN_MS / 10);
  const plan: Array<[number, string, () => Promise<void>]> = [
    [
      0.15,
      'SIGKILL A instance 1; restarted 5 s later',
      async () => {
        await stop('a1', 'SIGKILL');
        await sleep(5000);
        await startA('a1');
      },
    ],
    [
      0.3,
      "restart A's PostgreSQL (fast shutdown, start)",
      async () => {
        await stop('postgres', 'SIGINT');
        await startPg();
      },
    ],
    [
      0.45,
      "restart A's NATS",
      async () => {
        await stop('nats', 'SIGTERM');
        await startNats();
      },
    ],
    [
      0.55,
      `stop node B for ${downFor / 1000} s`,
      async () => {
        await stop('b', 'SIGTERM');
        await sleep(downFor);
        await startSqliteNode('b');
      },
    ],
    [
      0.7,
      'stop the proxy for 15 s',
      async () => {
        nginx(['-s', 'stop']);
        await sleep(15_000);
        const r = nginx([]);
        if (r.status !== 0) throw new Error(String(r.stderr));
      },
    ],
    [
      0.85,
      'SIGKILL A instance 2; restarted 5 s later',
      async () => {
        await stop('a2', 'SIGKILL');
        await sleep(5000);
        await startA('a2');
      },
    ],
  ];
  const t0Run = now();
  const faulting = (async () => {
    for (const [f, what, fn] of plan) {
      const due = t0Run + f * RUN_MS;
      if (due > now()) await sleep(due - now());
      await fault(what, fn);
    }
  })();

  // Writers: open loop at RATE, authors in turn.
  let sent = 0;
  let failed = 0;
  let skipped = 0;
  let retried = 0;
  let inflight = 0;
  const postMs: number[] = [];
  const failures = new Map<string, number>();
  const writes: Promise<void>[] = [];
  for (let i = 0; ; i++) {
    const due = t0Run + (i * 1000) / RATE;
    if (due > t0Run + RUN_MS) break;
    if (due - now() > 1) await sleep(due - now());
    if (inflight > 3000) {
      skipped++;
      continue;
    }
    const org = members[i % members.length]!;
    const t = now();
    sent++;
    inflight++;
    const body = JSON.stringify({
      title: `soak ${i}`,
      description: 'soak run',
      category: 'cyber',
      occurredAt: '2026-01-01T00:00:00Z',
      affectedMembers: [org],
      tlp: 'amber',
      observables: [{ type: 'ipv4-addr', value: `198.51.100.${i % 250}` }],
    });
    // A 503 or 429 says nothing was stored: the writer waits as Retry-After says (at most 5 s) and sends
    // it again, as a client of the API does; anything else that is not a 201 counts as failed.
    const post = async (): Promise<void> => {
      for (let attempt = 0; ; attempt++) {
        const r = await fetch(`${proxyUrl()}/api/v1/incidents`, {
          method: 'POST',
          signal: AbortSignal.timeout(60_000),
          headers: { authorization: `Bearer ${aUsers.get(`soak-${org}`)!}`, 'content-type': 'application/json' },
          body,
        });
        if ((r.status === 503 || r.status === 429) && attempt < 20) {
          await r.arrayBuffer();
          retried++;
          await sleep(Math.min(5, Number(r.headers.get('retry-after') ?? 1) || 1) * 1000);
          continue;
        }
        if (r.status !== 201) throw new Error(`HTTP ${r.status}`);
        const { id } = (await r.json()) as { id: string };
        const done = now();
        postMs.push(done - t);
        answeredAt[idx(id)] = done;
        return;
      }
    };
    const w = post()
      .catch((e: unknown) => {
        failed++;
        const key = e instanceof Error ? e.message.slice(0, 60) : 'error';
        failures.set(key, (failures.get(key) ?? 0) + 1);
      })
      .finally(() => inflight--);
    writes.push(w);
    if (i % (RATE * 30) === 0) {
      load.push(loadavg());
      log(`sent ${sent}, answered ${postMs.length}, failed ${failed}, in flight ${inflight}`);
    }
  }
  await faulting;
  await Promise.all(writes);
  log(`writing done: sent ${sent}, answered ${postMs.length}, failed ${failed}; draining`);

  // What A committed is the truth every stream and node is checked against.
  const committed = async () => {
    const c = new pg.Client({ connectionString: pgUrl() });
    await c.connect();
    const r = await c.query<{ id: string; n: string }>(
      "select id, count(*) as n from objects where type = 'incident' group by id",
    );
    await c.end();
    return r.rows;
  };
  let truth = await committed();
  const drainEnd = now() + DRAIN_MS;
  const complete = (f: Follower) => truth.every((r) => f.counts[idx(r.id)] === 1);
  while (now() < drainEnd && ![...followers, onB, onC].every(complete)) await sleep(1000);
  truth = await committed();
  load.push(loadavg());
  sample();
  clearInterval(sampler);
  const drained = ((now() - t0Run - RUN_MS) / 1000).toFixed(0);
  for (const f of [...followers, onB, onC]) f.close();

  const cpu = new Map<string, number>();
  for (const [k, v] of cpuSeen) {
    const name = k.slice(0, k.indexOf(':'));
    cpu.set(name, (cpu.get(name) ?? 0) + v);
  }
  const heldBy = (n: 'b' | 'c') => {
    const db = new SQLite(join(dir, n, 'bulwark.sqlite'), { readonly: true });
    const rows = db
      .prepare("select id, count(*) as n from objects where type = 'incident' group by id")
      .all() as Array<{
      id: string;
      n: number;
    }>;
    db.close();
    return new Map(rows.map((r) => [r.id, r.n]));
  };
  const [heldB, heldC] = [heldBy('b'), heldBy('c')];

  // ---- checks and report -----------------------------------------------------------------------
  const truthIds = new Set(truth.map((r) => r.id));
  const answeredIds = [...index].filter(([, i]) => answeredAt[i] !== undefined).map(([id]) => id);
  const lostAcked = answeredIds.filter((id) => !truthIds.has(id)).length;
  const versionsOnA = truth.filter((r) => Number(r.n) !== 1).length;
  const tally = (f: Follower) => {
    let missing = 0;
    let dup = 0;
    for (const r of truth) {
      const n = f.counts[idx(r.id)]!;
      if (n === 0) missing++;
      if (n > 1) dup += n - 1;
    }
    return { missing, dup };
  };
  const member = followers.map(tally);
  const lat = (xs: number[]) => {
    const s = [...xs].sort((x, y) => x - y);
    return `${percentile(s, 50).toFixed(0)} | ${percentile(s, 99).toFixed(0)}`;
  };
  const node = (held: Map<string, number>) => ({
    missing: truth.filter((r) => !held.has(r.id)).length,
    dup: [...held.values()].filter((n) => n > 1).length,
    extra: [...held.keys()].filter((id) => !truthIds.has(id)).length,
  });
  const [nb, nc] = [node(heldB), node(heldC)];
  const [sb, sc] = [tally(onB), tally(onC)];
  const ok =
    lostAcked === 0 &&
    versionsOnA === 0 &&
    member.every((m) => m.missing === 0 && m.dup === 0) &&
    [nb, nc, sb, sc].every((x) => x.missing === 0 && x.dup === 0);
  const rep = [...postMs].sort((x, y) => x - y);
  const names = ['a1', 'a2', 'b', 'c', 'postgres', 'nats', 'bench'];
  const perMinute = new Map<number, Record<string, number>>();
  for (const s of samples) {
    const m = Math.floor(s.t / 60);
    const row = perMinute.get(m) ?? {};
    for (const [k, v] of Object.entries(s.rss)) row[k] = Math.max(row[k] ?? 0, v);
    perMinute.set(m, row);
  }
  const out = [
    `\n### Soak and fault run: ${MINUTES} min at ${RATE} incidents/s (${ok ? 'nothing lost, nothing doubled' : 'FAILED'})`,
    '',
    `Load average (1/5/15 min) at start, every 30 s, end: ${load.map((l) => l.map((x) => x.toFixed(1)).join('/')).join(', ')}.`,
    '',
    `Faults: ${faults.join('; ')}. Drained ${drained} s after the last write.`,
    '',
    '| writes | count |',
    '|---|---|',
    `| POSTed through the proxy | ${sent} |`,
    `| answered 201 (after ${retried} retries of a 503/429 answer: nothing stored, retry after) | ${postMs.length} |`,
    `| failed (no answer or not 201: the proxy or an instance down) | ${failed}${failures.size ? ` (${[...failures].map(([k, v]) => `${k}: ${v}`).join('; ')})` : ''} |`,
    `| not sent (more than 3,000 in flight) | ${skipped} |`,
    `| committed on A (incidents in A's store) | ${truth.length} |`,
    `| answered but not committed (lost) | ${lostAcked} |`,
    `| committed without an answer (the answer was lost in a fault) | ${truth.length - (answeredIds.length - lostAcked)} |`,
    '',
    '| delivered to | missing | duplicates | p50 ms | p99 ms | (re)connections |',
    '|---|---|---|---|---|---|',
    `| 32 member streams on A (through the proxy), total | ${member.reduce((s, m) => s + m.missing, 0)} | ${member.reduce((s, m) => s + m.dup, 0)} | ${lat(followers.flatMap((f) => f.lat))} | ${followers.reduce((s, f) => s + f.reconnects + 1, 0)} |`,
    `| node B's live stream (B pulls from A through the proxy) | ${sb.missing} | ${sb.dup} | ${lat(onB.lat)} | ${onB.reconnects + 1} |`,
    `| node C's live stream (C pulls from B) | ${sc.missing} | ${sc.dup} | ${lat(onC.lat)} | ${onC.reconnects + 1} |`,
    `| node B's store | ${nb.missing} | ${nb.dup} (extra ${nb.extra}) | – | – | – |`,
    `| node C's store | ${nc.missing} | ${nc.dup} (extra ${nc.extra}) | – | – | – |`,
    '',
    `POST answered (baseline, through the proxy, from the first attempt): p50 ${percentile(rep, 50).toFixed(0)} ms, p99 ${percentile(rep, 99).toFixed(0)} ms.`,
    '',
    `| minute | ${names.map((n) => `${n} RSS MiB`).join(' | ')} |`,
    `|---|${names.map(() => '---').join('|')}|`,
    ...[...perMinute].map(
      ([m, r]) => `| ${m} | ${names.map((n) => (r[n] === undefined ? '–' : r[n].toFixed(0))).join(' | ')} |`,
    ),
    '',
    `CPU seconds (user+system, last sample of each process; restarted processes summed): ${names
      .map((n) => `${n} ${(cpu.get(n) ?? 0).toFixed(0)}`)
      .join(', ')}.`,
    '',
  ];
  process.stdout.write(out.join('\n'));
  log(`process logs: ${logDir}`);
  if (!ok) process.exitCode = 1;
}

function cleanup() {
  nginx(['-s', 'stop']);
  void stop('postgres', 'SIGINT').catch(() => undefined);
  for (const c of procs.values())
    if (c.exitCode === null && c.signalCode === null) {
      stopping.add(c);
      c.kill('SIGTERM');
    }
  setTimeout(() => {
    for (const c of procs.values()) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit();
  }, 5000);
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanup);
process.on('SIGINT', cleanup);
writeFileSync(join(dir, 'README'), 'bulwark soak run; removed at the end\n');
