/**
 * Federation figures. Run: npx tsx bench/federation.bench.ts [objects=100000] [seconds=20]
 * Two nodes in this process (SQLite file stores in a temp dir, HTTP on loopback; both share this
 * process's one thread, so each side also slows the other).
 * 1. Catch-up: node A holds N objects (ten SDO types, ~600 bytes); node B adds A as a peer and pulls
 *    everything. Baseline in the same run: the same N objects written locally into a fresh store by
 *    one knowledge ingest (the store's own write rate, which a pull cannot exceed).
 * 2. Lag at 50 objects/s: incidents reported on A one every 20 ms; the time from report() resolving
 *    on A (committed) to the incident being committed on B. Baseline: report()'s own duration on A.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, createServices, type Services } from '../src/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { silentLogger } from '../src/platform/log.ts';
import { systemActor } from '../src/kernel/access/actor.ts';
import type { App } from '../src/platform/http/app.ts';
import { syntheticObject, percentile } from './util.ts';

const N = Number(process.argv[2] ?? 100_000);
const SECONDS = Number(process.argv[3] ?? 20);
const RATE = 50;
const dir = mkdtempSync(join(tmpdir(), 'bulwark-fed-bench-'));
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function node(name: string): Promise<{ s: Services; app: App; base: string }> {
  const s = await createServices(loadConfig({ data: join(dir, name) }, {}), { log: silentLogger });
  const app = await createApp(s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { s, app, base: `http://127.0.0.1:${port}` };
}

async function user(s: Services, org: string) {
  const { user: u, token } = await s.users.create({ member: org, name: `bench-${org}-${Math.random()}` });
  return { name: u.name, token, actor: (await s.users.authenticate(token))! };
}

async function fill(s: Services, org: string, objects: Record<string, unknown>[]): Promise<number> {
  const { actor } = await user(s, org);
  const t = now();
  for (let i = 0; i < objects.length; i += 20_000) {
    const r = await s.knowledge.ingest(
      actor,
      objects.slice(i, i + 20_000).map((value, index) => ({ index, value })),
      { defaultTlp: 'amber' },
    );
    if (r.rejected.length > 0) throw new Error(r.rejected[0]!.message);
  }
  return now() - t;
}

async function main() {
  const objects = Array.from({ length: N }, (_, i) => syntheticObject(i));
  // Baseline: the store's own write rate for the same objects.
  const base = await node('baseline');
  const baseMs = await fill(base.s, 'PL', objects);
  await base.app.close();
  await base.s.close();

  const a = await node('a');
  await fill(a.s, 'PL', objects);
  const b = await node('b');
  const lt = await user(a.s, 'LT');
  const t0 = now();
  const peer = await b.s.federation.peers.add(systemActor('bench'), {
    name: 'a',
    url: `${a.base}/taxii2/alliance/`,
    user: lt.name,
    token: lt.token,
  });
  for (;;) {
    const p = (await b.s.federation.peers.list(systemActor('bench'))).find((x) => x.id === peer.id)!;
    if (p.received >= N) break;
    if (now() - t0 > 600_000) throw new Error(`catch-up stalled at ${p.received}`);
    await sleep(50);
  }
  const catchMs = now() - t0;
  process.stdout.write(
    `\n| ${N} objects | objects/s | seconds |\n|---|---|---|\n` +
      `| local ingest into a fresh store (baseline) | ${Math.round(N / (baseMs / 1000))} | ${(baseMs / 1000).toFixed(1)} |\n` +
      `| catch-up by a peer node over TAXII (pull, store, cursor) | ${Math.round(N / (catchMs / 1000))} | ${(catchMs / 1000).toFixed(1)} |\n`,
  );

  // Lag at 50 objects/s.
  const arrived = new Map<string, number>();
  b.s.knowledge.onLatest({
    types: ['incident'],
    within: async () => undefined,
    after: async (changes) => {
      const t = now();
      for (const c of changes) if (!arrived.has(c.id)) arrived.set(c.id, t);
    },
  });
  const pl = await user(a.s, 'PL');
  const written = new Map<string, number>();
  const reportMs: number[] = [];
  const total = RATE * SECONDS;
  const start = now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / RATE;
    if (due - now() > 1) await sleep(due - now());
    const t = now();
    const inc = await a.s.intel.incidents.report(pl.actor, {
      title: `lag ${i}`,
      description: 'bench',
      category: 'cyber',
      occurredAt: '2025-03-01T00:00:00Z',
      affectedMembers: ['PL'],
      tlp: 'green',
      observables: [{ type: 'ipv4-addr', value: `203.0.113.${i % 200}` }],
    });
    const done = now();
    reportMs.push(done - t);
    written.set(inc.id, done);
  }
  const end = now() + 10_000;
  while (arrived.size < written.size && now() < end) await sleep(50);
  const lags = [...written].map(([id, t]) => (arrived.get(id) ?? Infinity) - t).sort((x, y) => x - y);
  const rep = [...reportMs].sort((x, y) => x - y);
  const f = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : 'lost');
  process.stdout.write(
    `\n| ${total} incidents at ${RATE}/s | p50 ms | p99 ms | max ms | arrived |\n|---|---|---|---|---|\n` +
      `| report() on A, committed (baseline) | ${f(percentile(rep, 50))} | ${f(percentile(rep, 99))} | ${f(rep.at(-1)!)} | – |\n` +
      `| write on A → committed on B | ${f(percentile(lags, 50))} | ${f(percentile(lags, 99))} | ${f(lags.at(-1)!)} | ${arrived.size}/${total} |\n`,
  );
  await b.app.close();
  await b.s.close();
  await a.app.close();
  await a.s.close();
  rmSync(dir, { recursive: true, force: true });
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e instanceof Error ? e.stack : e)}\n`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(1);
});
