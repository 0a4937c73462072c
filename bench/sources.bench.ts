/**
 * Open sources: extraction + resolution of a 1,000-word article (p50), beside compromise's own full parse of
 * the same text; entity search (p99) over 100,000 entities and 1,000,000 mentions, beside a plain LIKE scan
 * of the same mentions. Usage: npx tsx bench/sources.bench.ts [entities] [mentions]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nlp from 'compromise';
import { sql } from 'kysely';
import { openDatabase } from '../src/platform/db/database.ts';
import { systemClock } from '../src/platform/clock.ts';
import { OrganisationRepository } from '../src/contexts/sharing/organisation.repository.ts';
import { extract } from '../src/contexts/sources/extract.ts';
import { loadGazetteer } from '../src/contexts/sources/gazetteer.loader.ts';
import { fold } from '../src/contexts/sources/fold.ts';
import { storeExtraction } from '../src/contexts/sources/resolution.service.ts';
import { searchPairs, suffixesOf } from '../src/contexts/sources/sources.repository.ts';
import { readerView } from '../src/contexts/sources/entity-view.service.ts';
import { readerOf } from '../src/kernel/access/actor.ts';
import { testSources } from '../src/contexts/sources/sources.fixtures.ts';
import { fmt, machine, percentile } from './util.ts';

const ENTITIES = Number(process.argv[2] ?? 100_000);
const MENTIONS = Number(process.argv[3] ?? 1_000_000);

const SENTENCES = [
  'NATO Deputy Secretary General Mircea Geoană said on Tuesday that the North Atlantic Alliance would not send troops to Ukraine.',
  '"There is no formal request," Geoana stressed, speaking to reporters in Vilnius after talks with Foreign Minister Gabrielius Landsbergis.',
  'He warned that Russia was spreading false stories about exercises near the border with Belarus and Poland.',
  'The European Union and the OSCE pointed to reports of drones over Lithuania, and the Alliance said it was watching closely.',
  'According to Polish Foreign Minister Radosław Sikorski, the cable damage near Helsinki was no accident.',
  'Kaja Kallas, the EU foreign policy chief, said in Brussels that sanctions must continue; Siim Kallas declined to comment.',
  'Officials in Tallinn and Riga confirmed that the exercises would go ahead as planned next month despite the warnings.',
  'Jens Stoltenberg and Camilla Stoltenberg met in Oslo, where Stoltenberg denied that any decision had been taken.',
];

function article(words: number): string {
  const out: string[] = [];
  let n = 0;
  for (let i = 0; n < words; i++) {
    const s = SENTENCES[i % SENTENCES.length]!;
    out.push(s);
    n += s.split(/\s+/).length;
  }
  return out.join(' ');
}

/** CPU time (user + system) of this process since `from`, in ms: on a shared machine, the work itself. */
function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

function timeIt(runs: number, f: () => unknown, cpu: number[] = []): number[] {
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = performance.now();
    const c = process.cpuUsage();
    f();
    cpu.push(cpuMs(c));
    t.push(performance.now() - a);
  }
  cpu.sort((x, y) => x - y);
  return t.sort((x, y) => x - y);
}

async function extraction(): Promise<void> {
  const g = loadGazetteer();
  const text = article(1000);
  for (let i = 0; i < 5; i++) extract(text, g);
  const exCpu: number[] = [];
  const baseCpu: number[] = [];
  const ex = timeIt(40, () => extract(text, g), exCpu);
  const base = timeIt(40, () => nlp(text).people().json(), baseCpu);
  // Extraction and resolution against a store already holding the entities of 200 such documents.
  const database = await openDatabase({ sqliteFile: ':memory:' });
  await new OrganisationRepository(database.db).seed();
  const s = testSources(database, systemClock);
  for (let i = 0; i < 200; i++) await s.documents.store({ org: 'PL', by: 'bench' }, { text, tlp: 'amber' });
  const full: number[] = [];
  const fullCpu: number[] = [];
  for (let i = 0; i < 40; i++) {
    const a = performance.now();
    const c = process.cpuUsage();
    const e = extract(text, g);
    await s.documents.db
      .transaction()
      .execute(async (trx) => {
        await storeExtraction(trx, `report--bench-${i}`, e, new Date().toISOString());
        throw new Rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    full.push(performance.now() - a);
    fullCpu.push(cpuMs(c));
  }
  full.sort((x, y) => x - y);
  fullCpu.sort((x, y) => x - y);
  await database.close();
  process.stdout.write(`\n1,000-word article (${text.split(/\s+/).length} words), 40 runs each\n\n`);
  process.stdout.write('| | p50 ms | p95 ms | CPU p50 ms | CPU p95 ms |\n|---|---|---|---|---|\n');
  const row = (label: string, wall: number[], cpu: number[]) =>
    process.stdout.write(
      `| ${label} | ${fmt(percentile(wall, 50), 1)} | ${fmt(percentile(wall, 95), 1)} | ${fmt(percentile(cpu, 50), 1)} | ${fmt(percentile(cpu, 95), 1)} |\n`,
    );
  row('extraction (tokens, gazetteers, mentions, claims, grouping)', ex, exCpu);
  row('extraction + resolution against 200 stored documents (SQLite, rolled back)', full, fullCpu);
  row("baseline: compromise's full parse + people() of the same text", base, baseCpu);
}

class Rollback extends Error {}

const SYL = [
  'ka',
  'lo',
  'mir',
  'ce',
  'geo',
  'an',
  'sik',
  'or',
  'ski',
  'tol',
  'ten',
  'berg',
  'val',
  'da',
  'nu',
  'ris',
  'po',
  'lek',
  'zan',
  'ti',
];
function name(i: number): string {
  const w = (k: number, n: number) => {
    let s = '';
    for (let j = 0; j < n; j++) s += SYL[(k >> (j * 3 + 1)) % SYL.length]!;
    return s[0]!.toUpperCase() + s.slice(1);
  };
  return `${w(i * 7919 + 13, 2)} ${w(i * 104729 + 7, 3)}${i}`;
}

async function search(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-sources-bench-'));
  const database = await openDatabase({ dataDir: dir });
  await new OrganisationRepository(database.db).seed();
  const s = testSources(database, systemClock);
  const db = s.documents.db;
  const docs = Math.max(1, Math.floor(MENTIONS / 50));
  const orgs = ['PL', 'LT', 'FR', 'US', 'UA'];
  const tlps = ['green', 'amber', 'red', 'clear'];
  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    for (let d = 0; d < docs; d += 500) {
      const rows = [];
      for (let k = d; k < Math.min(docs, d + 500); k++)
        rows.push({
          id: `report--${k}`,
          author: orgs[k % orgs.length]!,
          source_id: null,
          title: `doc ${k}`,
          url: null,
          published_at: null,
          text: 'x',
          language: 'en',
          reliability: null,
          credibility: null,
          tlp: tlps[k % tlps.length]!,
          audience: '',
          created_by: 'bench',
          created_at: new Date(1e12 + k).toISOString(),
        });
      await trx.insertInto('sources_documents').values(rows).execute();
    }
    for (let e = 0; e < ENTITIES; e += 500) {
      const rows = [];
      const suffixes = [];
      for (let k = e; k < Math.min(ENTITIES, e + 500); k++) {
        rows.push({
          id: `identity--${k}`,
          kind: 'person',
          gazetteer_key: null,
          created_at: '2026-01-01T00:00:00.000Z',
        });
        const f = fold(name(k));
        for (const suffix of suffixesOf(f)) suffixes.push({ suffix, fold: f });
      }
      await trx.insertInto('sources_entities').values(rows).execute();
      for (let i = 0; i < suffixes.length; i += 1000)
        await trx
          .insertInto('sources_suffixes')
          .values(suffixes.slice(i, i + 1000))
          .onConflict((c) => c.doNothing())
          .execute();
    }
    for (let m = 0; m < MENTIONS; m += 1000) {
      const rows = [];
      for (let k = m; k < Math.min(MENTIONS, m + 1000); k++) {
        const e = (k * 2654435761) % ENTITIES;
        const n = name(e);
        rows.push({
          doc_id: `report--${k % docs}`,
          pos_start: Math.floor(k / docs) * 40,
          pos_end: Math.floor(k / docs) * 40 + n.length,
          entity_id: `identity--${e}`,
          fold: fold(n),
          text: n,
        });
      }
      await trx.insertInto('sources_mentions').values(rows).execute();
    }
  });
  const load = performance.now() - t0;
  await sql`analyze`.execute(database.db);
  const reader = {
    kind: 'user' as const,
    userId: 'b',
    userName: 'b',
    org: 'LT',
    orgKind: 'member' as const,
    role: 'analyst' as const,
  };
  const queries = Array.from({ length: 300 }, (_, i) => {
    const f = fold(name((i * 7727) % ENTITIES));
    const at = i % Math.max(1, f.length - 5);
    return f.slice(at, at + 5);
  });
  for (const q of queries.slice(0, 20)) await s.entities.search(reader, { q, limit: 20 });
  const r = readerOf(reader);
  // The previous search (before commit "view only the page"): the organisation's view of every match.
  const previous = async (q: string) => {
    const pairs = await searchPairs(db, r, fold(q), 21 * 8);
    await readerView(db, r, [...new Set(pairs.map((p) => p.entity_id))]);
  };
  const current = (q: string) => s.entities.search(reader, { q, limit: 20 });
  // Each set of queries twice: the first pass reads pages into SQLite's cache (read system calls), the
  // second is a server's steady state for the same queries.
  const measure = async (f: (q: string) => Promise<unknown>) => {
    const out = { cold: [] as number[], coldCpu: [] as number[], warm: [] as number[], warmCpu: [] as number[] };
    for (const pass of ['cold', 'warm'] as const)
      for (const q of queries) {
        const a = performance.now();
        const c = process.cpuUsage();
        await f(q);
        out[pass === 'cold' ? 'coldCpu' : 'warmCpu'].push(cpuMs(c));
        out[pass].push(performance.now() - a);
      }
    for (const a of Object.values(out)) a.sort((x, y) => x - y);
    return out;
  };
  const oursM = await measure(current);
  const prevM = await measure(previous);
  const scan: number[] = [];
  const scanCpu: number[] = [];
  for (const q of queries.slice(0, 30)) {
    const a = performance.now();
    const c = process.cpuUsage();
    await db
      .selectFrom('sources_mentions')
      .select('entity_id')
      .distinct()
      .where('fold', 'like', `%${q}%`)
      .limit(20)
      .execute();
    scanCpu.push(cpuMs(c));
    scan.push(performance.now() - a);
  }
  for (const a of [scan, scanCpu]) a.sort((x, y) => x - y);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(
    `\nEntity search: ${fmt(ENTITIES)} entities, ${fmt(MENTIONS)} mentions in ${fmt(docs)} documents (SQLite file store, loaded in ${fmt(load / 1000, 1)} s), reader LT (member), 5-letter substrings\n\n`,
  );
  process.stdout.write('| | p50 ms | p99 ms | CPU p50 ms | CPU p99 ms | runs |\n|---|---|---|---|---|---|\n');
  const row = (label: string, wall: number[], cpu: number[]) =>
    process.stdout.write(
      `| ${label} | ${fmt(percentile(wall, 50), 2)} | ${fmt(percentile(wall, 99), 2)} | ${fmt(percentile(cpu, 50), 2)} | ${fmt(percentile(cpu, 99), 2)} | ${wall.length} |\n`,
    );
  row('GET /entities?q=, first pass (suffix index, releasability join, org view)', oursM.cold, oursM.coldCpu);
  row('GET /entities?q=, second pass of the same queries', oursM.warm, oursM.warmCpu);
  row('before: the view of every match, first pass (no summaries)', prevM.cold, prevM.coldCpu);
  row('before: the view of every match, second pass', prevM.warm, prevM.warmCpu);
  row("baseline: LIKE '%q%' over the mentions, no releasability", scan, scanCpu);
}

process.stdout.write(`${machine()}\n`);
await extraction();
await search();
