import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { sqliteFileStore, testDatabases } from '../../../test/databases.ts';
import type { Database } from './database.ts';
import { GroupCommit } from './group-commit.ts';

describe.each(testDatabases)('group commit on $name', (tdb) => {
  let d: Database;
  beforeEach(async () => {
    d = await tdb.open();
  });
  afterEach(async () => d.close());

  const insert = (key: string) => (trx: Parameters<Parameters<GroupCommit['run']>[2]>[0]) =>
    trx
      .insertInto('intel_child_ids')
      .values({ owner_id: 'incident--x', child_key: key, object_id: `location--${key}` })
      .execute()
      .then(() => key);
  const stored = async () =>
    (await d.db.selectFrom('intel_child_ids').select('child_key').orderBy('child_key').execute()).map(
      (r) => r.child_key,
    );

  it('commits writes queued together in one transaction; a failing write rolls back alone', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 64, maxWeight: 1 << 20 });
    const results = await Promise.allSettled([
      g.run('u1', 1, insert('a')),
      g.run('u2', 1, insert('b')),
      // The same primary key as the first: refused by the store, inside the shared transaction.
      g.run('u3', 1, insert('a')),
      g.run('u4', 1, async (trx) => {
        await insert('c')(trx);
        throw new Error('refused after writing');
      }),
      g.run('u5', 1, insert('d')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await stored()).toEqual(['a', 'b', 'd']);
    expect(g.stats).toEqual({ transactions: 1, writes: 5, retries: 0 });
  });

  it('answers a write only once its transaction committed', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 64, maxWeight: 1 << 20 });
    const seen: string[][] = [];
    const first = g.run('u1', 1, insert('a'));
    const second = g.run('u2', 1, insert('b'));
    await first.then(async () => seen.push(await stored()));
    await second;
    // When the first write is answered, the second (same transaction) is stored as well: nothing is answered early.
    expect(seen).toEqual([['a', 'b']]);
  });

  it('takes one write of each waiting user in turn, so one user’s backlog does not delay another', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 3, maxWeight: 1 << 20 });
    const order: string[] = [];
    const job = (key: string) => async (trx: Parameters<Parameters<GroupCommit['run']>[2]>[0]) => {
      order.push(key);
      return insert(key)(trx);
    };
    const all = [
      ...Array.from({ length: 8 }, (_, i) => g.run('busy', 1, job(`busy-${i}`))),
      g.run('bystander', 1, job('bystander')),
    ];
    await Promise.all(all);
    expect(order.indexOf('bystander')).toBeLessThan(3);
    expect(g.stats.transactions).toBe(3);
    expect(await stored()).toHaveLength(9);
  });

  it('refuses new writes (seconds to wait) once the queued ones have waited the bound, not before', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 1, maxWeight: 1 << 20 });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const first = g.run('u1', 1, async (trx) => {
      await held;
      return insert('a')(trx);
    });
    const second = g.run('u2', 1, insert('b'));
    expect(g.refusal(100)).toBeUndefined();
    await new Promise((r) => setTimeout(r, 150));
    expect(g.queued).toBe(1);
    expect(g.refusal(100)).toBeGreaterThanOrEqual(1);
    release();
    await Promise.all([first, second]);
    expect(g.refusal(100)).toBeUndefined();
  });

  it('lets the event loop turn between transactions once they held it a slice, so requests are read', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 1, maxWeight: 1 << 20, sliceMs: 0 });
    const order: string[] = [];
    const job = (key: string) => async (trx: Parameters<Parameters<GroupCommit['run']>[2]>[0]) => {
      order.push(key);
      // What arrives on a socket meanwhile is handled on the loop's next turn.
      if (key === 'a' || key === 'd') setImmediate(() => order.push('turn'));
      return insert(key)(trx);
    };
    await Promise.all([g.run('u1', 1, job('a')), g.run('u2', 1, job('b')), g.run('u3', 1, job('c'))]);
    expect(order).toEqual(['a', 'turn', 'b', 'c']);
    expect(g.stats.transactions).toBe(3);
    // Within the slice, transactions run back to back, as a few reports at a time did before.
    const quick = new GroupCommit(d.db, { maxBatch: 1, maxWeight: 1 << 20, sliceMs: 60_000 });
    order.length = 0;
    await Promise.all([quick.run('u1', 1, job('d')), quick.run('u2', 1, job('e'))]);
    if (tdb.name === 'sqlite') expect(order).toEqual(['d', 'e']);
  });

  it('bounds a transaction by weight; a write heavier than the bound runs alone', async () => {
    const g = new GroupCommit(d.db, { maxBatch: 64, maxWeight: 100 });
    await Promise.all([g.run('u1', 60, insert('a')), g.run('u2', 60, insert('b')), g.run('u3', 500, insert('c'))]);
    expect(g.stats).toEqual({ transactions: 3, writes: 3, retries: 0 });
    expect(await stored()).toEqual(['a', 'b', 'c']);
  });
});

describe('group commit on a busy SQLite store', () => {
  it('waits while the store stays locked past the busy timeout, instead of failing its writes', async () => {
    const d = await sqliteFileStore.open();
    // Another connection holds the write lock (as the checkpointer's RESTART does while it copies and syncs).
    const other = new SQLite(d.describe.replace(/^sqlite:/, ''));
    try {
      d.sqlite!.pragma('busy_timeout = 20');
      other.exec('begin immediate');
      const g = new GroupCommit(d.db);
      const write = g.run('u1', 1, (trx) =>
        trx.insertInto('intel_child_ids').values({ owner_id: 'incident--x', child_key: 'a', object_id: 'x' }).execute(),
      );
      await new Promise((r) => setTimeout(r, 150));
      other.exec('commit');
      await write;
      // The connection waited for the lock asynchronously (database.ts, waitsForLocks): no batch had to be run again.
      expect(g.stats).toMatchObject({ transactions: 1, writes: 1 });
      expect(await d.db.selectFrom('intel_child_ids').select('child_key').execute()).toEqual([{ child_key: 'a' }]);
    } finally {
      other.close();
      await d.close();
    }
  });
});
