import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const MAX_STATEMENTS = 256;

/**
 * The SQLite handle as Kysely sees it, with prepared statements reused by SQL text: Kysely's driver
 * prepares every query afresh, which costs more than running most of our small statements.
 * A statement still iterating (a streamed query) is never handed out twice; a fresh one is prepared.
 * Bounded (least recently used out), since IN lists of varying length give distinct texts.
 */
export function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare: (sql: string): SqliteStatement => {
      const hit = cache.get(sql);
      if (hit && !hit.busy) {
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = sqlite.prepare(sql);
      if (!hit) {
        cache.set(sql, stmt);
        if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
      }
      return stmt;
    },
  };
}
