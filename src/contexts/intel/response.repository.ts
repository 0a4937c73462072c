import type { Kysely, Transaction } from 'kysely';
import type { IntelResponsesTable, IntelResponseTasksTable, Schema } from '../../platform/db/schema.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';

export type ResponseRow = IntelResponsesTable;
export type TaskRow = IntelResponseTasksTable;

/** Coordinated responses and their per-member tasks. No business rules here. */
export class ResponseRepository {
  constructor(readonly db: Kysely<Schema>) {}

  async insert(trx: Transaction<Schema>, row: ResponseRow, tasks: readonly TaskRow[]): Promise<void> {
    await trx.insertInto('intel_responses').values(row).execute();
    if (tasks.length > 0)
      await trx
        .insertInto('intel_response_tasks')
        .values([...tasks])
        .execute();
  }

  async load(
    ex: Kysely<Schema> | Transaction<Schema>,
    id: string,
  ): Promise<{ row: ResponseRow; tasks: TaskRow[] } | undefined> {
    const row = await ex.selectFrom('intel_responses').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return {
      row,
      tasks: await ex
        .selectFrom('intel_response_tasks')
        .selectAll()
        .where('response_id', '=', id)
        .orderBy('member')
        .execute(),
    };
  }

  async updateTask(
    trx: Transaction<Schema>,
    id: string,
    member: string,
    status: string,
    note: string | null,
    at: string,
    by: string,
  ): Promise<void> {
    await trx
      .updateTable('intel_response_tasks')
      .set({ status, note, updated_at: at, updated_by: by })
      .where('response_id', '=', id)
      .where('member', '=', member)
      .execute();
    await trx.updateTable('intel_responses').set({ modified: at }).where('id', '=', id).execute();
  }

  async list(
    reader: Reader,
    target: string | undefined,
    limit: number,
  ): Promise<Array<{ row: ResponseRow; tasks: TaskRow[] }>> {
    let q = this.db.selectFrom('intel_responses as r').selectAll('r').where(releasableTo(reader, 'r'));
    if (target) q = q.where('r.target', '=', target);
    const rows = await q.orderBy('r.modified', 'desc').limit(limit).execute();
    if (rows.length === 0) return [];
    const tasks = await this.db
      .selectFrom('intel_response_tasks')
      .selectAll()
      .where(
        'response_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('member')
      .execute();
    return rows.map((row) => ({ row, tasks: tasks.filter((t) => t.response_id === row.id) }));
  }
}
