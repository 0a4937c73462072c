import { TaskThread } from '../task-thread.ts';
import { workerEntry } from '../worker-entry.ts';

/** What `PRAGMA wal_checkpoint` reports: frames in the log, and how many of them are in the database file. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
  /** True when the log had passed the bound and the next writer starts it again from its beginning (RESTART). */
  restarted?: boolean;
}

/** Default bound on the write-ahead log file (bytes) before a checkpoint starts it again. */
export const DEFAULT_WAL_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * Milliseconds between background checkpoints. Short, so that each PASSIVE copies little and the RESTART that
 * follows it past the bound has only the commits of that short copy left to copy while writers wait: at one
 * second, the report path's p99 to the last stream at 100 reports/s was 37 ms, at 100 ms 16–19 ms
 * (bench/RESULTS.md, "Report path: the log started again"). An idle store's PASSIVE finds nothing to copy.
 */
export const CHECKPOINT_INTERVAL_MS = 100;

/**
 * Copies a SQLite store's write-ahead log into the database file on a thread of its own, every
 * `intervalMs` (one at a time) and on request, so that no commit on the serving thread does it (the store's connection
 * then runs with wal_autocheckpoint=0). A checkpoint syncs the file to disk; on a slow disk that took
 * 20–40 ms, and inside a commit it set the p99 of every write (bench/RESULTS.md, intel). PASSIVE
 * checkpoints wait for no one: writers and readers go on meanwhile. Under sustained writes they never
 * reach the last commit, so SQLite never starts the log again: when its file passes `walLimitBytes`, the
 * thread runs a RESTART checkpoint, which makes writers wait while it copies the rest, and the next writer
 * starts the log from its beginning (checkpoint.worker.ts).
 */
export class Checkpointer {
  private readonly thread: TaskThread<'checkpoint', CheckpointResult>;
  private readonly timer: NodeJS.Timeout;

  constructor(file: string, intervalMs = CHECKPOINT_INTERVAL_MS, walLimitBytes = DEFAULT_WAL_LIMIT_BYTES) {
    this.thread = new TaskThread(() => workerEntry('checkpoint.worker', import.meta.url), {
      workerData: { file, walLimitBytes },
    });
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
