import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { testDatabases } from '../../../../test/databases.ts';
import { migrate } from '../migrate.ts';

type Db = Kysely<Record<string, Record<string, unknown>>>;

const row = (n: number, eventId: number | null) => ({
  event: 'incident.created',
  object_id: `incident--${n}`,
  author: 'PL',
  tlp: 'green',
  audience: '',
  payload: '{}',
  created_at: '2030-01-01T00:00:00.000Z',
  event_id: eventId,
});

const eventIds = async (db: Db) =>
  (await db.selectFrom('outbox').select(['event_id']).orderBy('seq').execute()).map((r) =>
    r.event_id === null ? null : Number(r.event_id),
  );

/** A store made before 105 publishes the rows its relay had not stamped yet, and on SQLite ids come with the insert. */
describe.each(testDatabases)('105-outbox-ids-at-insert upgrade, on $name', (tdb) => {
  it('stamps unpublished rows in seq order (SQLite) and gives later rows their ids as they are inserted', async () => {
    const old = await tdb.open({ migrateUntil: '104-band-releases' });
    const db = old.db as unknown as Db;
    try {
      await db
        .insertInto('outbox')
        .values([row(1, 1), row(2, 2), row(3, null), row(4, null)])
        .execute();
      await migrate(db as unknown as Kysely<unknown>, old.dialect);
      await db
        .insertInto('outbox')
        .values([row(5, null), row(6, null)])
        .execute();
      if (tdb.name === 'sqlite') {
        expect(await eventIds(db)).toEqual([1, 2, 3, 4, 5, 6]);
        const indexes = await db
          .selectFrom('sqlite_master')
          .select('name')
          .where('tbl_name', '=', 'outbox')
          .where('type', '=', 'index')
          .execute();
        expect(indexes.map((i) => i.name)).not.toContain('outbox_unpublished');
      } else {
        // PostgreSQL: the relay stamps them, under its lock, in publish order across instances.
        expect(await eventIds(db)).toEqual([1, 2, null, null, null, null]);
      }
    } finally {
      await old.close();
    }
  });
});
