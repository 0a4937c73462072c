import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Transaction } from 'kysely';
import pg from 'pg';
import { postgresDatabase } from '../../../test/databases.ts';
import { hasService, PG_URL } from '../../../test/services.ts';
import { incidentRow } from '../../../test/intel-rows.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Schema } from '../../platform/db/schema.ts';
import { writeIndex, type IndexedValue } from './intel-index.repository.ts';

const a: IndexedValue = { kind: 'domain-name', norm: 'a.example', value: 'a.example' };
const b: IndexedValue = { kind: 'domain-name', norm: 'b.example', value: 'b.example' };

/** Transactions opened by a test, released after it even when it failed midway (else closing the pool waits on them). */
const opened: Array<{ release: () => void; done: Promise<void> }> = [];

/** A transaction of the store's pool that runs `work`, then stays open until released; its backend's pid. */
function open(d: Database, work: (trx: Transaction<Schema>) => Promise<unknown>) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let setPid!: (p: number) => void;
  const pid = new Promise<number>((r) => (setPid = r));
  const done = d.db.transaction().execute(async (trx) => {
    const r = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
    setPid(Number(r.rows[0]!.pid));
    await work(trx);
    await gate;
  });
  opened.push({ release, done });
  return { pid, release, done };
}

/**
 * Two instances on one PostgreSQL write reports that share observables at once. Each report counts its values in
 * intel_value_counts; counted in the order each report listed them, two reports listing the same two values in
 * opposite orders could each hold the row the other waits for. The interleaving is forced here: two other
 * transactions hold the two rows first and let them go one after the other.
 */
describe.skipIf(!hasService('postgres'))('value counts under concurrent reports (PostgreSQL)', () => {
  let d: Database;
  let probe: pg.Client;
  beforeEach(async () => {
    d = await postgresDatabase.open();
    probe = new pg.Client({ connectionString: PG_URL });
    await probe.connect();
    await d.db
      .insertInto('intel_value_counts')
      .values([a, b].map((v) => ({ kind: v.kind, norm_value: v.norm, incidents: 1 })))
      .execute();
  });
  afterEach(async () => {
    for (const o of opened) o.release();
    await Promise.allSettled(opened.splice(0).map((o) => o.done));
    await probe.end();
    await d.close();
  });

  const blockers = async (pid: number) =>
    (await probe.query<{ b: number[] }>('select pg_blocking_pids($1) as b', [pid])).rows[0]!.b;
  const until = async (what: string, cond: () => Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await cond())) {
      if (Date.now() > deadline) throw new Error(`never: ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  const lock = (v: IndexedValue) => (trx: Transaction<Schema>) =>
    sql`select incidents from intel_value_counts where kind = ${v.kind} and norm_value = ${v.norm} for update`.execute(
      trx,
    );

  it('two reports listing the same values in opposite orders both commit, and both are counted', async () => {
    const holdA = open(d, lock(a));
    const holdB = open(d, lock(b));
    const ha = await holdA.pid;
    await holdB.pid;
    const x = open(d, (trx) =>
      writeIndex(trx, incidentRow('incident--x', { category: 'cyber', pending: 1 }), [], [a, b], [], true),
    );
    x.release();
    const xPid = await x.pid;
    await until('the first report waits for a', async () => (await blockers(xPid)).includes(ha));
    const y = open(d, (trx) =>
      writeIndex(trx, incidentRow('incident--y', { category: 'cyber', pending: 1 }), [], [b, a], [], true),
    );
    y.release();
    const yPid = await y.pid;
    await until('the second report waits', async () => (await blockers(yPid)).length > 0);
    holdA.release();
    await holdA.done;
    // It now waits for b: for its holder, or for the second report queued first on b.
    await until('the first report holds a and waits for b', async () => {
      const by = await blockers(xPid);
      return by.length > 0 && !by.includes(ha);
    });
    holdB.release();
    await holdB.done;
    // Listed order: the second report takes b and waits for a, held by the first, which waits for b: a deadlock,
    // and PostgreSQL fails one of them after deadlock_timeout.
    const settled = await Promise.allSettled([x.done, y.done]);
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'committed'))).toEqual([
      'committed',
      'committed',
    ]);
    const counts = await d.db
      .selectFrom('intel_value_counts')
      .select(['norm_value', 'incidents'])
      .orderBy('norm_value')
      .execute();
    expect(counts).toEqual([
      { norm_value: 'a.example', incidents: 3 },
      { norm_value: 'b.example', incidents: 3 },
    ]);
  });
});
