import { sql, type Kysely } from 'kysely';
import type { DialectName } from './dialect.ts';
import * as m001 from './migrations/001-platform.ts';
import * as m002 from './migrations/002-outbox-relay.ts';
import * as m003 from './migrations/003-objects-clustered.ts';
import * as m010 from './migrations/010-well-known-markings.ts';
import * as m011 from './migrations/011-objects-per-author.ts';
import * as m020 from './migrations/020-audit.ts';
import * as m021 from './migrations/021-council.ts';
import * as m022 from './migrations/022-audit-anchor.ts';
import * as m030 from './migrations/030-intel.ts';
import * as m031 from './migrations/031-intel-campaigns.ts';
import * as m032 from './migrations/032-intel-responses.ts';
import * as m033 from './migrations/033-intel-child-ids.ts';
import * as m034 from './migrations/034-intel-links-updated.ts';
import * as m038 from './migrations/038-console-sessions.ts';
import * as m039 from './migrations/039-console-search.ts';
import * as m040 from './migrations/040-outlook.ts';
import * as m050 from './migrations/050-registers.ts';
import * as m051 from './migrations/051-diplomacy-record.ts';
import * as m052 from './migrations/052-briefings.ts';
import * as m060 from './migrations/060-sources.ts';
import * as m061 from './migrations/061-sources-mention-folds.ts';
import * as m080 from './migrations/080-federation.ts';
import * as m096 from './migrations/096-claim-signposts.ts';
import * as m100 from './migrations/100-support-generation.ts';
import * as m102 from './migrations/102-object-deletions.ts';
import * as m103 from './migrations/103-federation-received-ranges.ts';
import * as m104 from './migrations/104-band-releases.ts';
import * as m105 from './migrations/105-outbox-ids-at-insert.ts';

export interface Migration {
  name: string;
  up(db: Kysely<unknown>, dialect: DialectName): Promise<void>;
}

/**
 * Migrations are registered here in order; each context may append its own.
 * They run on SQLite and PostgreSQL alike, each inside one transaction.
 */
const migrations: Migration[] = [
  { name: '001-platform', up: m001.up },
  { name: '002-outbox-relay', up: m002.up },
  { name: '003-objects-clustered', up: m003.up },
  { name: '010-well-known-markings', up: m010.up },
  { name: '011-objects-per-author', up: m011.up },
  { name: '020-audit', up: m020.up },
  { name: '021-council', up: m021.up },
  { name: '022-audit-anchor', up: m022.up },
  { name: '030-intel', up: m030.up },
  { name: '031-intel-campaigns', up: m031.up },
  { name: '032-intel-responses', up: m032.up },
  { name: '033-intel-child-ids', up: m033.up },
  { name: '034-intel-links-updated', up: m034.up },
  { name: '038-console-sessions', up: m038.up },
  { name: '039-console-search', up: m039.up },
  { name: '040-outlook', up: m040.up },
  { name: '050-registers', up: m050.up },
  { name: '051-diplomacy-record', up: m051.up },
  { name: '052-briefings', up: m052.up },
  { name: '060-sources', up: m060.up },
  { name: '061-sources-mention-folds', up: m061.up },
  { name: '080-federation', up: m080.up },
  { name: '096-claim-signposts', up: m096.up },
  { name: '100-support-generation', up: m100.up },
  { name: '102-object-deletions', up: m102.up },
  { name: '103-federation-received-ranges', up: m103.up },
  { name: '104-band-releases', up: m104.up },
  { name: '105-outbox-ids-at-insert', up: m105.up },
];

export function registerMigration(m: Migration): void {
  if (!migrations.some((x) => x.name === m.name)) migrations.push(m);
  migrations.sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs the pending migrations in order; `until` (upgrade tests) stops after the one of that name. */
export async function migrate(db: Kysely<unknown>, dialect: DialectName, until?: string): Promise<string[]> {
  await sql`create table if not exists bulwark_migrations (name text primary key, applied_at text not null)`.execute(
    db,
  );
  const ran: string[] = [];
  for (const m of migrations) {
    const done = await sql<{ name: string }>`select name from bulwark_migrations where name = ${m.name}`.execute(db);
    if (done.rows.length > 0) {
      if (m.name === until) break;
      continue;
    }
    await db.transaction().execute(async (trx) => {
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(4700001)`.execute(trx);
      const again = await sql<{ name: string }>`select name from bulwark_migrations where name = ${m.name}`.execute(
        trx,
      );
      if (again.rows.length > 0) return;
      await m.up(trx, dialect);
      await sql`insert into bulwark_migrations (name, applied_at) values (${m.name}, ${new Date().toISOString()})`.execute(
        trx,
      );
      ran.push(m.name);
    });
    if (m.name === until) break;
  }
  return ran;
}
