/** The Checkpointer's thread: its own connection to the store, checkpointing on request. */
import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { serveTasks } from '../task-thread.ts';
import type { CheckpointResult } from './checkpointer.ts';

const { file, walLimitBytes } = workerData as { file: string; walLimitBytes: number };
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const passive = db.prepare('pragma wal_checkpoint(PASSIVE)');
const restart = db.prepare('pragma wal_checkpoint(RESTART)');

const RESTART_WAIT_MS = 200;

function walBytes(): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * PASSIVE first (it waits for no one). Under sustained writes it never catches up with the last commit,
 * so the log is never started again and grows without end (5.7 GB in a minute under eight maximal posters);
 * once the log file passes the bound, a RESTART checkpoint holds new writers back (their busy handler
 * waits) for the copy of what PASSIVE left, and makes the next writer start the log from its beginning,
 * where SQLite also cuts the file back to the bound (journal_size_limit). Not TRUNCATE: cutting the file to
 * nothing and growing it again page by page held writers 25–42 ms at 100 reports/s, RESTART 3–13 ms
 * (bench/RESULTS.md, "Report path: the log started again").
 */
/** Frames in the log right after the last RESTART: the file keeps its size until the next writer starts it again. */
let restartedAt: number | undefined;

function checkpoint(): CheckpointResult & { restarted: boolean } {
  const r = passive.get() as CheckpointResult;
  // Past the bound, but nothing was written since the last RESTART (an idle store after a surge): the next writer
  // starts the log again and cuts the file; another RESTART now would only take the write lock for nothing.
  if (walBytes() <= walLimitBytes || r.log === restartedAt) return { ...r, restarted: false };
  // Writers wait on this one (the serving thread asynchronously, in short pauses: database.ts, waitsForLocks):
  // give up soon when a reader pins the log, and try again at the next tick.
  db.pragma(`busy_timeout = ${RESTART_WAIT_MS}`);
  try {
    const t = restart.get() as CheckpointResult;
    restartedAt = t.busy === 0 ? t.log : undefined;
    return { ...t, restarted: t.busy === 0 };
  } finally {
    db.pragma('busy_timeout = 5000');
  }
}

serveTasks<'checkpoint', CheckpointResult>(parentPort!, () => checkpoint());
