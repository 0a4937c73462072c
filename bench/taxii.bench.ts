/**
 * TAXII read path at scale: a store of N objects (default 1,000,000) in SQLite, the real server
 * in a child process, autocannon GET …/objects/?limit=100&match[type]=… with random added_after
 * cursors, beside a bare Fastify route in the same run; server RSS read from /proc.
 * Run: npx tsx bench/taxii.bench.ts [N] [seconds]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import autocannon from 'autocannon';
import { openDatabase } from '../src/platform/db/database.ts';
import { systemClock } from '../src/platform/clock.ts';
import { systemActor } from '../src/kernel/access/actor.ts';
import { KnowledgeRepository } from '../src/contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../src/contexts/knowledge/knowledge.service.ts';
import { OrganisationRepository } from '../src/contexts/sharing/organisation.repository.ts';
import { UserRepository } from '../src/contexts/sharing/user.repository.ts';
import { UserService } from '../src/contexts/sharing/user.service.ts';
import { fmt, machine, syntheticObject } from './util.ts';

const N = Number(process.argv[2] ?? 1_000_000);
const SECONDS = Number(process.argv[3] ?? 10);
const dir = join(tmpdir(), `bulwark-taxii-bench-${N}`);

async function prepareStore(): Promise<{ token: string; firstUs: number; lastUs: number }> {
  mkdirSync(dir, { recursive: true });
  const fresh = !existsSync(join(dir, 'bulwark.sqlite'));
  const database = await openDatabase({ dataDir: dir });
  const orgs = new OrganisationRepository(database.db);
  await orgs.seed();
  const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  if (fresh) {
    const t0 = performance.now();
    for (let start = 0; start < N; start += 100_000) {
      const n = Math.min(100_000, N - start);
      await svc.ingest(
        systemActor('bench'),
        Array.from({ length: n }, (_, i) => ({ index: i, value: syntheticObject(start + i) })),
        { asOrg: ['PL', 'LT', 'US', 'EE'][(start / 100_000) % 4], defaultTlp: 'amber' },
      );
      process.stderr.write(`  stored ${fmt(start + n)} objects (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
    }
  }
  const users = new UserService(new UserRepository(database.db), orgs, systemClock);
  const { token } = await users.create({ member: 'LT', name: `bench-${Date.now()}` });
  const firstUs = await database.db
    .selectFrom('objects')
    .select((eb) => eb.fn.min('added_us').as('m'))
    .executeTakeFirstOrThrow();
  const lastUs = await svc.repo.lastAddedUs();
  await database.close();
  return { token, firstUs: Number(firstUs.m), lastUs };
}

async function start(cmd: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number }> {
  // As `npm start` runs the server: a 4 MB young generation (see docs/operations.md).
  const child = spawn(process.execPath, ['--max-semi-space-size=4', '--import', 'tsx', ...cmd], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  for await (const chunk of child.stdout) {
    out += String(chunk);
    const m = /(?:LISTENING |listening on http:\/\/127\.0\.0\.1:)(\d+)/.exec(out);
    if (m) return { child, port: Number(m[1]) };
  }
  throw new Error(`server did not start: ${out}`);
}

function rssMb(pid: number): { rss: number; hwm: number } {
  const s = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0) / 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  kbPerSec: number;
}

/** wrk when installed (BENCH_LOAD=autocannon forces autocannon). */
const WRK =
  process.env.BENCH_LOAD === 'autocannon'
    ? undefined
    : ['/usr/bin/wrk', '/usr/local/bin/wrk'].find((p) => existsSync(p));

/** autocannon (JavaScript, in this process) when wrk is not installed. */
async function autocannonLoad(url: string, headers: Record<string, string>, paths: () => string): Promise<LoadResult> {
  const r = await autocannon({
    url,
    connections: 8,
    duration: SECONDS,
    headers,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths() }) }],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    kbPerSec: r.throughput.average / 1024,
  };
}

/** wrk (C, one thread): the load generator takes less of the two cores than autocannon does. */
async function wrkLoad(
  wrk: string,
  url: string,
  headers: Record<string, string>,
  script: string | undefined,
  env: Record<string, string>,
): Promise<LoadResult> {
  const args = [
    '-t1',
    '-c8',
    `-d${SECONDS}s`,
    '--latency',
    ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    ...(script ? ['-s', script] : []),
    url,
  ];
  const child = spawn(wrk, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  for await (const chunk of child.stdout) out += String(chunk);
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}%\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`wrk output without ${label}%: ${out}`);
    return Number(m[1]) * { us: 0.001, ms: 1, s: 1000 }[m[2] as 'us' | 'ms' | 's'];
  };
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(out);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN),
    p50: ms('50'),
    p99: ms('99'),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    kbPerSec: transfer
      ? Number(transfer[1]) * { B: 1 / 1024, KB: 1, MB: 1024, GB: 1024 * 1024 }[transfer[2] as 'B' | 'KB' | 'MB' | 'GB']
      : NaN,
  };
}

async function main(): Promise<void> {
  console.log(`# TAXII bench: ${fmt(N)} objects, ${SECONDS} s per run, 8 connections; ${machine()}`);
  const { token, firstUs, lastUs } = await prepareStore();
  const bare = await start(['bench/bare-server.ts']);
  const server = await start(['src/cli.ts', 'serve', '--data', dir, '--port', '0'], {
    BULWARK_RATE_LIMIT: '0',
    LOG_LEVEL: 'warn',
  });
  try {
    const accept = 'application/taxii+json;version=2.1';
    const types = ['indicator', 'malware', 'attack-pattern', 'threat-actor'];
    const taxiiPath = () => {
      const after = firstUs + Math.floor(Math.random() * (lastUs - firstUs) * 0.99);
      const iso = new Date(Math.floor(after / 1000))
        .toISOString()
        .replace('Z', `${String(after % 1000).padStart(3, '0')}Z`);
      return `/taxii2/alliance/collections/alliance/objects/?limit=100&match[type]=${types[Math.floor(Math.random() * types.length)]!}&added_after=${iso}`;
    };
    const auth = { accept, authorization: `Bearer ${token}` };
    const range = { FIRST_US: String(firstUs), SPAN_US: String(Math.floor((lastUs - firstUs) * 0.99)) };
    const load = (port: number, path: string, headers: Record<string, string>) =>
      WRK
        ? wrkLoad(
            WRK,
            `http://127.0.0.1:${port}${path === 'taxii' ? '' : path}`,
            headers,
            path === 'taxii' ? join(import.meta.dirname, 'taxii.lua') : undefined,
            range,
          )
        : autocannonLoad(`http://127.0.0.1:${port}`, headers, path === 'taxii' ? taxiiPath : () => path);
    console.log(
      `load generator: ${WRK ? `wrk (${WRK}), 1 thread` : `autocannon (${process.env.BENCH_LOAD === 'autocannon' ? 'BENCH_LOAD=autocannon' : 'wrk not installed'})`}, 8 connections`,
    );
    // Warm up both, then measure.
    await load(server.port, 'taxii', auth);
    const b = await load(bare.port, '/bare', {});
    const bp = await load(bare.port, '/bare-page', {});
    const t = await load(server.port, 'taxii', auth);
    const mem = rssMb(server.child.pid!);
    const row = (name: string, r: LoadResult) =>
      `| ${name} | ${fmt(r.rps)} | ${fmt(r.p50, 2)} | ${fmt(r.p99, 2)} | ${r.non2xx} | ${fmt(r.kbPerSec)} KB/s |`;
    console.log('| target | req/s | p50 ms | p99 ms | non-2xx | throughput |');
    console.log('|---|---|---|---|---|---|');
    console.log(row('bare Fastify GET, 40-byte body (baseline)', b));
    console.log(row('bare Fastify GET, precomputed 100-object page (baseline)', bp));
    console.log(row(`TAXII GET objects limit=100 match[type] (${fmt(N)} objects)`, t));
    console.log(`\nServer RSS after the run: ${mem.rss.toFixed(0)} MB (peak ${mem.hwm.toFixed(0)} MB)`);
  } finally {
    bare.child.kill('SIGTERM');
    server.child.kill('SIGTERM');
    await Promise.all([once(bare.child, 'exit'), once(server.child, 'exit')]);
  }
}

await main();
