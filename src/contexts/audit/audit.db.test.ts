import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { AuditRepository } from './audit.repository.ts';
import { testAnchor } from './audit.fixtures.ts';
import { GENESIS } from './audit.ts';

describe.each(testDatabases)('audit log on $name', (tdb) => {
  let database: Database;
  let audit: AuditRepository;
  let anchor: ReturnType<typeof testAnchor>;
  beforeEach(async () => {
    database = await tdb.open();
    anchor = testAnchor();
    audit = new AuditRepository(database.db, database.dialect, anchor, silentLogger);
    await audit.start();
  });
  afterEach(async () => {
    await database.close();
    anchor.remove();
  });

  const append = (i: number) =>
    database.db
      .transaction()
      .execute((trx) =>
        audit.append(
          trx,
          { actor: 'user:anna@PL', action: 'create', subject: `proposal--${i}`, data: { i, text: 'ü "quoted"' } },
          new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
        ),
      );

  it('concurrent appends serialize into one unforked chain', async () => {
    await Promise.all(Array.from({ length: 30 }, (_, i) => append(i)));
    const rows = await database.db
      .selectFrom('audit_log')
      .select(['seq', 'prev_hash', 'hash'])
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(rows[0]!.prev_hash).toBe(GENESIS);
    expect(new Set(rows.map((r) => r.prev_hash)).size).toBe(30);
    expect(await audit.verify(7)).toMatchObject({ ok: true, entries: 30, head: rows[29]!.hash });
  });

  it('an entry exists only if its transaction commits', async () => {
    await append(1);
    await expect(
      database.db.transaction().execute(async (trx) => {
        await audit.append(
          trx,
          { actor: 'system:x', action: 'settle', subject: 's', data: {} },
          new Date().toISOString(),
        );
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await append(2);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 2 });
  });

  it('names the first broken link when a row is altered, re-hashed or removed', async () => {
    for (let i = 1; i <= 5; i++) await append(i);
    await sql`update audit_log set actor = 'user:mallory@PL' where seq = 4`.execute(database.db);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 4, entries: 3 });
    await sql`update audit_log set actor = 'user:anna@PL' where seq = 4`.execute(database.db);
    expect(await audit.verify()).toMatchObject({ ok: true, entries: 5 });
    await sql`update audit_log set hash = ${'f'.repeat(64)} where seq = 2`.execute(database.db);
    expect(await audit.verify()).toMatchObject({ ok: false, firstBrokenSeq: 2 });
  });
});
