/**
 * Briefings and the support summary at scale (issue 17):
 * - a briefing over 10,000 incidents and 1,000 register entries: Markdown (gather + render) and PDF, beside
 *   the same briefing over an empty period (baseline: fixed costs);
 * - GET /api/v1/support/summary p50/p99 with 100,000 entries, beside 1,000 entries (baseline) and the same
 *   sums computed by scanning support_entries with the releasability SQL (what the totals table saves).
 * Run: npx tsx bench/briefings.bench.ts [incidents=10000] [entries=100000]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/platform/config.ts';
import { createApp, createServices } from '../src/main.ts';
import { silentLogger } from '../src/platform/log.ts';
import { releasableTo } from '../src/kernel/access/releasability.sql.ts';
import type { UserActor } from '../src/kernel/access/actor.ts';
import { PdfPrinter } from '../src/contexts/briefings/briefing.pdf.ts';
import { SupportRepository } from '../src/contexts/registers/support.repository.ts';
import { AVENUES, summarise, type SupportEntry } from '../src/contexts/registers/support.ts';
import type { CreateSupportInput } from '../src/contexts/registers/support.schema.ts';
import { fmt, machine, percentile } from './util.ts';

const INCIDENTS = Number(process.argv[2] ?? 10_000);
const ENTRIES = Number(process.argv[3] ?? 100_000);
const CATEGORIES = ['disinformation', 'cyber', 'economic-pressure', 'sabotage', 'airspace-violation'];
const MEMBERS = ['PL', 'LT', 'LV', 'EE', 'FI', 'DE', 'RO'];
const PROVIDERS = ['PL', 'DE', 'FR', 'US', 'GB', 'LT', 'NL', 'SE'];
const TLPS = ['clear', 'green', 'amber', 'amber', 'red'] as const;

const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: 'bench',
  userName: 'bench',
  org,
  orgKind: 'member',
  role: 'analyst',
});

async function time<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t = performance.now();
  const r = await fn();
  return [performance.now() - t, r];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-briefing-bench-'));
  const s = await createServices(loadConfig({ data: dir }, { BULWARK_READ_THREADS: '0' }), {
    log: silentLogger,
    profile: 'one-shot',
  });
  try {
    // 10,000 incidents in the intel read model the briefing reads (as intel's views hold them), over 30 days.
    const t0 = Date.parse('2025-03-01T00:00:00Z');
    const rows = Array.from({ length: INCIDENTS }, (_, i) => {
      const at = new Date(t0 + (i * 30 * 86_400_000) / INCIDENTS).toISOString();
      return {
        id: `incident--${randomUUID()}`,
        author: MEMBERS[i % MEMBERS.length]!,
        tlp: TLPS[i % TLPS.length]!,
        audience: '',
        category: CATEGORIES[i % CATEGORIES.length]!,
        title: `incident ${i}`,
        occurred_at: at,
        iso_week: '2025-W10',
        lat: 50 + (i % 100) / 10,
        lon: 14 + (i % 130) / 10,
        members: `,${MEMBERS[i % MEMBERS.length]!},`,
        actor: null,
        created_at: at,
        modified: at,
        pending: 0,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await s.database.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('intel_incidents')
          .values(rows.slice(i, i + 500))
          .execute();
        await trx
          .insertInto('intel_incident_members')
          .values(rows.slice(i, i + 500).map((r) => ({ incident_id: r.id, member: r.members.slice(1, -1) })))
          .execute();
      });
    // 1,000 register entries through the service (each with its STIX copy and event), and 200 needs.
    const input = (i: number): CreateSupportInput => ({
      recipient: i % 5 === 0 ? 'MD' : 'UA',
      avenue: AVENUES[i % AVENUES.length]!,
      description: `entry ${i}`,
      amount: { value: 1000 + i, currency: i % 3 === 0 ? 'USD' : 'EUR' },
      pledgedAt: new Date(t0 + (i % 30) * 86_400_000).toISOString(),
      status: i % 2 === 0 ? 'pledged' : 'delivered',
      tlp: TLPS[i % TLPS.length]!,
    });
    for (const org of PROVIDERS)
      await s.registers.support.createMany(
        actor(org),
        Array.from({ length: 1000 / PROVIDERS.length }, (_, i) => input(i)),
      );
    for (let i = 0; i < 200; i++)
      await s.registers.humanitarian.create(actor('PL'), {
        area: i % 2 ? 'UA-14' : 'UA-63',
        sector: (['food', 'health', 'shelter', 'wash'] as const)[i % 4]!,
        peopleInNeed: 1000 * i,
        fundingRequired: { value: 1e6, currency: 'USD' },
        asOf: new Date(t0 + i * 3_600_000).toISOString(),
        source: 'https://example.org/hno',
        tlp: 'green',
      });
    const who = { org: 'PL', orgKind: 'member' as const, by: 'bench' };
    const period = { from: '2025-03-01T00:00:00.000Z', to: '2025-03-31T00:00:00.000Z', format: 'markdown' as const };
    const empty = { from: '2020-03-01T00:00:00.000Z', to: '2020-03-31T00:00:00.000Z', format: 'markdown' as const };
    const b = s.briefings.briefings;
    await b.render(who, period); // warm (geometry, compiled statements)
    const md: number[] = [];
    const mdEmpty: number[] = [];
    let rendered: Awaited<ReturnType<typeof b.render>> | undefined;
    for (let i = 0; i < 5; i++) {
      const [ms, r] = await time(() => b.render(who, period));
      md.push(ms);
      rendered = r;
      mdEmpty.push((await time(() => b.render(who, empty)))[0]);
    }
    // First PDF after start, each with a browser of its own (started the way the server starts it):
    // cold (the print starts Chromium: before this change), a PDF asked for as the process's first briefing
    // request (Chromium starts while the briefing is gathered), and warmed by an earlier briefing request.
    const chromium = s.config.briefings.chromium;
    const cold = new PdfPrinter(chromium);
    const [coldMs, coldPdf] = await time(() => cold.print(rendered!.html, rendered!.meta, rendered!.meta.title));
    await cold.close();
    const first = new PdfPrinter(chromium);
    const [firstMs] = await time(async () => {
      first.warm();
      const r = await b.render(who, period);
      return first.print(r.html, r.meta, r.meta.title);
    });
    await first.close();
    const printer = new PdfPrinter(chromium);
    const [warmUpMs] = await time(async () => {
      printer.warm();
      await printer.ready();
    });
    const pdfRuns: number[] = [];
    let pdfBytes = coldPdf.length;
    for (let i = 0; i < 3; i++) {
      const [ms, pdf] = await time(() => printer.print(rendered!.html, rendered!.meta, rendered!.meta.title));
      pdfRuns.push(ms);
      pdfBytes = pdf.length;
    }
    await printer.close();
    const med = (xs: number[]) => [...xs].sort((a, z) => a - z)[Math.floor(xs.length / 2)]!;

    // Support summary: 1,000 entries (baseline) then ENTRIES, through the HTTP API.
    const app = await createApp(s);
    await app.ready();
    const { token } = await s.users.create({ member: 'LT', name: 'bench-reader' });
    let cpuPerCall = 0;
    let cpuCalls: number[] = [];
    const summary = async (n: number) => {
      const lat: number[] = [];
      cpuCalls = [];
      const c0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const ci = process.cpuUsage();
        const t = performance.now();
        const r = await app.inject({
          method: 'GET',
          url: '/api/v1/support/summary',
          headers: { authorization: `Bearer ${token}` },
        });
        lat.push(performance.now() - t);
        const cu = process.cpuUsage(ci);
        cpuCalls.push((cu.user + cu.system) / 1000);
        if (r.statusCode !== 200) throw new Error(r.body);
      }
      cpuCalls.sort((a, z) => a - z);
      const c = process.cpuUsage(c0);
      cpuPerCall = (c.user + c.system) / 1000 / n;
      return lat.sort((a, z) => a - z);
    };
    const base = await summary(500);
    const baseCpu = cpuPerCall;
    const baseCalls = cpuCalls;
    const repo = new SupportRepository(s.database.db);
    for (let i = 1000; i < ENTRIES; i += 1000)
      await s.database.db.transaction().execute(async (trx) => {
        for (let j = i; j < Math.min(ENTRIES, i + 1000); j++) {
          const x = input(j);
          const at = x.pledgedAt;
          const e: SupportEntry = {
            id: `bulwark-support--${randomUUID()}`,
            provider: PROVIDERS[j % PROVIDERS.length]!,
            recipient: x.recipient,
            avenue: x.avenue,
            description: x.description,
            amount: x.amount ?? null,
            pledgedAt: at,
            status: x.status,
            source: null,
            sourceGrade: null,
            tlp: x.tlp,
            audience: j % 7 === 0 ? ['LT', 'PL'] : [],
            createdBy: 'bench',
            created: at,
            modified: at,
            history: [{ status: x.status, at, by: 'bench' }],
          };
          await repo.insert(trx.withTables(), e);
        }
      });
    const big = await summary(1000);
    const bigCpu = cpuPerCall;
    const bigCalls = cpuCalls;
    const reader = { kind: 'org' as const, org: 'LT', orgKind: 'member' as const };
    // Baseline in the same run: the summary computed from support_totals on every call (what a call costs
    // when a write moved the generation since the reader's last summary, and what every call cost before).
    const fresh: number[] = [];
    const freshCalls: number[] = [];
    const f0 = process.cpuUsage();
    for (let i = 0; i < 1000; i++) {
      const ci = process.cpuUsage();
      const t = performance.now();
      summarise(await repo.cells(reader));
      fresh.push(performance.now() - t);
      const cu = process.cpuUsage(ci);
      freshCalls.push((cu.user + cu.system) / 1000);
    }
    freshCalls.sort((a, z) => a - z);
    const f1 = process.cpuUsage(f0);
    const freshCpu = (f1.user + f1.system) / 1000 / 1000;
    fresh.sort((a, z) => a - z);
    const scan: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t = performance.now();
      await repo.db
        .selectFrom('support_entries as s')
        .select((eb) => [
          's.avenue',
          's.author',
          's.currency',
          's.status',
          eb.fn.countAll().as('n'),
          eb.fn.sum('s.amount_minor').as('m'),
        ])
        .where(releasableTo(reader, 's'))
        .groupBy(['s.avenue', 's.author', 's.currency', 's.status'])
        .execute();
      scan.push(performance.now() - t);
    }
    scan.sort((a, z) => a - z);
    const cells = await s.database.db
      .selectFrom('support_totals' as never)
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    await app.close();

    process.stdout.write(`\n${machine()}\n\n`);
    process.stdout.write(
      `| briefing (SQLite file store) | median of runs | runs (ms) | baseline: empty period, median |\n|---|---|---|---|\n`,
    );
    process.stdout.write(
      `| Markdown + HTML, ${fmt(INCIDENTS)} incidents, 1,000 entries, 200 needs | ${fmt(med(md))} ms | ${md.map((x) => fmt(x)).join(' / ')} | ${fmt(med(mdEmpty))} ms |\n`,
    );
    process.stdout.write(
      `| PDF print of that HTML (${fmt(pdfBytes / 1024)} KiB), browser warmed at the first briefing request (warm-up ${fmt(warmUpMs)} ms) | ${fmt(med(pdfRuns))} ms | ${pdfRuns.map((x) => fmt(x)).join(' / ')} | baseline: first print starts Chromium ${fmt(coldMs)} ms |\n`,
    );
    process.stdout.write(
      `| first PDF briefing as the process's first briefing request (Chromium starts during gather + render) | ${fmt(firstMs)} ms | | |\n\n`,
    );
    process.stdout.write(
      `| GET /api/v1/support/summary | p50 | p99 | max | CPU per call: mean, p50, p99 |\n|---|---|---|---|---|\n`,
    );
    const cpuCols = (mean: number, xs: number[]) =>
      `${fmt(mean, 3)} / ${fmt(percentile(xs, 50), 3)} / ${fmt(percentile(xs, 99), 3)} ms`;
    process.stdout.write(
      `| 1,000 entries (baseline), 500 calls | ${fmt(percentile(base, 50), 2)} ms | ${fmt(percentile(base, 99), 2)} ms | ${fmt(base[base.length - 1]!, 2)} ms | ${cpuCols(baseCpu, baseCalls)} |\n`,
    );
    process.stdout.write(
      `| ${fmt(ENTRIES)} entries, 1,000 calls (${String((cells as { n: unknown } | undefined)?.n)} totals rows) | ${fmt(percentile(big, 50), 2)} ms | ${fmt(percentile(big, 99), 2)} ms | ${fmt(big[big.length - 1]!, 2)} ms | ${cpuCols(bigCpu, bigCalls)} |\n`,
    );
    process.stdout.write(
      `| baseline: computed from support_totals on every call (no kept summary; service, no HTTP), 1,000 calls | ${fmt(percentile(fresh, 50), 2)} ms | ${fmt(percentile(fresh, 99), 2)} ms | ${fmt(fresh[fresh.length - 1]!, 2)} ms | ${cpuCols(freshCpu, freshCalls)} |\n`,
    );
    process.stdout.write(
      `| the same sums by scanning ${fmt(ENTRIES)} entries (no totals table), 20 runs | ${fmt(percentile(scan, 50), 2)} ms | ${fmt(percentile(scan, 99), 2)} ms | ${fmt(scan[scan.length - 1]!, 2)} ms | |\n`,
    );
  } finally {
    await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
