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
const truncate = db.prepare('pragma wal_checkpoint(TRUNCATE)');

const TRUNCATE_WAIT_MS = 200;

function walBytes(): number {
  try {
    return statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}

/**
 * PASSIVE first (it waits for no one). Under sustained writes it never catches up with the last commit,
 * so the log is never reset and grows without end (5.7 GB in a minute under eight maximal posters);
 * once the log file passes the bound, a TRUNCATE checkpoint holds new writers back (their busy handler
 * waits) for the copy of what PASSIVE left, and empties the file.
 */
function checkpoint(): CheckpointResult & { truncated: boolean } {
  const r = passive.get() as CheckpointResult;
  if (walBytes() <= walLimitBytes) return { ...r, truncated: false };
  // Writers wait on this one (the serving thread asynchronously, in short pauses: database.ts, waitsForLocks):
  // give up soon when a reader pins the log, and try again at the next tick.
  db.pragma(`busy_timeout = ${TRUNCATE_WAIT_MS}`);
  try {
    const t = truncate.get() as CheckpointResult;
    return { ...t, truncated: t.busy === 0 };
  } finally {
    db.pragma('busy_timeout = 5000');
  }
}

serveTasks<'checkpoint', CheckpointResult>(parentPort!, () => checkpoint());
