/**
 * Import throughput: Bulwark's knowledge store (parse + validate + releasability + versioning +
 * date_added, one transaction) against raw better-sqlite3 inserts of the same rows into the
 * same table, in the same run; then PostgreSQL. Run: npx tsx bench/import.bench.ts [N]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase } from '../src/platform/db/database.ts';
import { systemClock } from '../src/platform/clock.ts';
import { systemActor } from '../src/contexts/sharing/actor.ts';
import { KnowledgeRepository } from '../src/contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../src/contexts/knowledge/knowledge.service.ts';
import { PreparePool } from '../src/contexts/knowledge/prepare-pool.ts';
import { fmt, machine, syntheticObject } from './util.ts';

const N = Number(process.argv[2] ?? 200_000);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function bulwark(texts: string[], open: () => ReturnType<typeof openDatabase>): Promise<number> {
  const database = await open();
  const preparer = new PreparePool(); // as `bulwark import` runs it
  const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock, preparer);
  const t0 = performance.now();
  const r = await svc.ingest(systemActor('bench'), texts.map((text, index) => ({ index, text })), { asOrg: 'PL', defaultTlp: 'amber' });
  const ms = performance.now() - t0;
  await preparer.close();
  if (r.accepted.length !== texts.length) throw new Error(`accepted ${r.accepted.length} of ${texts.length}`);
  await database.close();
  return (texts.length / ms) * 1000;
}

/** The baseline: the same rows, pre-computed, inserted with one prepared statement in one transaction. */
async function raw(texts: string[], dir: string): Promise<number> {
  const database = await openDatabase({ dataDir: join(dir, 'raw') }); // same schema and indexes
  await database.close();
  const db = new SQLite(join(dir, 'raw', 'bulwark.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const rows = texts.map((json, i) => {
    const o = JSON.parse(json) as { id: string; type: string };
    return { id: o.id, type: o.type, spec_version: '2.1', version: '2024-03-01T10:00:00.000000000Z', added_us: 1_700_000_000_000_000 + i, date_added: '2024-03-01T10:00:00.000000Z', author: 'PL', tlp: 'amber', audience: '', is_latest: 1, json };
  });
  const stmt = db.prepare('insert into objects (id, type, spec_version, version, added_us, date_added, author, tlp, audience, is_latest, json) values (@id, @type, @spec_version, @version, @added_us, @date_added, @author, @tlp, @audience, @is_latest, @json)');
  const t0 = performance.now();
  db.transaction(() => {
    for (const r of rows) stmt.run(r);
  })();
  const ms = performance.now() - t0;
  db.close();
  return (texts.length / ms) * 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  try {
    const texts = Array.from({ length: N }, (_, i) => JSON.stringify(syntheticObject(i)));
    const mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
    console.log(`# import bench: ${fmt(N)} objects (${mb.toFixed(0)} MB of JSON); ${machine()}`);
    const rawRate = await raw(texts, dir);
    const sqliteRate = await bulwark(texts, () => openDatabase({ dataDir: join(dir, 'bulwark') }));
    const schema = `bench_import_${process.pid}`;
    const pgRate = await bulwark(texts, () => openDatabase({ url: PG_URL, pgSchema: schema }));
    const pg = await import('pg');
    const c = new pg.default.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
    console.log('| store | objects/s | vs raw SQLite |');
    console.log('|---|---|---|');
    console.log(`| raw better-sqlite3 prepared inserts (baseline) | ${fmt(rawRate)} | 1.00 |`);
    console.log(`| Bulwark import → SQLite | ${fmt(sqliteRate)} | ${(sqliteRate / rawRate).toFixed(2)} |`);
    console.log(`| Bulwark import → PostgreSQL | ${fmt(pgRate)} | ${(pgRate / rawRate).toFixed(2)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
