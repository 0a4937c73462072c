/**
 * Council deadlines under load: N silence procedures share one deadline; how late is the last one
 * settled, and how long does the event loop stall meanwhile (a bystander timer ticking every 5 ms)?
 * Run: npx tsx bench/council.bench.ts [N=5000] [stores: sqlite,postgres]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { openDatabase, type Database } from '../src/platform/db/database.ts';
import { systemClock } from '../src/platform/clock.ts';
import { silentLogger } from '../src/platform/log.ts';
import { OrganisationRepository } from '../src/contexts/sharing/organisation.repository.ts';
import { createCouncil } from '../src/contexts/council/council.module.ts';
import { ProposalRepository } from '../src/contexts/council/proposal.repository.ts';
import { membersOn, type Proposal } from '../src/contexts/council/proposal.ts';
import { keyring } from '../src/contexts/audit/audit.ts';

const N = Number(process.argv[2] ?? 5000);
const stores = (process.argv[3] ?? 'sqlite').split(',');
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function run(store: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-council-bench-'));
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const database: Database =
    store === 'postgres'
      ? await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 })
      : await openDatabase({ dataDir: dir, checkpoints: 'background' });
  await new OrganisationRepository(database.db).seed();
  const c = createCouncil({
    database,
    clock: systemClock,
    log: silentLogger,
    notifier: { nudge: () => undefined },
    minSilenceSeconds: 0,
    anchor: { ring: keyring(randomBytes(32).toString('hex')), dir },
  });
  await c.audit.start();
  const now = new Date();
  let deadline = new Date(now.getTime() + 3_600_000);
  const day = now.toISOString().slice(0, 10);
  const repo = new ProposalRepository(database.db);
  const members = membersOn(day);
  for (let i = 0; i < N; i += 500) {
    await database.db.transaction().execute(async (trx) => {
      for (let j = i; j < Math.min(N, i + 500); j++) {
        const p: Proposal = {
          id: `proposal--${randomUUID()}`,
          kind: 'coordinated-response',
          title: `p${j}`,
          text: 'text',
          procedure: 'silence',
          status: 'circulating',
          author: 'PL',
          createdBy: 'bench',
          createdAt: now.toISOString(),
          membershipDate: day,
          members,
          silenceEndsAt: deadline.toISOString(),
          decidedAt: null,
          host: null,
          references: [],
          assessment: null,
          tlp: 'amber',
          audience: [],
          supersedes: null,
          supersededBy: null,
          version: 1,
          positions: {},
        };
        await repo.insert(trx, p);
      }
    });
  }
  // One deadline for all, set once they are stored (so a slow insert never makes them overdue at start).
  deadline = new Date(Date.now() + 2000);
  await database.db.updateTable('council_proposals').set({ silence_ends_at: deadline.toISOString() }).execute();
  await c.scheduler.start();
  const h = monitorEventLoopDelay({ resolution: 5 });
  let last = performance.now();
  let maxGap = 0;
  const wait = deadline.getTime() - Date.now() - 300;
  await new Promise((r) => setTimeout(r, Math.max(0, wait)));
  h.enable();
  const ticker = setInterval(() => {
    const t = performance.now();
    maxGap = Math.max(maxGap, t - last);
    last = t;
  }, 5);
  last = performance.now();
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const left = await database.db
      .selectFrom('council_proposals')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', 'circulating')
      .executeTakeFirstOrThrow();
    if (Number(left.n) === 0) break;
  }
  clearInterval(ticker);
  h.disable();
  const settles = await database.db
    .selectFrom('audit_log')
    .select(['at'])
    .where('action', '=', 'settle')
    .orderBy('seq')
    .execute();
  const late = (iso: string) => Date.parse(iso) - deadline.getTime();
  process.stdout.write(
    `| ${store} | ${N} | ${settles.length} | ${late(settles[0]!.at)} | ${late(settles[settles.length - 1]!.at)} | ${Math.round(maxGap)} | ${Math.round(h.max / 1e6)} |\n`,
  );
  await c.scheduler.stop();
  await c.audit.checkpoint();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  if (store === 'postgres') {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`drop schema if exists "${schema}" cascade`);
    await client.end();
  }
}

process.stdout.write(
  '| store | proposals | settled | first settled, ms after the deadline | last settled, ms after the deadline | longest bystander timer gap, ms | event-loop delay max, ms |\n|---|---|---|---|---|---|---|\n',
);
for (const s of stores) await run(s);
