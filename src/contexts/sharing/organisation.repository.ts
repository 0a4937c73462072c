import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';
import { ORGANISATIONS, type Organisation } from './organisations.ts';

export class OrganisationRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  /** Inserts the alliance's organisations that are missing; idempotent. */
  async seed(): Promise<number> {
    const existing = new Set((await this.db.selectFrom('organisations').select('code').execute()).map((r) => r.code));
    const missing = ORGANISATIONS.filter((o) => !existing.has(o.code));
    if (missing.length > 0)
      await this.db
        .insertInto('organisations')
        .values(missing.map((o) => ({ ...o })))
        .execute();
    return missing.length;
  }

  async list(): Promise<Organisation[]> {
    const rows = await this.db.selectFrom('organisations').selectAll().orderBy('kind').orderBy('code').execute();
    return rows.map((r) => ({ code: r.code, name: r.name, kind: r.kind, joined: r.joined }));
  }

  async get(code: string): Promise<Organisation | undefined> {
    const r = await this.db.selectFrom('organisations').selectAll().where('code', '=', code).executeTakeFirst();
    return r && { code: r.code, name: r.name, kind: r.kind, joined: r.joined };
  }
}
