import { sql, type Kysely, type Transaction } from 'kysely';
import type { AuditLogTable, Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import { checkLink, initialVerifyState, nextRow, type AuditInput, type AuditRow, type VerifyResult } from './audit.ts';

/** Advisory lock key that serializes appends to the chain on PostgreSQL. */
const AUDIT_LOCK_KEY = 4700201;

/**
 * The audit_log table. `append` must run inside the transaction of the change it records: the
 * entry exists if and only if the change committed. Appends are serialized so that the chain never
 * forks: on PostgreSQL by a transaction-scoped advisory lock taken before the last hash is read; on
 * SQLite by the single writer (and in both by the primary key on seq, which refuses a second entry
 * with the same predecessor).
 */
export class AuditRepository {
  constructor(
    private readonly db: Kysely<Schema>,
    private readonly dialect: DialectName,
  ) {}

  async append(trx: Transaction<Schema>, input: AuditInput, at: string): Promise<AuditRow> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
    const last = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const row = nextRow(last, input, at);
    await trx
      .insertInto('audit_log')
      .values({ seq: row.seq, at: row.at, actor: row.actor, action: row.action, subject: row.subject, data: row.data, prev_hash: row.prevHash, hash: row.hash })
      .execute();
    return row;
  }

  /** Entries about one subject, oldest first. */
  async forSubject(subject: string): Promise<AuditRow[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('subject', '=', subject).orderBy('seq').execute();
    return rows.map(toRow);
  }

  /** Walks the whole chain in seq order, in pages, and stops at the first broken link. */
  async verify(pageSize = 2000): Promise<VerifyResult> {
    const state = initialVerifyState();
    let after = 0;
    for (;;) {
      const rows = await this.db.selectFrom('audit_log').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
      for (const r of rows) {
        const c = checkLink(state, toRow(r));
        if (!c.ok) return { ok: false, entries: state.checked, head: state.head, firstBrokenSeq: c.seq, reason: c.reason };
      }
      if (rows.length < pageSize) return { ok: true, entries: state.checked, head: state.head };
      after = rows[rows.length - 1]!.seq;
    }
  }
}

function toRow(r: AuditLogTable): AuditRow {
  return { seq: Number(r.seq), at: r.at, actor: r.actor, action: r.action, subject: r.subject, data: r.data, prevHash: r.prev_hash, hash: r.hash };
}
