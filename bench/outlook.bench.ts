/**
 * Outlook figures. Run: npx tsx bench/outlook.bench.ts   (about a minute; SQLite in a temp dir;
 *    BENCH_PARTS=recompute or page runs one part)
 * 1. Recompute of a set with 12 scenarios, 200 signposts and 10,000 observations: probabilities alone,
 *    probabilities with the history (what the scenario page shows), and sensitivity; beside a baseline
 *    in the same run: the bare arithmetic (10,000 × 12 likelihoods and logarithms into a Float64Array,
 *    one normalisation), which any implementation of the rule must do.
 * 2. The scenario page, GET /api/v1/outlook/scenario-sets/{id}, with 100 sets stored (each 4 scenarios,
 *    10 signposts, 50 observations, every fifth citing an incident, an impact matrix of 9 members), one
 *    keep-alive client; beside GET /api/v1/members (authenticated, one small read) on the same server.
 *    One request is in flight at a time and the server is in this process, so the CPU time this process
 *    used between sending a request and reading its answer (client and server together) is that
 *    request's cost: a figure the load of a shared machine changes far less than wall time.
 *    BENCH_PROFILE=FILE writes V8's CPU profile of the scenario page's requests there (summarise with
 *    `npx tsx bench/cpu-profile-summary.ts FILE`).
 */
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomUUID } from 'node:crypto';
import { startServer, tokenFor } from '../test/stream-fixture.ts';
import { Model, history, normalise, sensitivity, type Evidence } from '../src/contexts/outlook/bayes.ts';
import { userOf } from '../src/contexts/council/council.fixtures.ts';
import { fmt, machine, percentile } from './util.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 40);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);

function stats(xs: number[]): { median: number; p99: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1]! };
}

/** Wall time and this process's CPU time (user + system) of one call, in ms: the machine is shared. */
function time(fn: () => unknown): { wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { wall, cpu: (d.user + d.system) / 1000 };
}

function recompute(): void {
  let seed = 42;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const scenarios = Array.from({ length: 12 }, (_, i) => ({ key: `s${i}`, prior: 1 / 12 }));
  const signposts = Object.fromEntries(
    Array.from({ length: 200 }, (_, j) => [
      `p${j}`,
      Object.fromEntries(scenarios.map((s) => [s.key, 0.05 + 0.9 * rnd()])),
    ]),
  );
  const evidence: Evidence[] = Array.from({ length: 10_000 }, () => ({
    signpost: `p${Math.floor(rnd() * 200)}`,
    observed: rnd() < 0.5,
    confidence: 0.5 + rnd() / 2,
  }));
  const model = new Model(scenarios, signposts);
  // Baseline: the same likelihoods from plain arrays, summed into a Float64Array, normalised once.
  const lk = Array.from({ length: 200 }, (_, j) => scenarios.map((s) => signposts[`p${j}`]![s.key]!));
  const idx = evidence.map((e) => Number(e.signpost.slice(1)));
  const baseline = () => {
    const w = new Float64Array(12).fill(Math.log(1 / 12));
    for (let n = 0; n < evidence.length; n++) {
      const e = evidence[n]!;
      const p = lk[idx[n]!]!;
      const c = e.confidence;
      for (let i = 0; i < 12; i++)
        w[i]! += Math.log(e.observed ? c * p[i]! + (1 - c) * (1 - p[i]!) : c * (1 - p[i]!) + (1 - c) * p[i]!);
    }
    return normalise([...w]);
  };
  const rows: Array<[string, () => unknown]> = [
    ['baseline: bare arithmetic (Float64Array)', baseline],
    ['probabilities (Model.posterior)', () => model.posterior(evidence)],
    ['probabilities + history (scenario page)', () => history(model, evidence)],
    ['sensitivity (every single removal)', () => sensitivity(model, evidence)],
    ['model compiled + probabilities + history', () => history(new Model(scenarios, signposts), evidence)],
  ];
  for (const [, fn] of rows) for (let i = 0; i < 5; i++) fn(); // warm up
  process.stdout.write(`\nRecompute, 12 scenarios × 200 signposts × 10,000 observations, ${RUNS} runs each\n\n`);
  process.stdout.write(
    '| computation | wall median ms | wall p99 ms | wall max ms | CPU median ms | vs baseline (CPU median) |\n|---|---|---|---|---|---|\n',
  );
  let base = NaN;
  for (const [name, fn] of rows) {
    const runs = Array.from({ length: RUNS }, () => time(fn));
    const s = stats(runs.map((r) => r.wall));
    const cpu = stats(runs.map((r) => r.cpu)).median;
    if (Number.isNaN(base)) base = cpu;
    process.stdout.write(
      `| ${name} | ${fmt(s.median, 2)} | ${fmt(s.p99, 2)} | ${fmt(s.max, 2)} | ${fmt(cpu, 2)} | ${fmt(cpu / base, 1)}× |\n`,
    );
  }
}

/** One request's wall time and this process's CPU time (client and in-process server), in ms. */
function get(agent: http.Agent, url: string, token: string): Promise<{ wall: number; cpu: number }> {
  return new Promise((resolve, reject) => {
    const c = process.cpuUsage();
    const t = performance.now();
    http
      .get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (res) => {
        res.on('data', () => undefined);
        res.on('end', () => {
          const wall = performance.now() - t;
          const d = process.cpuUsage(c);
          if (res.statusCode === 200) resolve({ wall, cpu: (d.user + d.system) / 1000 });
          else reject(new Error(`${url}: ${res.statusCode}`));
        });
      })
      .on('error', reject);
  });
}

async function page(): Promise<void> {
  const srv = await startServer();
  try {
    const o = srv.services.outlook;
    const pl = userOf('PL');
    const indicators = Array.from({ length: 20 }, (_, i) => ({
      index: i,
      value: {
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${randomUUID()}`,
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        pattern: `[domain-name:value = 'x${i}.example']`,
        pattern_type: 'stix',
        valid_from: '2026-01-01T00:00:00Z',
      },
    }));
    await srv.services.knowledge.ingest(pl, indicators, { defaultTlp: 'green' });
    const scen = ['a', 'b', 'c', 'd'];
    const ids: string[] = [];
    const t0 = performance.now();
    for (let n = 0; n < 100; n++) {
      const set = await o.scenarios.create(pl, {
        title: `set ${n}`,
        question: 'q',
        horizon: '2027-12-31',
        scenarios: scen.map((key) => ({ key, title: key, prior: 0.25 })),
        tlp: 'green',
      });
      ids.push(set.id);
      for (let j = 0; j < 10; j++)
        await o.scenarios.addSignpost(pl, set.id, {
          key: `p${j}`,
          title: `signpost ${j}`,
          likelihoods: Object.fromEntries(scen.map((k, i) => [k, 0.1 + 0.08 * ((i + j) % 10)])),
        });
      await o.scenarios.putImpacts(
        pl,
        set.id,
        Object.fromEntries(
          ['PL', 'LT', 'LV', 'EE', 'RO', 'FI', 'SK', 'BG', 'HU'].map((m, i) => [
            m,
            Object.fromEntries(scen.map((k, x) => [k, 1 + ((i + x) % 5)])),
          ]),
        ),
      );
      for (let k = 0; k < 50; k++)
        await o.scenarios.addObservation(pl, set.id, {
          signpost: `p${k % 10}`,
          observed: k % 3 !== 0,
          confidence: 0.6 + (k % 5) / 10,
          observedAt: new Date(Date.UTC(2026, 0, 1 + k)).toISOString(),
          ...(k % 5 === 0 ? { evidence: [indicators[k % 20]!.value.id] } : {}),
        });
    }
    process.stdout.write(`\nStored 100 sets (5,000 observations) in ${fmt((performance.now() - t0) / 1000, 1)} s\n`);
    const token = await tokenFor(srv.services, 'LT');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const routes: Array<[string, (i: number) => string]> = [
      ['baseline: GET /api/v1/members', () => `${srv.base}/api/v1/members`],
      ['GET /api/v1/outlook/scenario-sets/{id}', (i) => `${srv.base}/api/v1/outlook/scenario-sets/${ids[i % 100]!}`],
      ['GET …/scenario-sets/{id}/posture', (i) => `${srv.base}/api/v1/outlook/scenario-sets/${ids[i % 100]!}/posture`],
      ['GET /api/v1/outlook/scenario-sets?limit=50', () => `${srv.base}/api/v1/outlook/scenario-sets?limit=50`],
    ];
    for (const [, url] of routes) for (let i = 0; i < 200; i++) await get(agent, url(i), token); // warm up
    process.stdout.write(`\nScenario page API, 100 sets stored, ${REQUESTS} requests each, one keep-alive client\n\n`);
    process.stdout.write(
      '| request | wall median ms | wall p99 ms | wall max ms | CPU median ms | CPU p99 ms | req/s |\n|---|---|---|---|---|---|---|\n',
    );
    const profile = process.env.BENCH_PROFILE;
    const session = profile ? new Session() : undefined;
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
    }
    for (const [name, url] of routes) {
      const xs: Array<{ wall: number; cpu: number }> = [];
      const profiled = session && name.endsWith('scenario-sets/{id}');
      if (profiled) await session.post('Profiler.start');
      const t = performance.now();
      for (let i = 0; i < REQUESTS; i++) xs.push(await get(agent, url(i), token));
      const rate = REQUESTS / ((performance.now() - t) / 1000);
      if (profiled) writeFileSync(profile!, JSON.stringify((await session.post('Profiler.stop')).profile));
      const w = stats(xs.map((x) => x.wall));
      const c = stats(xs.map((x) => x.cpu));
      process.stdout.write(
        `| ${name} | ${fmt(w.median, 2)} | ${fmt(w.p99, 2)} | ${fmt(w.max, 2)} | ${fmt(c.median, 2)} | ${fmt(c.p99, 2)} | ${fmt(rate)} |\n`,
      );
    }
    session?.disconnect();
    agent.destroy();
  } finally {
    await srv.stop();
  }
}

process.stdout.write(`Machine: ${machine()}\n`);
const PARTS = (process.env.BENCH_PARTS ?? 'recompute,page').split(',');
if (PARTS.includes('recompute')) recompute();
if (PARTS.includes('page')) await page();
