/**
 * Federation figures. Run: npx tsx bench/federation.bench.ts [objects=100000] [seconds=20]
 * Node A is a `bulwark serve` child process (SQLite file store in a temp dir, filled by `bulwark import`);
 * node B runs in this process (SQLite file store) and pulls from A over HTTP on loopback.
 * 1. Catch-up: A holds N objects (ten SDO types, ~600 bytes); B adds A as a peer and pulls everything.
 *    Baseline in the same run: the same N objects written by one knowledge ingest into a fresh store in
 *    this process (the store's own write rate, which a pull cannot exceed).
 * 2. Lag at 50 objects/s: incidents POSTed to A one every 20 ms; the time from the incident's commit on A
 *    (A announces it on its live stream after the commit; a subscriber in this process notes when) to its
 *    commit on B, and from the incident's `modified` (A sets it as it starts the write; one machine, one
 *    clock) to its commit on B. Baseline: the POST round trip itself (A's write queue and write).
 * CPU time (user + system) of both processes for each phase and the load average are printed beside the figures.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createServices, type Services } from '../src/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { systemActor } from '../src/kernel/access/actor.ts';
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { openStream } from '../test/sse-client.ts';
import { syntheticObject, percentile } from './util.ts';

const N = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 20);
const RATE = 50;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-fed-bench-'));
const CLI = ['--import', 'tsx', 'src/cli.ts'];
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let child: ChildProcess | undefined;

/** CPU seconds (user + system) of a child process, from /proc. */
function childCpu(pid: number | undefined): number {
  if (!pid) return NaN;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
}
const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join('/');

function cli(args: string[]): string {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function bundle(path: string, objects: Record<string, unknown>[]): Promise<void> {
  const out = createWriteStream(path);
  out.write('{"type":"bundle","id":"bundle--5d0c1a2b-3c4d-4e5f-8a6b-7c8d9e0f1a2b","objects":[');
  for (const [i, o] of objects.entries())
    if (!out.write(`${i ? ',' : ''}${JSON.stringify(o)}`)) await once(out, 'drain');
  out.end(']}');
  await once(out, 'finish');
}

async function main() {
  const objects = Array.from({ length: N }, (_, i) => syntheticObject(i));
  // Baseline: the store's own write rate for the same objects, in this process.
  const base = await createServices(loadConfig({ data: join(dir, 'baseline') }, {}), { log: silentLogger });
  const { token: bt } = await base.users.create({ member: 'PL', name: 'bench-base' });
  const baseActor = (await base.users.authenticate(bt))!;
  const t0 = now();
  const baseCpu0 = ownCpu();
  for (let i = 0; i < N; i += 20_000)
    await base.knowledge.ingest(
      baseActor,
      objects.slice(i, i + 20_000).map((value, index) => ({ index, value })),
      { defaultTlp: 'amber' },
    );
  const baseMs = now() - t0;
  const baseCpu = ownCpu() - baseCpu0;
  const baseLoad = load();
  await base.close();

  // Node A: filled by import, then served by a child process.
  const aDir = join(dir, 'a');
  await bundle(join(dir, 'bundle.json'), objects);
  cli(['import', join(dir, 'bundle.json'), '--member', 'PL', '--data', aDir]);
  const pl = JSON.parse(cli(['user', 'add', '--member', 'PL', '--name', 'bench-pl', '--data', aDir, '--json'])) as {
    token: string;
  };
  const lt = JSON.parse(cli(['user', 'add', '--member', 'LT', '--name', 'bench-lt', '--data', aDir, '--json'])) as {
    user: { name: string };
    token: string;
  };
  child = spawn(process.execPath, [...CLI, 'serve', '--port', '0', '--data', aDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const aBase = await new Promise<string>((resolve) => {
    let out = '';
    child!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[^/\s]+)/.exec(out);
      if (m) resolve(m[1]!);
    });
  });

  // Node B in this process.
  const b: Services = await createServices(loadConfig({ data: join(dir, 'b') }, {}), { log: silentLogger });
  const app = await createApp(b);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const t1 = now();
  const [aCpu1, bCpu1] = [childCpu(child.pid), ownCpu()];
  const peer = await b.federation.peers.add(systemActor('bench'), {
    name: 'a',
    url: `${aBase}/taxii2/alliance/`,
    user: lt.user.name,
    token: lt.token,
  });
  for (;;) {
    const p = (await b.federation.peers.list(systemActor('bench'))).find((x) => x.id === peer.id)!;
    if (p.received >= N) break;
    if (now() - t1 > 900_000) throw new Error(`catch-up stalled at ${p.received}`);
    await sleep(100);
  }
  const catchMs = now() - t1;
  const [aCpu2, bCpu2] = [childCpu(child.pid), ownCpu()];
  process.stdout.write(
    `\n| ${N} objects | objects/s | seconds | CPU s (this process) | CPU s (node A) | load average after |\n|---|---|---|---|---|---|\n` +
      `| local ingest into a fresh store (baseline) | ${Math.round(N / (baseMs / 1000))} | ${(baseMs / 1000).toFixed(1)} | ${baseCpu.toFixed(1)} | – | ${baseLoad} |\n` +
      `| catch-up by a peer node over TAXII (pull, store, cursor) | ${Math.round(N / (catchMs / 1000))} | ${(catchMs / 1000).toFixed(1)} | ${(bCpu2 - bCpu1).toFixed(1)} (B) | ${(aCpu2 - aCpu1).toFixed(1)} | ${load()} |\n`,
  );

  // Lag at 50 objects/s.
  const arrived = new Map<string, number>();
  b.knowledge.onLatest({
    types: ['incident'],
    within: async () => undefined,
    after: async (changes) => {
      const t = now();
      for (const c of changes) if (!arrived.has(c.id)) arrived.set(c.id, t);
    },
  });
  // A's commits, as A announces them on its live stream (after the commit), and the incidents' `modified`.
  const committedOnA = new Map<string, number>();
  const modifiedOf = new Map<string, number>();
  const onA = await openStream(aBase, pl.token, {
    onEvent: (e) => {
      if (e.event !== 'incident.created') return;
      const t = now();
      const d = JSON.parse(e.data) as { id: string; modified: string };
      if (!committedOnA.has(d.id)) committedOnA.set(d.id, t);
      modifiedOf.set(d.id, Date.parse(d.modified));
    },
  });
  await sleep(2000); // the live streams are open
  const written = new Map<string, number>();
  const postMs: number[] = [];
  const total = RATE * SECONDS;
  const start = now();
  const [aCpu3, bCpu3] = [childCpu(child.pid), ownCpu()];
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    if (due - now() > 1) await sleep(due - now());
    const t = now();
    inflight.push(
      fetch(`${aBase}/api/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pl.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          title: `lag ${i}`,
          description: 'bench',
          category: 'cyber',
          occurredAt: '2025-03-01T00:00:00Z',
          affectedMembers: ['PL'],
          tlp: 'green',
          observables: [{ type: 'ipv4-addr', value: `203.0.113.${i % 200}` }],
        }),
      }).then(async (r) => {
        const { id } = (await r.json()) as { id: string };
        const done = now();
        postMs.push(done - t);
        written.set(id, done);
      }),
    );
  }
  await Promise.all(inflight);
  const end = now() + 15_000;
  while (arrived.size < written.size && now() < end) await sleep(50);
  const [aCpu4, bCpu4] = [childCpu(child.pid), ownCpu()];
  onA.close();
  const lagFrom = (origin: Map<string, number>) =>
    [...written.keys()].map((id) => (arrived.get(id) ?? Infinity) - (origin.get(id) ?? NaN)).sort((x, y) => x - y);
  // An incident committed on B before this process saw it announced on A counts as 0 ms.
  const fromCommit = lagFrom(committedOnA).map((x) => Math.max(0, x));
  const fromWrite = lagFrom(modifiedOf);
  const fromAnswer = [...written]
    .map(([id, t]) => Math.max(0, (arrived.get(id) ?? Infinity) - t))
    .sort((x, y) => x - y);
  const rep = [...postMs].sort((x, y) => x - y);
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'not yet');
  const row = (what: string, xs: number[], tail: string) =>
    `| ${what} | ${f(percentile(xs, 50))} | ${f(percentile(xs, 99))} | ${f(xs.at(-1)!)} | ${tail} |\n`;
  process.stdout.write(
    `\n| ${total} incidents at ${RATE}/s | p50 ms | p99 ms | max ms | on B within 15 s of the last answer |\n|---|---|---|---|---|\n` +
      row('POST /api/v1/incidents to A, answered (baseline)', rep, '–') +
      row("committed on A (announced on A's stream) → committed on B", fromCommit, `${arrived.size}/${total}`) +
      row('written on A (its `modified`) → committed on B', fromWrite, `${arrived.size}/${total}`) +
      row('answered by A → committed on B (as before)', fromAnswer, `${arrived.size}/${total}`) +
      `\nCPU s during the ${SECONDS} s of writes: node A ${(aCpu4 - aCpu3).toFixed(1)}, this process (B and the writer) ${(bCpu4 - bCpu3).toFixed(1)}; load average after: ${load()}.\n`,
  );
  await app.close();
  await b.close();
}

main()
  .catch((e: unknown) => {
    process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
    process.exitCode = 1;
  })
  .finally(() => {
    child?.kill('SIGTERM');
    setTimeout(() => rmSync(dir, { recursive: true, force: true }), 1000);
  });
