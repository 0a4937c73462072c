import SQLite from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from './statement-cache.ts';

describe('withStatementCache', () => {
  const open = () => {
    const raw = new SQLite(':memory:');
    raw.exec('create table t (x integer); insert into t values (1), (2), (3);');
    return { raw, db: withStatementCache(raw) };
  };

  it('reuses the prepared statement of the same SQL text, and gives correct results each time', () => {
    const { raw, db } = open();
    const a = db.prepare('select x from t where x > ? order by x');
    expect(db.prepare('select x from t where x > ? order by x')).toBe(a);
    expect(a.all([1])).toEqual([{ x: 2 }, { x: 3 }]);
    expect(a.all([2])).toEqual([{ x: 3 }]);
    expect(db.prepare('select x from t where x < ?')).not.toBe(a);
    raw.close();
  });

  it('never hands out a statement that is still iterating', () => {
    const { raw, db } = open();
    const sql = 'select x from t order by x';
    const seen: number[] = [];
    for (const row of db.prepare(sql).iterate([]) as Iterable<{ x: number }>) {
      const inner = db.prepare(sql).all([]) as Array<{ x: number }>;
      seen.push(row.x * 10 + inner.length);
    }
    expect(seen).toEqual([13, 23, 33]);
    raw.close();
  });

  it('stays bounded, evicting the least recently used text', () => {
    const { raw, db } = open();
    const first = db.prepare('select 0');
    for (let i = 1; i <= 300; i++) db.prepare(`select ${i}`);
    expect(db.prepare('select 0')).not.toBe(first);
    raw.close();
  });
});
