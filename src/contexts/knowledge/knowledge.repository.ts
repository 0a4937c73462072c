import { finished } from 'node:stream/promises';
import type SQLite from 'better-sqlite3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql, type Selectable, type Kysely, type SqlBool, type Expression, type ExpressionBuilder } from 'kysely';
import type { ObjectDeletionsTable, Schema } from '../../platform/db/schema.ts';
import type { DialectName } from '../../platform/db/dialect.ts';
import type { Database } from '../../platform/db/database.ts';
import type { ReadPool } from '../../platform/db/read-pool.ts';
import { joinRows, RowJoiner, type JoinSpec, type JoinedRows } from '../../platform/db/joined-rows.ts';
import { CompiledCache, type Mark } from '../../platform/db/compiled-cache.ts';
import { releasableTo } from '../../kernel/access/releasability.sql.ts';
import { copyText } from './copy-text.ts';
import { jsonText } from './knowledge.ts';
import type {
  ExistingRow,
  Executor,
  Frame,
  JoinedPage,
  NewRow,
  ObjectQuery,
  PageMeta,
  PageRow,
  StoredRow,
  VersionRow,
} from './knowledge.rows.ts';

export type {
  ExistingRow,
  Executor,
  Frame,
  JoinedPage,
  NewRow,
  ObjectQuery,
  PageRow,
  Scope,
  StoredRow,
  VersionMatch,
  VersionRow,
} from './knowledge.rows.ts';

/** The most bytes of JSON a page joins (beyond its first row): a page is cut short with more to come. */
export const PAGE_MAX_BYTES = 4 * 1024 * 1024;

const pageRowArray = (r: {
  id: string;
  added_us: number;
  date_added: string;
  json: string | null;
  tlp: string;
  audience: string;
}): unknown[] => [r.id, r.added_us, r.date_added, r.json, r.tlp, r.audience];

/** The JSON of a page's first rows joined with commas (UTF-8), and what paging needs of its rows. */

/** Room and suffix around a joined page (a TAXII envelope's head goes into the room). */

/** What the write path needs to know of a stored version with the same id. */

const ADVISORY_KEY = 4700002;
/** From this many rows, PostgreSQL writes go by COPY. */
const COPY_MIN_ROWS = 200;

const COLUMNS = [
  'id',
  'type',
  'spec_version',
  'version',
  'added_us',
  'date_added',
  'author',
  'tlp',
  'audience',
  'is_latest',
  'json',
] as const;

/**
 * Versioned STIX objects. Reads go through Kysely with the releasability filter in SQL; the write path
 * (one transaction per bundle) uses each dialect's bulk form: on SQLite, prepared statements on the
 * connection Kysely's transaction holds; on PostgreSQL, COPY on the client that transaction holds (an
 * INSERT for fewer than 200 rows).
 */
export class KnowledgeRepository {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  private readonly sqlite: SQLite.Database | undefined;
  private readonly readPool: ReadPool | undefined;
  private readonly pgClientOf: Database['pgClientOf'];
  /** The pooled client of each write transaction seen (PostgreSQL), found once per transaction. */
  private readonly copyClients = new WeakMap<Executor, Promise<pg.ClientBase>>();
  private statements:
    | {
        insert: SQLite.Statement;
        insertBytes: SQLite.Statement;
        existing: SQLite.Statement;
        maxAdded: SQLite.Statement;
      }
    | undefined;
  private readonly pages = new CompiledCache<ObjectQuery>((q) => this.pageQuery(q).compile(), markValues);

  constructor(database: Pick<Database, 'db' | 'dialect' | 'sqlite' | 'readPool' | 'pgClientOf'>) {
    this.db = database.db;
    this.pgClientOf = database.pgClientOf;
    this.dialect = database.dialect;
    this.sqlite = database.sqlite;
    this.readPool = database.readPool;
    if (this.dialect === 'sqlite' && !this.sqlite)
      throw new Error('KnowledgeRepository on SQLite needs the connection handle');
  }

  private sqliteStatements(db: SQLite.Database) {
    this.statements ??= {
      insert: db.prepare(`insert into objects (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`),
      // JSON as UTF-8 bytes (from the preparing thread): bound as a blob, stored as the text it encodes.
      insertBytes: db.prepare(
        `insert into objects (${COLUMNS.join(', ')}) values (${COLUMNS.map((c) => (c === 'json' ? 'cast(? as text)' : '?')).join(', ')})`,
      ),
      // One statement per batch: the ids go in as one JSON array, each probed in SQLite rather than one call each
      // (a join: an IN subquery would first copy the ids into a temporary index). The ids must be distinct.
      existing: db.prepare(
        'select o.id, o.version, o.json, o.author, o.tlp, o.audience, o.is_latest from json_each(?) j join objects o on o.id = j.value',
      ),
      // Deletions (migration 102) take their date_added from the same sequence as versions.
      maxAdded: db
        .prepare(
          'select max(coalesce((select max(added_us) from objects), 0), coalesce((select max(added_us) from object_deletions), 0))',
        )
        .pluck(),
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
    const r = await sql<{
      m: string | number | null;
    }>`select greatest((select max(added_us) from objects), (select max(added_us) from object_deletions)) as m`.execute(
      trx,
    );
    return Number(r.rows[0]?.m ?? 0);
  }

  /**
   * PostgreSQL planner settings for the rest of a batched write, and how to restore them. Without
   * statistics (a new or fast-growing table, as during a large import) the planner guesses that each
   * looked-up id matches many rows and scans the whole table once per batch, then spends longer on JIT
   * compilation than on the query; the (id, version) index is always right for a few thousand ids.
   */
  async plannerForBatches(trx: Executor): Promise<() => Promise<void>> {
    if (this.dialect !== 'postgres') return () => Promise.resolve();
    const prev = await sql<{
      s: string;
      j: string;
    }>`select current_setting('enable_seqscan') as s, current_setting('jit') as j`.execute(trx);
    await sql`select set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    const { s: seq, j: jit } = prev.rows[0]!;
    return async () => {
      await sql`select set_config('enable_seqscan', ${seq}, true), set_config('jit', ${jit}, true)`.execute(trx);
    };
  }

  /** The newest date_added in microseconds (0 on an empty store). */
  async lastAddedUs(executor: Executor = this.db): Promise<number> {
    const r = await executor
      .selectFrom('objects')
      .select((eb) => eb.fn.max('added_us').as('m'))
      .executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  async existing(trx: Executor, ids: readonly string[]): Promise<ExistingRow[]> {
    if (ids.length === 0) return [];
    if (this.sqlite) {
      return this.sqliteStatements(this.sqlite).existing.all(JSON.stringify(ids)) as ExistingRow[];
    }
    // One statement, so that it keeps its place before a write queued after it (KnowledgeService.ingestWithin).
    const r =
      await sql<ExistingRow>`select id, version, json, author, tlp, audience, is_latest from objects where id = any(${ids}::text[])`.execute(
        trx,
      );
    return r.rows;
  }

  /** The versions of `author` under these ids are no longer the latest (each author's copy has its own latest). */
  async clearLatest(trx: Executor, ids: readonly string[], author: string): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) {
      await trx
        .updateTable('objects')
        .set({ is_latest: 0 })
        .where('is_latest', '=', 1)
        .where('author', '=', author)
        .where('id', 'in', ids.slice(i, i + 500))
        .execute();
    }
  }

  /** Bulk insert inside the caller's transaction. */
  async insertRows(trx: Executor, rows: readonly NewRow[]): Promise<void> {
    if (rows.length === 0) return;
    if (this.sqlite) {
      const { insert, insertBytes } = this.sqliteStatements(this.sqlite);
      for (const r of rows)
        (typeof r.json === 'string' ? insert : insertBytes).run(
          r.id,
          r.type,
          r.spec_version,
          r.version,
          r.added_us,
          r.date_added,
          r.author,
          r.tlp,
          r.audience,
          r.is_latest,
          r.json,
        );
      return;
    }
    if (rows.length < COPY_MIN_ROWS) {
      // A few rows (an incident, a TAXII POST): one statement, one JSON parameter expanded in the server.
      // COPY would first need a round trip to find the transaction's client.
      const batch = JSON.stringify(rows, (key, value: unknown) =>
        key === 'json' && value instanceof Uint8Array ? jsonText(value) : value,
      );
      await sql`insert into objects (${sql.raw(COLUMNS.join(', '))})
        select ${sql.raw(COLUMNS.join(', '))}
        from json_to_recordset(${batch}::json) as x(id text, type text, spec_version text, version text, added_us bigint,
          date_added text, author text, tlp text, audience text, is_latest int, json text)`.execute(trx);
      return;
    }
    // COPY on the transaction's own client: about three times the rows per second of the INSERT above
    // (bench/RESULTS.md), and the JSON bytes go out escaped, never decoded.
    const pgClientOf = this.pgClientOf;
    if (!pgClientOf) throw new Error('KnowledgeRepository on PostgreSQL needs pgClientOf');
    let client = this.copyClients.get(trx);
    if (!client) this.copyClients.set(trx, (client = pgClientOf(trx)));
    const copy = (await client).query(copyFrom(`copy objects (${COLUMNS.join(', ')}) from stdin`));
    copy.end(
      copyText(
        rows.map((r) => ({
          head: [
            r.id,
            r.type,
            r.spec_version,
            r.version,
            r.added_us,
            r.date_added,
            r.author,
            r.tlp,
            r.audience,
            r.is_latest,
          ],
          last: r.json,
        })),
      ),
    );
    await finished(copy);
  }

  async list(q: ObjectQuery, executor: Executor = this.db): Promise<StoredRow[]> {
    let query = executor
      .selectFrom('objects as o')
      .selectAll()
      .where((eb) => this.filter(eb, q))
      .orderBy('o.added_us', 'asc');
    if (q.limit !== undefined) query = query.limit(q.limit);
    return await query.execute();
  }

  /** As list, with only what a TAXII page sends (building full rows costs more than reading them). Unbounded: for tests and small reads. */
  async listPage(q: ObjectQuery): Promise<PageRow[]> {
    return this.pageQuery(q).execute();
  }

  /**
   * What a manifest or a versions list needs of each version: its presented version (modified, else
   * created, else date_added) is taken out of the JSON by the database, so that a page of large
   * objects never comes into this process to answer a list of timestamps.
   */
  async listVersions(q: ObjectQuery): Promise<VersionRow[]> {
    const version =
      this.dialect === 'postgres'
        ? sql<string>`coalesce(o.json::json->>'modified', o.json::json->>'created', o.date_added)`
        : sql<string>`coalesce(json_extract(o.json, '$.modified'), json_extract(o.json, '$.created'), o.date_added)`;
    let query = this.db
      .selectFrom('objects as o')
      .select(['o.id', 'o.added_us', 'o.date_added', version.as('version')])
      .where((eb) => this.filter(eb, q))
      .orderBy('o.added_us', 'asc');
    if (q.limit !== undefined) query = query.limit(q.limit);
    return (await query.execute()).map((r) => ({ ...r, added_us: Number(r.added_us) }));
  }

  /**
   * The JSON of a page's first rows, each as it leaves the store (outbound.ts: the release it is held
   * under), joined with commas (the body of a TAXII envelope): at most `joinFirst` rows and `maxBytes`
   * bytes of them, and always at least one row, so that a page of large objects is cut short (with
   * more to come) rather than built whole. Rows after the page are not read into this process: on a
   * SQLite file store with reader threads the page is read and joined there, row by row, off the HTTP
   * thread; on SQLite without them rows are streamed; PostgreSQL leaves out, in SQL, the JSON of rows
   * past the byte bound.
   */
  async listJoined(
    q: ObjectQuery,
    joinFirst: number,
    frame: Frame = { room: 0, suffix: '' },
    maxBytes = PAGE_MAX_BYTES,
  ): Promise<JoinedPage> {
    const join: JoinSpec = { column: 3, limit: joinFirst, maxBytes, release: { tlp: 4, audience: 5 }, ...frame };
    let r: JoinedRows;
    if (this.readPool) r = await this.readPool.joined(this.pages.get(q), join);
    else if (this.dialect === 'postgres')
      r = joinRows((await this.boundedPageQuery(q, maxBytes).execute()).map(pageRowArray), join);
    else {
      const joiner = new RowJoiner(join);
      for await (const row of this.pageQuery(q).stream(64)) if (!joiner.offer(pageRowArray(row))) break;
      r = joiner.done();
    }
    const meta = (row: unknown[] | undefined): PageMeta | undefined =>
      row ? { id: String(row[0]), added_us: Number(row[1]), date_added: String(row[2]) } : undefined;
    return { count: r.count, more: r.more, first: meta(r.first), last: meta(r.last), json: r.joined };
  }

  private pageQuery(q: ObjectQuery) {
    // Column order matters to listJoined: json is column 3, tlp 4, audience 5.
    const query = this.db
      .selectFrom('objects as o')
      .select(['o.id', 'o.added_us', 'o.date_added', 'o.json', 'o.tlp', 'o.audience'])
      .where((eb) => this.filter(eb, q))
      .orderBy('o.added_us', 'asc');
    return q.limit === undefined ? query : query.limit(q.limit);
  }

  /** pageQuery with the JSON of rows past `maxBytes` (after the first row) left out (null); octet_length reads no TOASTed value. */
  private boundedPageQuery(q: ObjectQuery, maxBytes: number) {
    let inner = this.db
      .selectFrom('objects as o')
      .select([
        'o.id',
        'o.added_us',
        'o.date_added',
        'o.json',
        'o.tlp',
        'o.audience',
        sql<number>`octet_length(o.json)`.as('len'),
      ])
      .where((eb) => this.filter(eb, q))
      .orderBy('o.added_us', 'asc');
    if (q.limit !== undefined) inner = inner.limit(q.limit);
    const running = sql`over (order by p.added_us rows between unbounded preceding and current row)`;
    return this.db
      .selectFrom(inner.as('p'))
      .select([
        'p.id',
        'p.added_us',
        'p.date_added',
        sql<
          string | null
        >`case when row_number() ${running} = 1 or sum(p.len) ${running} <= ${maxBytes} then p.json end`.as('json'),
        'p.tlp',
        'p.audience',
      ])
      .orderBy('p.added_us', 'asc');
  }

  async count(q: ObjectQuery): Promise<number> {
    const r = await this.db
      .selectFrom('objects as o')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where((eb) => this.filter(eb, q))
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  /** Deletes versions by their added_us. */
  async deleteWhere(trx: Executor, addedUs: readonly number[]): Promise<void> {
    for (let i = 0; i < addedUs.length; i += 500)
      await trx
        .deleteFrom('objects')
        .where('added_us', 'in', addedUs.slice(i, i + 500))
        .execute();
  }

  /** Records deleted versions (migration 102), inside the deleting transaction. */
  async recordDeletions(trx: Executor, rows: readonly Selectable<ObjectDeletionsTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 500)
      await trx
        .insertInto('object_deletions')
        .values(rows.slice(i, i + 500))
        .execute();
  }

  /** After deletions, the newest remaining version of each id by `author` becomes its latest again. */
  async recomputeLatest(trx: Executor, ids: readonly string[], author: string): Promise<void> {
    for (const id of ids) {
      const top = await trx
        .selectFrom('objects')
        .select(['added_us'])
        .where('id', '=', id)
        .where('author', '=', author)
        .orderBy('version', 'desc')
        .orderBy('added_us', 'desc')
        .limit(1)
        .executeTakeFirst();
      await trx
        .updateTable('objects')
        .set({ is_latest: 0 })
        .where('id', '=', id)
        .where('author', '=', author)
        .execute();
      if (top) await trx.updateTable('objects').set({ is_latest: 1 }).where('added_us', '=', top.added_us).execute();
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
    // Narrowing is retroactive: an older version is visible only when the reader may also read the
    // current one (the latest of the same id and author), so widening never reopens a narrower older
    // version either. The latest version itself needs no second look.
    if (q.reader.kind !== 'system' && !versions.every((v) => v === 'last')) {
      parts.push(
        sql<SqlBool>`(o.is_latest = 1 or exists (select 1 from objects l where l.id = o.id and l.author = o.author and l.is_latest = 1 and ${releasableTo(q.reader, 'l')}))`,
      );
    }
    if (!versions.includes('all')) {
      const alts: Expression<SqlBool>[] = [];
      for (const v of versions) {
        if (v === 'last') alts.push(eb('o.is_latest', '=', 1));
        // The first version the reader may see in this collection (a hidden older one does not count).
        else if (v === 'first')
          alts.push(
            sql<SqlBool>`not exists (select 1 from objects f where f.id = o.id and f.author = o.author and f.version < o.version and ${releasableTo(q.reader, 'f')}${q.scope.kind === 'public' ? sql` and f.tlp = 'clear'` : sql``})`,
          );
        else if (typeof v === 'object') alts.push(eb('o.version', '=', v.key));
      }
      parts.push(eb.or(alts));
    }
    return eb.and(parts);
  }
}

/** The query with each value marked (CompiledCache): what remains is its shape. */
function markValues(q: ObjectQuery, mark: Mark): ObjectQuery {
  const r = q.reader;
  const s = q.scope;
  return {
    reader:
      r.kind === 'org'
        ? { kind: 'org', org: mark(r.org), orgKind: r.orgKind }
        : r.kind === 'system'
          ? { kind: 'system', name: '' }
          : r,
    scope: s.kind === 'author' ? { kind: 'author', org: mark(s.org) } : s,
    ...(q.ids ? { ids: q.ids.map(mark) } : {}),
    ...(q.types ? { types: q.types.map(mark) } : {}),
    ...(q.specVersions ? { specVersions: q.specVersions.map(mark) } : {}),
    ...(q.versions ? { versions: q.versions.map((v) => (typeof v === 'object' ? { key: mark(v.key) } : v)) } : {}),
    ...(q.addedAfterUs !== undefined ? { addedAfterUs: mark(q.addedAfterUs) } : {}),
    ...(q.addedUntilUs !== undefined ? { addedUntilUs: mark(q.addedUntilUs) } : {}),
    ...(q.limit !== undefined ? { limit: mark(q.limit) } : {}),
  };
}
