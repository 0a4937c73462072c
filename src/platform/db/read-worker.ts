/**
 * A reader thread of the SQLite store (see read-pool.ts): its own read-only connection to the same
 * WAL file, prepared statements reused by SQL text, rows returned as arrays. For pages, the text of one
 * column of the first `limit` rows comes back already joined with commas, as UTF-8 bytes, so the HTTP
 * thread receives one buffer to send instead of a hundred strings to join and encode.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { ReadRequest, ReadResponse } from './read-pool.ts';

const MAX_STATEMENTS = 256;
const { file, cacheKiB } = workerData as { file: string; cacheKiB: number };
const db = new SQLite(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${cacheKiB}`);
const statements = new Map<string, SQLite.Statement>();

function prepared(sql: string): SQLite.Statement {
  let stmt = statements.get(sql);
  if (stmt) {
    statements.delete(sql);
  } else {
    stmt = db.prepare(sql).raw(true);
    if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value as string);
  }
  statements.set(sql, stmt);
  return stmt;
}

function run(req: ReadRequest): ReadResponse {
  const rows = prepared(req.sql).all(...req.parameters) as unknown[][];
  if (!req.join) return { id: req.id, rows };
  const { column, limit } = req.join;
  const parts: string[] = [];
  for (let i = 0; i < rows.length && i < limit; i++) parts.push(String(rows[i]![column]));
  // UTF-8 bytes, moved (not copied) to the caller: the HTTP thread sends them without touching the text.
  const joined = Buffer.from(parts.join(','));
  return { id: req.id, rows: rows.map((r) => r.filter((_, c) => c !== column)), joined };
}

parentPort!.on('message', (req: ReadRequest) => {
  let res: ReadResponse;
  try {
    res = run(req);
  } catch (e) {
    res = { id: req.id, error: (e as Error).message };
  }
  // Move a buffer that owns its memory; small ones share Node's pool and are copied.
  const joined = 'joined' in res ? res.joined : undefined;
  const own = joined && joined.buffer instanceof ArrayBuffer && joined.byteLength === joined.buffer.byteLength ? [joined.buffer] : [];
  parentPort!.postMessage(res, own);
});
