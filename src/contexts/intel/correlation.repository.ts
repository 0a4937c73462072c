import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';

/** Correlation's own reads of the intel index (tables intel_*), each bounded in the rows it returns. No rules here. */
export class CorrelationQueries {
  constructor(private readonly db: Kysely<Schema>) {}

  /**
   * How many incidents carrying one value every one of `readers` (organisation codes) may read, counted up to
   * `cap` (the scan stops there). One indexed range of the value's carriers with the releasability of each
   * reader in SQL; none read is counted when `readers` is empty.
   */
  async readableCarriers(kind: string, norm: string, readers: readonly string[], cap: number): Promise<number> {
    if (readers.length === 0) return 0;
    const byCode = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
    const conditions = readers.map((code) =>
      releasableTo({ kind: 'org', org: code, orgKind: byCode.get(code) ?? 'partner' }, 'i'),
    );
    const carriers = this.db
      .selectFrom('intel_observables as o')
      .innerJoin('intel_incidents as i', 'i.id', 'o.incident_id')
      .select('o.incident_id')
      .where('o.kind', '=', kind)
      .where('o.norm_value', '=', norm)
      .where(sql<boolean>`(${sql.join(conditions, sql` and `)})`)
      .limit(cap);
    const row = await this.db
      .selectFrom(carriers.as('c'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }
}
