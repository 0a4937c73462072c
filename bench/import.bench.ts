/**
 * Import throughput: `bulwark import` of a bundle file into Bulwark's knowledge store (read, scan, parse
 * and validate on the preparing thread; releasability, versioning, date_added and the writes on this
 * one; one transaction) against raw better-sqlite3 inserts of the same rows into the same table, in the
 * same run; then PostgreSQL. Run: npx tsx bench/import.bench.ts [N] [RUNS]
 *
 * Both SQLite figures are taken at the commit, with the write-ahead log copied into the database file
 * afterwards (the import command's `checkpoints: 'manual'`, and wal_autocheckpoint=0 for the baseline);
 * that copy is timed separately and shown as its own column and in a rate that includes it. The
 * preparing thread's boot, once per process, is timed apart too.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase, type OpenOptions } from '../src/platform/db/database.ts';
import { systemClock } from '../src/platform/clock.ts';
import { systemActor } from '../src/kernel/access/actor.ts';
import { KnowledgeRepository } from '../src/contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../src/contexts/knowledge/knowledge.service.ts';
import { PreparePool } from '../src/contexts/knowledge/prepare-pool.ts';
import { IMPORT_SQLITE } from '../src/platform/db/database.ts';
import { fmt, machine, syntheticObject } from './util.ts';

const N = Number(process.argv[2] ?? 200_000);
const RUNS = Number(process.argv[3] ?? 3);
const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Run {
  /** Seconds to the commit. */
  commit: number;
  /** Seconds from starting the preparing thread until it answers (Bulwark runs; before the timed part). */
  boot?: number;
  /** Seconds of the checkpoint after it (SQLite). */
  checkpoint: number;
  /**
   * Seconds to the commit of a second file of N other objects, imported into the same store after the
   * first (Bulwark runs). Into an empty store an import looks up only the ids it has written itself;
   * here every id is looked up among the N stored.
   */
  second?: number;
}

/** As `bulwark import FILE` runs it: the preparing thread starts as the store opens and reads the file itself. */
async function bulwark(file: string, opts: OpenOptions, secondFile: string): Promise<Run> {
  const tb = performance.now();
  const preparer = new PreparePool().start();
  const database = await openDatabase(opts);
  // The thread's boot (loading its modules through tsx: 0.3 s alone, up to a second with both cores busy)
  // is a cost per process, like the CLI's own start, not per object: timed apart, reported in its own column.
  await preparer.ready();
  const boot = (performance.now() - tb) / 1000;
  const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock, preparer);
  const t0 = performance.now();
  const r = await svc.ingest(systemActor('bench'), { file }, { asOrg: 'PL', defaultTlp: 'amber' });
  const t1 = performance.now();
  database.checkpoint?.();
  const t2 = performance.now();
  if (r.accepted.length !== N) throw new Error(`accepted ${r.accepted.length} of ${N}`);
  const t3 = performance.now();
  const r2 = await svc.ingest(systemActor('bench'), { file: secondFile }, { asOrg: 'PL', defaultTlp: 'amber' });
  const t4 = performance.now();
  if (r2.accepted.length !== N) throw new Error(`second file: accepted ${r2.accepted.length} of ${N}`);
  await preparer.close();
  await database.close();
  return { commit: (t1 - t0) / 1000, checkpoint: (t2 - t1) / 1000, boot, second: (t4 - t3) / 1000 };
}

/** The baseline: the same rows, pre-computed, inserted with one prepared statement in one transaction. */
async function raw(file: string, dir: string): Promise<Run> {
  // The rows are computed from the file here, untimed, and are garbage once this returns: the runs that
  // follow do not carry the baseline's 136 MB of strings in their heap.
  const texts = (JSON.parse(readFileSync(file, 'utf8')) as { objects: unknown[] }).objects.map((o) =>
    JSON.stringify(o),
  );
  const database = await openDatabase({ dataDir: dir }); // same schema and indexes
  await database.close();
  const db = new SQLite(join(dir, 'bulwark.sqlite'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('wal_autocheckpoint = 0');
  db.pragma(`cache_size = -${IMPORT_SQLITE.cacheKiB}`); // the import's own cache (with the default 2 MiB the baseline ran 30 % slower)
  const rows = texts.map((json, i) => {
    const o = JSON.parse(json) as { id: string; type: string };
    return {
      id: o.id,
      type: o.type,
      spec_version: '2.1',
      version: '2024-03-01T10:00:00.000000000Z',
      added_us: 1_700_000_000_000_000 + i,
      date_added: '2024-03-01T10:00:00.000000Z',
      author: 'PL',
      tlp: 'amber',
      audience: '',
      is_latest: 1,
      json,
    };
  });
  const stmt = db.prepare(
    'insert into objects (id, type, spec_version, version, added_us, date_added, author, tlp, audience, is_latest, json) values (@id, @type, @spec_version, @version, @added_us, @date_added, @author, @tlp, @audience, @is_latest, @json)',
  );
  const t0 = performance.now();
  db.transaction(() => {
    for (const r of rows) stmt.run(r);
  })();
  const t1 = performance.now();
  db.pragma('wal_checkpoint(TRUNCATE)');
  const t2 = performance.now();
  db.close();
  return { commit: (t1 - t0) / 1000, checkpoint: (t2 - t1) / 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rate = (s: number) => N / s;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-bench-'));
  try {
    const file = join(dir, 'bundle.json');
    const secondFile = join(dir, 'second.json');
    let mb = 0;
    for (const f of [file, secondFile]) {
      // Objects as JSON.stringify writes them (compact), one per line; syntheticObject draws fresh ids.
      const texts = Array.from({ length: N }, (_, i) => JSON.stringify(syntheticObject(i)));
      writeFileSync(
        f,
        `{"type": "bundle", "id": "bundle--2f4e8a3c-0d3b-4c7e-9a51-6f1f0c2b7d10", "objects": [\n${texts.join(',\n')}\n]}\n`,
      );
      mb = texts.reduce((a, t) => a + t.length, 0) / 1e6;
    }
    console.log(`# import bench: ${fmt(N)} objects (${mb.toFixed(0)} MB bundle file), ${RUNS} runs; ${machine()}`);
    const runs: Record<'raw' | 'sqlite' | 'postgres', Run[]> = { raw: [], sqlite: [], postgres: [] };
    for (let i = 0; i < RUNS; i++) {
      runs.raw.push(await raw(file, join(dir, `raw-${i}`)));
      rmSync(join(dir, `raw-${i}`), { recursive: true, force: true });
      runs.sqlite.push(await bulwark(file, { dataDir: join(dir, `bulwark-${i}`), ...IMPORT_SQLITE }, secondFile));
      rmSync(join(dir, `bulwark-${i}`), { recursive: true, force: true });
    }
    // PostgreSQL after: its background writer and checkpoints keep working after each import.
    for (let i = 0; i < RUNS; i++) {
      const schema = `bench_import_${process.pid}_${i}`;
      runs.postgres.push(await bulwark(file, { url: PG_URL, pgSchema: schema }, secondFile));
      const pg = await import('pg');
      const c = new pg.default.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    }
    const each = (rs: Run[], f: (r: Run) => number) => rs.map((r) => fmt(f(r))).join(' / ');
    const rawMedian = median(runs.raw.map((r) => rate(r.commit)));
    console.log(
      `| store | objects/s to the commit, median (each run) | checkpoint after it, s | objects/s with the checkpoint | vs raw (medians, to the commit) | preparing thread boot, s | a second file into the same store (${fmt(N)} stored), objects/s to the commit |`,
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, rs] of [
      ['raw better-sqlite3 prepared inserts (baseline)', runs.raw],
      ['Bulwark import → SQLite', runs.sqlite],
      ['Bulwark import → PostgreSQL', runs.postgres],
    ] as const) {
      const m = median(rs.map((r) => rate(r.commit)));
      const ck = rs === runs.postgres ? '–' : rs.map((r) => r.checkpoint.toFixed(2)).join(' / ');
      const withCk =
        rs === runs.postgres
          ? '–'
          : `${fmt(median(rs.map((r) => rate(r.commit + r.checkpoint))))} (${each(rs, (r) => rate(r.commit + r.checkpoint))})`;
      const boot = rs === runs.raw ? '–' : rs.map((r) => (r.boot ?? 0).toFixed(2)).join(' / ');
      const second =
        rs === runs.raw ? '–' : `${fmt(median(rs.map((r) => rate(r.second!))))} (${each(rs, (r) => rate(r.second!))})`;
      console.log(
        `| ${name} | **${fmt(m)}** (${each(rs, (r) => rate(r.commit))}) | ${ck} | ${withCk} | ${(m / rawMedian).toFixed(2)} | ${boot} | ${second} |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
