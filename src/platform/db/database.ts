import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';
import type { DialectName } from './dialect.ts';
import type { Schema } from './schema.ts';
import { migrate } from './migrate.ts';
import { withStatementCache } from './statement-cache.ts';
import { ReadPool } from './read-pool.ts';
import { Checkpointer, CHECKPOINT_INTERVAL_MS, DEFAULT_WAL_LIMIT_BYTES } from './checkpointer.ts';

export interface Database {
  db: Kysely<Schema>;
  dialect: DialectName;
  /** Where the data lives, for logs (never contains a password). */
  describe: string;
  /**
   * The SQLite handle under Kysely (SQLite only), for bulk paths that run prepared statements inside
   * a Kysely transaction: Kysely uses this one connection, so they share the transaction.
   */
  sqlite?: SQLite.Database;
  /** Reader threads on the same file (SQLite file stores with readThreads > 0), for hot list paths. */
  readPool?: ReadPool;
  /**
   * The pooled client under a Kysely transaction or connection (PostgreSQL only), for bulk paths that
   * Kysely cannot express (COPY): sent on that client, they are part of its transaction.
   */
  pgClientOf?(executor: Kysely<Schema>): Promise<pg.ClientBase>;
  /**
   * Copies the write-ahead log into the database file and empties it (SQLite). Stores opened with
   * `checkpoints: 'manual'` need it after large writes; close does it too.
   */
  checkpoint?(): void;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Directory holding bulwark.sqlite (SQLite). Ignored when url is given. */
  dataDir?: string;
  /** ":memory:" for an in-memory SQLite store. */
  sqliteFile?: string;
  /** postgres://… */
  url?: string;
  /** PostgreSQL schema (search_path) to use; created when missing. Tests use one each. */
  pgSchema?: string;
  poolSize?: number;
  /** Reader threads for a SQLite file store (default 0: reads run on the calling thread). */
  readThreads?: number;
  /** Stop migrating after this migration (tests of upgrades from an older schema). */
  migrateUntil?: string;
  /**
   * SQLite: 'auto' (default) copies the write-ahead log into the database file at the commit that
   * takes it past 1,000 pages; 'manual' leaves that to `checkpoint()` (the import command: a large
   * import's commit returns first, and its log is copied once, after the summary); 'background' does
   * it every 100 ms on a thread of its own (the server: no commit waits for it; see Checkpointer).
   */
  checkpoints?: 'auto' | 'manual' | 'background';
  /**
   * SQLite page cache of the writing connection in KiB (default 16 MiB). The import command takes
   * more (IMPORT_SQLITE below).
   */
  cacheKiB?: number;
  /**
   * SQLite: bound on the write-ahead log file in bytes (default 64 MiB). SQLite cuts the file back to it
   * whenever the log starts again (journal_size_limit), and the background checkpointer makes the log start
   * again (RESTART) when it has grown past it.
   */
  walLimitBytes?: number;
}

const int8 = 20;
const numeric = 1700;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const database = opts.url ? await openPostgres(opts.url, opts) : openSqlite(opts);
  await migrate(database.db as unknown as Kysely<unknown>, database.dialect, opts.migrateUntil);
  return database;
}

function openSqlite(opts: OpenOptions): Database {
  let file = opts.sqliteFile;
  if (!file) {
    const dir = opts.dataDir ?? './data';
    mkdirSync(dir, { recursive: true });
    file = join(dir, 'bulwark.sqlite');
  }
  const sqlite = new SQLite(file);
  // 16 KiB pages (effective on a new store only): list queries read rows of one type interleaved with
  // others, and fewer, larger pages cut their cost by about a quarter (bench/RESULTS.md, TAXII).
  sqlite.pragma('page_size = 16384');
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma(`busy_timeout = ${SYNC_BUSY_MS}`);
  sqlite.pragma(`cache_size = -${Math.max(1024, Math.floor(opts.cacheKiB ?? 16384))}`);
  const walLimit = opts.walLimitBytes ?? DEFAULT_WAL_LIMIT_BYTES;
  sqlite.pragma(`journal_size_limit = ${walLimit}`);
  const checkpointer =
    opts.checkpoints === 'background' && file !== ':memory:'
      ? new Checkpointer(file, CHECKPOINT_INTERVAL_MS, walLimit)
      : undefined;
  if (opts.checkpoints === 'manual' || checkpointer) sqlite.pragma('wal_autocheckpoint = 0');
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(sqlite) }, sqlite),
  });
  const threads = opts.readThreads ?? 0;
  const readPool = threads > 0 && file !== ':memory:' ? new ReadPool(file, threads) : undefined;
  return {
    db,
    dialect: 'sqlite',
    describe: `sqlite:${file}`,
    sqlite,
    ...(readPool ? { readPool } : {}),
    checkpoint: () => {
      sqlite.pragma('wal_checkpoint(TRUNCATE)');
    },
    close: async () => {
      await readPool?.close();
      await checkpointer?.close();
      await db.destroy();
    },
  };
}

/**
 * Transactions take the write lock when they begin (`begin immediate`) instead of at their first write: a
 * deferred transaction that had only read when another connection started the log again (the checkpointer's
 * RESTART, past the log's bound) could never write (SQLITE_BUSY_SNAPSHOT, a 500). The store's connection
 * is its only writer and Kysely runs its transactions one at a time, so nothing waits longer than before;
 * the checkpointer now waits for the transaction instead.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly sqlite: SQLite.Database,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const acquire = driver.acquireConnection.bind(driver);
    const patient = new WeakMap<DatabaseConnection, DatabaseConnection>();
    driver.acquireConnection = async () => {
      const c = await acquire();
      let p = patient.get(c);
      if (!p) patient.set(c, (p = waitsForLocks(c, this.sqlite)));
      return p;
    };
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/**
 * The serving thread's connection waits for SQLite's write lock without blocking the event loop. SQLite's
 * busy handler sleeps inside the call: with a 5 s busy timeout, every RESTART checkpoint (which holds
 * writers back while it copies the log) stopped the whole server, streams and reads included, for as long
 * as it took (lag spikes of 100–400 ms under a burst of reports). The busy timeout is now SYNC_BUSY_MS; a
 * statement that starts outside a transaction (`begin immediate`, or a write on its own) and finds the
 * store busy is run again after an asynchronous pause, for up to ASYNC_BUSY_MS in all. Inside a
 * transaction the lock is held, and a busy error goes to the caller as before (nothing to retry there).
 */
function waitsForLocks(c: DatabaseConnection, sqlite: SQLite.Database): DatabaseConnection {
  return {
    executeQuery: async (q) => {
      const deadline = performance.now() + ASYNC_BUSY_MS;
      for (let pause = 1; ; pause = Math.min(pause * 2, 32)) {
        const outside = !sqlite.inTransaction;
        try {
          return await c.executeQuery(q);
        } catch (e) {
          if (!outside || !isBusy(e) || performance.now() >= deadline) throw e;
        }
        await new Promise((r) => setTimeout(r, pause));
      }
    },
    streamQuery: (q, chunkSize) => c.streamQuery(q, chunkSize),
  };
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** The busy timeout of the serving thread's SQLite connection (ms): past it, waitsForLocks waits asynchronously. */
export const SYNC_BUSY_MS = 2;
/** How long a statement waits for the write lock in all, asynchronously, before its busy error goes up (ms). */
export const ASYNC_BUSY_MS = 10_000;

async function openPostgres(url: string, opts: OpenOptions): Promise<Database> {
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => {
      if (oid === int8 || oid === numeric) return (v: string) => Number(v);
      return pg.types.getTypeParser(oid, format) as (v: string) => unknown;
    },
  };
  if (opts.pgSchema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema if not exists "${opts.pgSchema.replace(/"/g, '')}"`);
    await admin.end();
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.poolSize ?? 10,
    types,
    ...(opts.pgSchema ? { options: `-c search_path=${opts.pgSchema}` } : {}),
  });
  // Pooled clients by server process id, so that pgClientOf can find the one a transaction holds.
  const clients = new Map<number, pg.PoolClient>();
  const pid = (c: pg.ClientBase) => (c as pg.ClientBase & { processID: number | null }).processID;
  pool.on('connect', (c) => {
    const id = pid(c);
    if (id !== null) clients.set(id, c);
    // A restart of the server ends every connection, also those checked out between two statements: the
    // error reaches the statement in flight or the next one, and the pool drops the client when it comes
    // back; without a listener it would end the process instead (bench/federation-soak.ts found it).
    c.on('error', () => undefined);
  });
  pool.on('error', () => undefined); // an idle client's connection ended: the pool has dropped it
  pool.on('remove', (c) => {
    const id = pid(c);
    if (id !== null) clients.delete(id);
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  const safe = new URL(url);
  safe.password = '';
  return {
    db,
    dialect: 'postgres',
    describe: `${safe.toString()}${opts.pgSchema ? ` (schema ${opts.pgSchema})` : ''}`,
    pgClientOf: async (executor) => {
      const r = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(executor);
      const client = clients.get(Number(r.rows[0]?.pid));
      if (!client) throw new Error('no pooled PostgreSQL client serves this connection');
      return client;
    },
    close: () => db.destroy(),
  };
}

/**
 * How `bulwark import` opens a SQLite store: its large commit does not copy the log into the database
 * file (the command does that after the summary), and a larger page cache keeps the (id, version)
 * index, which grows by random keys, from going out to the log and being read back.
 */
export const IMPORT_SQLITE = { checkpoints: 'manual', cacheKiB: 65536 } as const satisfies OpenOptions;
