import { sql, type Kysely } from 'kysely';
import type { DialectName } from '../dialect.ts';

/**
 * SQLite: an outbox row gets its event id as it is inserted, in the writing transaction, instead of from a
 * second write after the commit (the relay's stamp). SQLite has one writer, and a write transaction holds
 * the lock from its first write to its commit, so ids given there are dense and increase in commit order,
 * as the relay's stamping made them; the relay only reads what committed. Each committed change cost a
 * second transaction and commit before: under a surge, two of the four commits of an incident report.
 * Rows not yet published are stamped first, in seq order, as the relay would have. The index of
 * unpublished rows is dropped: no row stays unpublished, and each insert would write a page of it for
 * nothing. PostgreSQL keeps the relay's stamping, which orders ids across instances by publish order.
 */
export async function up(db: Kysely<unknown>, dialect: DialectName): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`update outbox set event_id = b.base + x.rn
      from (select seq, row_number() over (order by seq) as rn from outbox where event_id is null) as x,
           (select coalesce(max(event_id), 0) as base from outbox) as b
      where outbox.seq = x.seq`.execute(db);
  await sql`drop index outbox_unpublished`.execute(db);
  await sql`create trigger outbox_event_id_at_insert after insert on outbox for each row when new.event_id is null
      begin
        update outbox set event_id = coalesce((select o.event_id from outbox as o where o.event_id is not null
                                               order by o.event_id desc limit 1), 0) + 1
          where seq = new.seq;
      end`.execute(db);
}
