import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from './schema.ts';
import { LoopSlice, SLICE_MS, turn } from '../loop-slice.ts';

export interface GroupCommitOptions {
  /** Writes per transaction at most. */
  maxBatch: number;
  /** Sum of the writes' weights (e.g. bytes) per transaction at most; a heavier write still runs, alone. */
  maxWeight: number;
  /** Milliseconds of transactions back to back before the event loop gets a turn (default SLICE_MS). */
  sliceMs?: number;
}

export const DEFAULT_GROUP_COMMIT: GroupCommitOptions = { maxBatch: 64, maxWeight: 256 * 1024 };

/** Times a batch whose transaction failed transiently (store busy) is run, in all. */
const MAX_ATTEMPTS = 8;

/** SQLite busy (the lock held past the busy timeout); PostgreSQL serialisation failure or deadlock. */
export function isTransient(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === '40001' || code === '40P01';
}

/**
 * Runs a transaction again while it fails transiently (see isTransient), waiting longer each time; a
 * transaction that failed so stored nothing, so running it again is safe.
 */
export async function retryTransient<T>(run: () => Promise<T>, attempt = 0): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (!isTransient(e) || attempt + 1 >= MAX_ATTEMPTS) throw e;
    await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
    return retryTransient(run, attempt + 1);
  }
}

interface Job {
  user: string;
  weight: number;
  since: number;
  work: (trx: Transaction<Schema>) => Promise<unknown>;
  done: (r: { ok: true; value: unknown } | { ok: false; error: unknown }) => void;
}

/**
 * Group commit: writes queued while a transaction runs share the next one, each in a savepoint of its own,
 * so one commit (the largest cost of a small write on SQLite: its dirty pages written to the log) serves
 * many writes, and a write that fails rolls back alone. A write's promise settles once the transaction
 * that holds it has committed (or the write was rolled back), so a caller answers only for what is stored.
 *
 * Fair between users: a batch takes one write of each user with writes waiting, in turn, starting after
 * the user served last, so a user who writes a little waits for at most one batch however many writes
 * others have queued (issue 12, item 17). A batch is bounded by count and by weight.
 */
export class GroupCommit {
  private readonly queues = new Map<string, Job[]>();
  /** Users with writes waiting, in the order they are served. */
  private readonly turn: string[] = [];
  private waiting = 0;
  /** Transactions run and writes they held, since start (for tests and metrics). */
  readonly stats = { transactions: 0, writes: 0, retries: 0 };
  private running: Promise<void> | null = null;
  /** Mean milliseconds per write lately, for Retry-After. */
  private perWriteMs = 2;

  constructor(
    private readonly db: Kysely<Schema>,
    private readonly opts: GroupCommitOptions = DEFAULT_GROUP_COMMIT,
  ) {}

  /** Writes waiting for a transaction. */
  get queued(): number {
    return this.waiting;
  }

  /**
   * Seconds a new write should wait before it comes back, when the queue is behind by `maxWaitMs` or more
   * (its oldest write waited that long, or the writes waiting take that long at the recent pace); undefined
   * when it may queue. A burst larger than the store writes then gets 503 and Retry-After instead of a
   * wait that grows without bound.
   */
  refusal(maxWaitMs: number): number | undefined {
    if (this.waiting === 0) return undefined;
    const now = performance.now();
    let oldest = now;
    for (const q of this.queues.values()) oldest = Math.min(oldest, q[0]!.since);
    const behind = Math.max(now - oldest, this.waiting * this.perWriteMs);
    if (behind < maxWaitMs) return undefined;
    return Math.min(60, Math.max(1, Math.ceil(behind / 1000)));
  }

  /** Runs `work` in the next group transaction; resolves with its result once that transaction committed. */
  run<T>(user: string, weight: number, work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const job: Job = {
        user,
        weight,
        since: performance.now(),
        work,
        done: (r) =>
          r.ok ? resolve(r.value as T) : reject(r.error instanceof Error ? r.error : new Error(String(r.error))),
      };
      const q = this.queues.get(user);
      if (q) q.push(job);
      else {
        this.queues.set(user, [job]);
        this.turn.push(user);
      }
      this.waiting++;
      this.drain();
    });
  }

  /** Resolves once every write queued so far has committed or failed. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  private drain(): void {
    if (this.running) return;
    this.running = (async () => {
      // Writes queued in this turn of the event loop join the first batch.
      await turn();
      // SQLite answers without yielding: a turn of the loop between transactions, once they have held it for a
      // slice, lets it accept and read requests (and refuse them when behind) instead of holding it for the whole
      // queue (seconds in a burst).
      const slice = new LoopSlice(this.opts.sliceMs ?? SLICE_MS);
      while (this.waiting > 0) {
        await this.runBatch(this.take());
        if (this.waiting > 0) await slice.pass();
      }
    })().finally(() => {
      this.running = null;
      if (this.waiting > 0) this.drain();
    });
  }

  /** The next batch: one write per user in turn, within the bounds. */
  private take(): Job[] {
    const batch: Job[] = [];
    let weight = 0;
    while (this.turn.length > 0 && batch.length < this.opts.maxBatch) {
      const user = this.turn[0]!;
      const q = this.queues.get(user)!;
      const job = q[0]!;
      if (batch.length > 0 && weight + job.weight > this.opts.maxWeight) break;
      q.shift();
      this.waiting--;
      batch.push(job);
      weight += job.weight;
      this.turn.shift();
      if (q.length > 0) this.turn.push(user);
      else this.queues.delete(user);
    }
    return batch;
  }

  private async runBatch(batch: Job[], attempt = 0): Promise<void> {
    const t0 = performance.now();
    this.stats.transactions++;
    if (attempt === 0) this.stats.writes += batch.length;
    const results: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      if (batch.length === 1) {
        const value = await this.db.transaction().execute((trx) => batch[0]!.work(trx));
        results.push({ ok: true, value });
      } else {
        await this.db.transaction().execute(async (trx) => {
          results.length = 0;
          for (const job of batch) {
            await sql`savepoint group_write`.execute(trx);
            try {
              const value = await job.work(trx);
              await sql`release savepoint group_write`.execute(trx);
              results.push({ ok: true, value });
            } catch (error) {
              await sql`rollback to savepoint group_write`.execute(trx);
              await sql`release savepoint group_write`.execute(trx);
              results.push({ ok: false, error });
            }
          }
        });
      }
    } catch (error) {
      // The transaction itself failed (its begin or commit, or a write's rollback): nothing of it is stored.
      if (isTransient(error) && attempt < MAX_ATTEMPTS) {
        // The store was busy (SQLite: a checkpoint that empties the log holds writers back while it copies and
        // syncs, longer than the busy timeout on a loaded disk; this answered 500 under load). Nothing of the
        // batch was stored: run it again, later, instead of failing every report in it.
        this.stats.retries++;
        await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        return this.runBatch(batch, attempt + 1);
      }
      for (const job of batch) job.done({ ok: false, error });
      return;
    }
    const ms = performance.now() - t0;
    this.perWriteMs = 0.8 * this.perWriteMs + 0.2 * (ms / batch.length);
    batch.forEach((job, i) => job.done(results[i]!));
  }
}
