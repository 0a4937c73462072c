/**
 * A reader thread of the SQLite store (see read-pool.ts): its own read-only connection to the same
 * WAL file, prepared statements reused by SQL text, rows returned as arrays. For pages, the text of one
 * column of the first rows (up to a count and a byte bound) comes back already joined (joinRows), as UTF-8 bytes framed for the
 * caller's prefix and suffix, so the HTTP thread receives one buffer to send instead of a hundred
 * strings to join and encode.
 */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { serveTasks } from '../task-thread.ts';
import { statementCache } from './statement-cache.ts';
import { joinRows } from './joined-rows.ts';
import type { ReadRequest, ReadResponse } from './read-pool.ts';

const { file, cacheKiB } = workerData as { file: string; cacheKiB: number };
const db = new SQLite(file, { readonly: true, fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma(`cache_size = -${cacheKiB}`);
const prepared = statementCache(db);
/**
 * Page buffers handed back by the HTTP thread once written (Framed.release), for reuse. Only ordinary
 * ones are kept: a page of large objects is rare, and keeping it would hold its megabytes for good.
 */
const free: ArrayBuffer[] = [];
const MAX_FREE = 16;
const MIN_BUFFER = 128 * 1024;
const MAX_KEPT = 1024 * 1024;

function memory(size: number): ArrayBuffer {
  const i = free.findIndex((b) => b.byteLength >= size);
  if (i >= 0) return free.splice(i, 1)[0]!;
  return new ArrayBuffer(Math.max(MIN_BUFFER, size));
}

function run(req: ReadRequest): ReadResponse {
  const statement = prepared(req.sql).raw(true);
  if (!req.join) return { rows: statement.all(...req.parameters) as unknown[][] };
  // Row by row, stopped once the page is full: the rows after it are never read into this heap.
  const { joined, ...facts } = joinRows(statement.iterate(...req.parameters) as Iterable<unknown[]>, req.join, memory);
  return { ...facts, joined: joined.buffer };
}

serveTasks<ReadRequest, ReadResponse>(parentPort!, run, {
  // The joined bytes own their memory (Framed.encode): move it instead of copying.
  transfer: (res) => ('joined' in res && res.joined.buffer instanceof ArrayBuffer ? [res.joined.buffer] : []),
  notice: (n) => {
    const { release } = n as { release: ArrayBuffer };
    if (free.length < MAX_FREE && release.byteLength <= MAX_KEPT) free.push(release);
  },
});
