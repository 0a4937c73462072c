import { TaskThread } from '../task-thread.ts';
import { workerEntry } from '../worker-entry.ts';

/** What `PRAGMA wal_checkpoint` reports: frames in the log, and how many of them are in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

/**
 * Copies a SQLite store's write-ahead log into the database file on a thread of its own, every
 * `intervalMs` (one at a time) and on request, so that no commit on the serving thread does it (the store's connection
 * then runs with wal_autocheckpoint=0). A checkpoint syncs the file to disk; on a slow disk that took
 * 20–40 ms, and inside a commit it set the p99 of every write (bench/RESULTS.md, intel). PASSIVE
 * checkpoints wait for no one: writers and readers go on meanwhile.
 */
export class Checkpointer {
  private readonly thread: TaskThread<'checkpoint', CheckpointResult>;
  private readonly timer: NodeJS.Timeout;

  constructor(file: string, intervalMs = 1000) {
    this.thread = new TaskThread(() => workerEntry('checkpoint.worker', import.meta.url), { workerData: { file } });
    this.thread.start();
    // Driven from here: a thread that stopped (it should not) is started again by the next tick.
    this.timer = setInterval(() => {
      if (this.thread.pending === 0) this.checkpoint().catch(() => undefined);
    }, intervalMs);
    this.timer.unref();
  }

  /** Runs one checkpoint now. */
  checkpoint(): Promise<CheckpointResult> {
    return this.thread.run('checkpoint');
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return this.thread.close();
  }
}
