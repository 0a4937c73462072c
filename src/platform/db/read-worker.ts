/**
 * A reader thread of the SQLite store (see read-pool.ts): its own read-only connection to the same
 * WAL file, prepared statements reused by SQL text, rows returned as arrays. For pages, the text of one
 * column of the first `limit` rows comes back already joined with commas, as UTF-8 bytes framed for the
 * caller's prefix and suffix, so the HTTP thread receives one buffer to send instead of a hundred
 * strings to join and encode.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import type { ReadRequest, ReadResponse } from './read-pool.ts';
import { Framed } from './framed.ts';

const MAX_STATEMENTS = 256;
const { file, cacheKiB } = workerData as { file: string; cacheKiB: number };
const db = new SQLite(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${cacheKiB}`);
const statements = new Map<string, SQLite.Statement>();
/** Page buffers handed back by the HTTP thread once written (Framed.release), for reuse. */
const free: ArrayBuffer[] = [];
const MAX_FREE = 16;
const MIN_BUFFER = 128 * 1024;

function memory(size: number): ArrayBuffer {
  const i = free.findIndex((b) => b.byteLength >= size);
  if (i >= 0) return free.splice(i, 1)[0]!;
  return new ArrayBuffer(Math.max(MIN_BUFFER, size));
}

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
  const { column, limit, room, suffix } = req.join;
  const n = Math.min(rows.length, limit);
  const parts: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) parts[i] = String(rows[i]![column]);
  const strip = (r: unknown[] | undefined) => r?.filter((_, c) => c !== column);
  // UTF-8 bytes with room for the caller's prefix, moved (not copied) to the caller: the HTTP thread
  // sends them without touching the text.
  const joined = Framed.encode(parts.join(','), room, suffix, memory).buffer;
  return { id: req.id, count: rows.length, first: strip(rows[0]), last: strip(n > 0 ? rows[n - 1] : undefined), joined };
}

parentPort!.on('message', (req: ReadRequest | { release: ArrayBuffer }) => {
  if ('release' in req) {
    if (free.length < MAX_FREE) free.push(req.release);
    return;
  }
  let res: ReadResponse;
  try {
    res = run(req);
  } catch (e) {
    res = { id: req.id, error: (e as Error).message };
  }
  // The joined bytes own their memory (Framed.encode): move it instead of copying.
  const joined = 'joined' in res ? res.joined.buffer : undefined;
  parentPort!.postMessage(res, joined instanceof ArrayBuffer ? [joined] : []);
});
