import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Checkpointer } from './checkpointer.ts';
import { openDatabase } from './database.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function store(walLimitBytes?: number): { file: string; db: SQLite.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'x.sqlite');
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  // As a store opens it (database.ts): SQLite cuts the log file back to this whenever the log starts again.
  if (walLimitBytes !== undefined) db.pragma(`journal_size_limit = ${walLimitBytes}`);
  db.exec('create table t (v text)');
  return { file, db };
}

function write(db: SQLite.Database, rows: number): void {
  const ins = db.prepare('insert into t values (?)');
  db.transaction(() => {
    for (let i = 0; i < rows; i++) ins.run('x'.repeat(500));
  })();
}

describe('Checkpointer', () => {
  it('copies committed writes into the database file on its own thread, on its timer and on request', async () => {
    const { file, db } = store();
    write(db, 2000);
    const before = statSync(file).size;
    const c = new Checkpointer(file, 50);
    try {
      const deadline = Date.now() + 10_000;
      // The file grows as the checkpoint writes pages: wait for all of the 1 MB written, not its first page.
      while (statSync(file).size <= before + 500 * 1000 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(statSync(file).size).toBeGreaterThan(before + 500 * 1000); // its timer did it: the test asked nothing
      write(db, 100); // the writer goes on meanwhile
      const r = await c.checkpoint();
      expect(r.busy).toBe(0);
      expect(r.checkpointed).toBe(r.log);
      expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2100 });
    } finally {
      await c.close();
      db.close();
    }
  });

  it('a store opened with checkpoints: background commits without checkpointing and still reaches the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-ckpt-'));
    dirs.push(dir);
    const database = await openDatabase({ dataDir: dir, checkpoints: 'background' });
    try {
      expect(database.sqlite!.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const file = join(dir, 'bulwark.sqlite');
      const before = statSync(file).size;
      database.sqlite!.exec(
        'create table filler (v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert into filler select hex(randomblob(400)) from n',
      );
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(before);
    } finally {
      await database.close();
    }
  });

  it('starts a log that grew past its bound again while writes go on, once a reader of an old snapshot is done', async () => {
    const { file, db } = store(1024 * 1024);
    const reader = new SQLite(file, { readonly: true });
    const c = new Checkpointer(file, 60_000, 1024 * 1024);
    try {
      // A reader inside a transaction pins the log: no checkpoint can pass its snapshot meanwhile.
      reader.exec('begin');
      reader.prepare('select count(*) from t').get();
      for (let i = 0; i < 10; i++) write(db, 1000); // ~5 MB of log, committed in ten transactions
      const pinned = await c.checkpoint();
      expect(pinned.restarted).toBe(false); // it gave up waiting for the reader, and will try again
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(4 * 1024 * 1024);
      reader.exec('commit');
      write(db, 10); // writes go on, so PASSIVE alone never reaches the last commit and the log never restarts
      const r = await c.checkpoint();
      expect(r.restarted).toBe(true);
      write(db, 10); // the next writer starts the log from its beginning, and SQLite cuts the file to the bound
      const [after] = db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
      expect(after!.log).toBeLessThan(10); // that write's frames alone, not the 5 MB before it
      expect(statSync(`${file}-wal`).size).toBeLessThanOrEqual(1024 * 1024);
      expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 10_020 });
    } finally {
      await c.close();
      reader.close();
      db.close();
    }
  });

  it('keeps the log file at its bound when it starts the log again, for writers to reuse instead of growing it', async () => {
    // Emptying the file (TRUNCATE) made writers grow it again page by page, and held them 25–42 ms at each
    // restart of the report path at 100 reports/s instead of 3–13 ms (bench/RESULTS.md).
    const { file, db } = store(1024 * 1024);
    const c = new Checkpointer(file, 60_000, 1024 * 1024);
    try {
      for (let i = 0; i < 10; i++) write(db, 1000);
      expect((await c.checkpoint()).restarted).toBe(true);
      // Nothing written since: the file is still past the bound, but the next writer starts the log again anyway.
      expect((await c.checkpoint()).restarted).toBe(false);
      write(db, 10);
      expect(statSync(`${file}-wal`).size).toBe(1024 * 1024);
    } finally {
      await c.close();
      db.close();
    }
  });

  it('a store bounds its log file when SQLite starts the log again (journal_size_limit)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-ckpt-'));
    dirs.push(dir);
    const database = await openDatabase({ dataDir: dir, walLimitBytes: 2 * 1024 * 1024 });
    try {
      expect(database.sqlite!.pragma('journal_size_limit', { simple: true })).toBe(2 * 1024 * 1024);
    } finally {
      await database.close();
    }
  });

  it('a write transaction that began before a RESTART checkpoint still commits (writers begin immediate)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-ckpt-'));
    dirs.push(dir);
    const database = await openDatabase({ dataDir: dir, checkpoints: 'manual', walLimitBytes: 1024 * 1024 });
    const c = new Checkpointer(join(dir, 'bulwark.sqlite'), 60_000, 1024 * 1024);
    try {
      database.sqlite!.exec(
        'create table filler (v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert into filler select hex(randomblob(400)) from n',
      );
      // Every frame is in the database file: a transaction that only read so far reads the file alone, and a
      // RESTART need not wait for it; if it then started the log again, the transaction could never write.
      database.sqlite!.pragma('wal_checkpoint(PASSIVE)');
      await database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('kv').selectAll().execute();
        await c.checkpoint(); // the log file is past its bound: a RESTART is tried while the transaction is open
        await trx.insertInto('kv').values({ key: 'k', value: 'v' }).execute();
      });
      expect(await database.db.selectFrom('kv').selectAll().where('key', '=', 'k').execute()).toHaveLength(1);
    } finally {
      await c.close();
      await database.close();
    }
  });
});
