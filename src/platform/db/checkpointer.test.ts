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

function store(): { file: string; db: SQLite.Database } {
  const dir = mkdtempSync(join(tmpdir(), 'bulwark-ckpt-'));
  dirs.push(dir);
  const file = join(dir, 'x.sqlite');
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
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
      while (statSync(file).size <= before + 500 * 1000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
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
      database.sqlite!.exec("create table filler (v text); with recursive n(i) as (select 1 union all select i + 1 from n where i < 3000) insert into filler select hex(randomblob(400)) from n");
      const deadline = Date.now() + 10_000;
      while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(before);
    } finally {
      await database.close();
    }
  });
});
