/** The Checkpointer's thread: its own connection to the store, checkpointing on request. */
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { serveTasks } from '../task-thread.ts';
import type { CheckpointResult } from './checkpointer.ts';

const { file } = workerData as { file: string };
const db = new SQLite(file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
const statement = db.prepare('pragma wal_checkpoint(PASSIVE)');

function checkpoint(): CheckpointResult {
  return statement.get() as CheckpointResult;
}

serveTasks<'checkpoint', CheckpointResult>(parentPort!, () => checkpoint());
