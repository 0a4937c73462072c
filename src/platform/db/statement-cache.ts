import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const MAX_STATEMENTS = 256;

/**
 * Prepared statements reused by SQL text. A statement still iterating (a streamed query) is never
 * handed out twice; a fresh one is prepared. Bounded (least recently used out), since IN lists of
 * varying length give distinct texts.
 */
export function statementCache(sqlite: SQLite.Database, max = MAX_STATEMENTS): (sql: string) => SQLite.Statement {
  const cache = new Map<string, SQLite.Statement>();
  return (sql) => {
    const hit = cache.get(sql);
    if (hit && !hit.busy) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const stmt = sqlite.prepare(sql);
    if (!hit) {
      cache.set(sql, stmt);
      if (cache.size > max) cache.delete(cache.keys().next().value as string);
    }
    return stmt;
  };
}

/**
 * The SQLite handle as Kysely sees it, with the statement cache: Kysely's driver prepares every query
 * afresh, which costs more than running most of our small statements.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const prepare = statementCache(sqlite);
  return {
    close: () => sqlite.close(),
    prepare: (sql: string): SqliteStatement => prepare(sql),
  };
}
