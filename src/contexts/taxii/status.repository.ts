import type { Kysely } from 'kysely';
import type { Schema } from '../../platform/db/schema.ts';

export interface StatusRecord {
  id: string;
  owner: string;
  status: 'pending' | 'complete';
  requestTimestamp: string;
  totalCount: number;
  successCount: number;
  failureCount: number;
  pendingCount: number;
  successes: Array<{ id: string; version: string; message?: string }>;
  failures: Array<{ id: string; version: string; message: string }>;
}

export class StatusRepository {
  constructor(private readonly db: Kysely<Schema>) {}

  async save(s: StatusRecord): Promise<void> {
    await this.db
      .insertInto('taxii_status')
      .values({
        id: s.id,
        owner: s.owner,
        status: s.status,
        request_timestamp: s.requestTimestamp,
        total_count: s.totalCount,
        success_count: s.successCount,
        failure_count: s.failureCount,
        pending_count: s.pendingCount,
        details: JSON.stringify({ successes: s.successes, failures: s.failures }),
      })
      .execute();
  }

  async get(id: string, owner: string): Promise<StatusRecord | undefined> {
    const r = await this.db
      .selectFrom('taxii_status')
      .selectAll()
      .where('id', '=', id)
      .where('owner', '=', owner)
      .executeTakeFirst();
    if (!r) return undefined;
    const d = JSON.parse(r.details) as {
      successes: StatusRecord['successes'];
      failures: Array<{ id: string; version?: string; message: string }>;
    };
    return {
      id: r.id,
      owner: r.owner,
      status: r.status === 'pending' ? 'pending' : 'complete',
      requestTimestamp: r.request_timestamp,
      totalCount: r.total_count,
      successCount: r.success_count,
      failureCount: r.failure_count,
      pendingCount: r.pending_count,
      successes: d.successes,
      // rows stored before `version` was always recorded on failures
      failures: d.failures.map((f) => ({ ...f, version: f.version ?? r.request_timestamp })),
    };
  }
}
