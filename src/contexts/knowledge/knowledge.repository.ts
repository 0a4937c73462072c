import type SQLite from 'better-sqlite3';
import { sql, type Selectable, type Kysely, type SqlBool, type Expression, type ExpressionBuilder } from 'kysely';
import type { ObjectsTable, Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/database.ts';
import type { Reader } from '../sharing/releasability.policy.ts';
import { releasableTo } from '../sharing/releasability.query.ts';

export type Executor = Kysely<Schema>;

/** Which objects a collection (or the REST API) presents before releasability is applied. */
export type Scope = { kind: 'all' } | { kind: 'author'; org: string } | { kind: 'public' };

export type VersionMatch = 'first' | 'last' | 'all' | { key: string };

export interface ObjectQuery {
  reader: Reader;
  scope: Scope;
  ids?: readonly string[];
  types?: readonly string[];
  specVersions?: readonly string[];
  /** Defaults to ['last']. */
  versions?: readonly VersionMatch[];
  addedAfterUs?: number;
  /** Inclusive upper bound on date_added, e.g. for an export snapshot. */
  addedUntilUs?: number;
  limit?: number;
}

/** A stored version, as selected. */
export type StoredRow = Selectable<ObjectsTable>;

/** A version to insert (the store assigns `seq`). */
export type NewRow = Omit<StoredRow, 'seq'>;

/** What the write path needs to know of a stored version with the same id. */
export type ExistingRow = Pick<StoredRow, 'id' | 'version' | 'json' | 'author' | 'tlp' | 'audience' | 'is_latest'>;

const PG_BATCH = 2000;
const ADVISORY_KEY = 4700002;

const COLUMNS = ['id', 'type', 'spec_version', 'version', 'added_us', 'date_added', 'author', 'tlp', 'audience', 'is_latest', 'json'] as const;

/**
 * Versioned STIX objects. Reads go through Kysely with the releasability filter in SQL; the write path
 * (one transaction per bundle) uses each dialect's bulk form: on SQLite, prepared statements on the
 * connection Kysely's transaction holds; on PostgreSQL, one JSON parameter per 2,000 rows.
 */
export class KnowledgeRepository {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  private readonly sqlite: SQLite.Database | undefined;
  private statements: { insert: SQLite.Statement; existing: SQLite.Statement; maxAdded: SQLite.Statement } | undefined;

  constructor(database: Pick<Database, 'db' | 'dialect' | 'sqlite'>) {
    this.db = database.db;
    this.dialect = database.dialect;
    this.sqlite = database.sqlite;
    if (this.dialect === 'sqlite' && !this.sqlite) throw new Error('KnowledgeRepository on SQLite needs the connection handle');
  }

  private sqliteStatements(db: SQLite.Database) {
    this.statements ??= {
      insert: db.prepare(`insert into objects (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`),
      existing: db.prepare('select id, version, json, author, tlp, audience, is_latest from objects where id = ?'),
      maxAdded: db.prepare('select max(added_us) from objects').pluck(),
    };
    return this.statements;
  }

  /**
   * Serialises writers (PostgreSQL: transaction-scoped advisory lock; SQLite has one writer) and
   * returns the last date_added, so that date_added order equals commit order.
   */
  async lockForWrite(trx: Executor): Promise<number> {
    if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${ADVISORY_KEY})`.execute(trx);
    // SQLite: the caller's transaction holds the one connection, so a prepared read on it is inside it.
    if (this.sqlite) return Number(this.sqliteStatements(this.sqlite).maxAdded.get() ?? 0);
    return this.lastAddedUs(trx);
  }

  /** The newest date_added in microseconds (0 on an empty store). */
  async lastAddedUs(executor: Executor = this.db): Promise<number> {
    const r = await executor.selectFrom('objects').select((eb) => eb.fn.max('added_us').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  async existing(trx: Executor, ids: readonly string[]): Promise<ExistingRow[]> {
    if (ids.length === 0) return [];
    if (this.sqlite) {
      const stmt = this.sqliteStatements(this.sqlite).existing;
      return ids.flatMap((id) => stmt.all(id) as ExistingRow[]);
    }
    const r = await sql<ExistingRow>`select id, version, json, author, tlp, audience, is_latest from objects where id = any(${ids}::text[])`.execute(trx);
    return r.rows;
  }

  async clearLatest(trx: Executor, ids: readonly string[]): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await trx.updateTable('objects').set({ is_latest: 0 }).where('is_latest', '=', 1).where('id', 'in', ids.slice(i, i + 500)).execute();
    }
  }

  /** Bulk insert inside the caller's transaction. */
  async insertRows(trx: Executor, rows: readonly NewRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.sqlite) {
      const stmt = this.sqliteStatements(this.sqlite).insert;
      for (const r of rows) stmt.run(r.id, r.type, r.spec_version, r.version, r.added_us, r.date_added, r.author, r.tlp, r.audience, r.is_latest, r.json);
      return;
    }
    // One JSON parameter per batch, expanded by json_to_recordset in the server: far cheaper than
    // escaping thousands of values into array literals on the client.
    for (let i = 0; i < rows.length; i += PG_BATCH) {
      const batch = JSON.stringify(rows.slice(i, i + PG_BATCH));
      await sql`insert into objects (${sql.raw(COLUMNS.join(', '))})
        select ${sql.raw(COLUMNS.join(', '))}
        from json_to_recordset(${batch}::json) as x(id text, type text, spec_version text, version text, added_us bigint,
          date_added text, author text, tlp text, audience text, is_latest int, json text)`.execute(trx);
    }
  }

  async list(q: ObjectQuery, executor: Executor = this.db): Promise<StoredRow[]> {
    let query = executor.selectFrom('objects as o').selectAll().where((eb) => this.filter(eb, q)).orderBy('o.added_us', 'asc');
    if (q.limit !== undefined) query = query.limit(q.limit);
    return (await query.execute());
  }

  async count(q: ObjectQuery): Promise<number> {
    const r = await this.db.selectFrom('objects as o').select((eb) => eb.fn.countAll<number>().as('n')).where((eb) => this.filter(eb, q)).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async deleteWhere(trx: Executor, seqs: readonly number[]): Promise<void> {
    for (let i = 0; i < seqs.length; i += 500) await trx.deleteFrom('objects').where('seq', 'in', seqs.slice(i, i + 500)).execute();
  }

  /** After deletions, the newest remaining version of each id becomes the latest again. */
  async recomputeLatest(trx: Executor, ids: readonly string[]): Promise<void> {
    for (const id of ids) {
      const top = await trx.selectFrom('objects').select(['seq']).where('id', '=', id).orderBy('version', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
      await trx.updateTable('objects').set({ is_latest: 0 }).where('id', '=', id).execute();
      if (top) await trx.updateTable('objects').set({ is_latest: 1 }).where('seq', '=', top.seq).execute();
    }
  }

  private filter(eb: ExpressionBuilder<Schema & { o: Schema['objects'] }, 'o'>, q: ObjectQuery): Expression<SqlBool> {
    const parts: Expression<SqlBool>[] = [releasableTo(q.reader, 'o')];
    if (q.scope.kind === 'author') parts.push(eb('o.author', '=', q.scope.org));
    if (q.scope.kind === 'public') parts.push(eb('o.tlp', '=', 'clear'));
    if (q.ids && q.ids.length > 0) parts.push(eb('o.id', 'in', q.ids as string[]));
    if (q.types && q.types.length > 0) parts.push(eb('o.type', 'in', q.types as string[]));
    if (q.specVersions && q.specVersions.length > 0) parts.push(eb('o.spec_version', 'in', q.specVersions as string[]));
    if (q.addedAfterUs !== undefined) parts.push(eb('o.added_us', '>', q.addedAfterUs));
    if (q.addedUntilUs !== undefined) parts.push(eb('o.added_us', '<=', q.addedUntilUs));
    const versions = q.versions && q.versions.length > 0 ? q.versions : ['last' as const];
    if (!versions.includes('all')) {
      const alts: Expression<SqlBool>[] = [];
      for (const v of versions) {
        if (v === 'last') alts.push(eb('o.is_latest', '=', 1));
        else if (v === 'first') alts.push(sql<SqlBool>`not exists (select 1 from objects o2 where o2.id = o.id and o2.version < o.version)`);
        else if (typeof v === 'object') alts.push(eb('o.version', '=', v.key));
      }
      parts.push(eb.or(alts));
    }
    return eb.and(parts);
  }
}
