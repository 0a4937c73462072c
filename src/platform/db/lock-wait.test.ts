import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type Database } from './database.ts';

const dirs: string[] = [];
const open: Database[] = [];
afterEach(async () => {
  for (const d of open.splice(0)) await d.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the SQLite connection waiting for the write lock', () => {
  it('keeps the event loop turning while another connection holds the lock, then writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bulwark-lock-'));
    dirs.push(dir);
    const d = await openDatabase({ dataDir: dir, checkpoints: 'manual' });
    open.push(d);
    await sql`create table lock_probe (v text)`.execute(d.db);
    // Another connection holds the write lock for 300 ms, as a RESTART checkpoint does while it copies.
    const other = new SQLite(join(dir, 'bulwark.sqlite'));
    other.exec('begin immediate');
    setTimeout(() => other.exec('commit'), 300);
    let last = performance.now();
    let worstGap = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const t0 = performance.now();
    try {
      await d.db.transaction().execute((trx) => sql`insert into lock_probe values ('x')`.execute(trx));
      await sql`insert into lock_probe values ('y')`.execute(d.db);
    } finally {
      clearInterval(tick);
      other.close();
    }
    expect(performance.now() - t0).toBeGreaterThanOrEqual(290);
    // SQLite's own busy handler would have slept through the 300 ms inside the call (and the lock holder's
    // timer with it, until the busy timeout failed the write).
    expect(worstGap).toBeLessThan(150);
    const rows = await sql<{ v: string }>`select v from lock_probe order by v`.execute(d.db);
    expect(rows.rows.map((r) => r.v)).toEqual(['x', 'y']);
  });
});
