import type { ResourceLimits } from 'node:worker_threads';
import { TaskThread } from '../task-thread.ts';
import { workerEntry } from '../worker-entry.ts';
import { Framed } from './framed.ts';
import type { JoinSpec, JoinedRows } from './joined-rows.ts';

/** A compiled read (Kysely's `compile()` output fits). */
export interface CompiledRead {
  sql: string;
  parameters: readonly unknown[];
}

export interface ReadRequest extends CompiledRead {
  join?: JoinSpec;
}

export type ReadResponse = { rows: unknown[][] } | (Omit<JoinedRows, 'joined'> & { joined: Uint8Array });

/**
 * Reader threads for a SQLite file store. SQLite in WAL mode lets readers on other connections run
 * beside the one writer, each seeing the last committed state when its statement starts; a read that
 * runs here therefore sees every write committed before it was sent. Hot list paths (TAXII pages) run
 * here so that reading rows and building the page body use the second core while the main thread
 * serves HTTP. Threads start on first use, are restarted after a crash, and hold the process open only
 * while a read is pending (TaskThread).
 */
export class ReadPool {
  private readonly threads: Array<TaskThread<ReadRequest, ReadResponse>>;

  /**
   * A reader needs little heap: a page at a time, and a page is bounded in bytes (JoinSpec.maxBytes)
   * as well as in rows. That bound is what keeps it under its limit: V8 ends the whole process, not
   * only the thread, when one large allocation fails at the limit ("Reached heap limit"), which one
   * page of many 4 MiB objects did before pages were bounded in bytes. A thread that stops
   * otherwise (an error it did not catch, or a heap limit it reached step by step) fails only the
   * reads it held and is started again for the next (TaskThread).
   */
  constructor(
    file: string,
    size: number,
    cacheKiB = 8_192,
    resourceLimits: ResourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
  ) {
    this.threads = Array.from(
      { length: Math.max(1, size) },
      () =>
        new TaskThread<ReadRequest, ReadResponse>(() => workerEntry('read-worker', import.meta.url), {
          workerData: { file, cacheKiB },
          resourceLimits,
        }),
    );
  }

  async all(q: CompiledRead): Promise<unknown[][]> {
    const r = await this.leastBusy().run(q);
    if (!('rows' in r)) throw new Error('reader thread: expected rows');
    return r.rows;
  }

  /** The text of one column of the first rows joined, and what a page needs of the rows (joinRows). */
  async joined(q: CompiledRead, join: JoinSpec): Promise<JoinedRows> {
    const thread = this.leastBusy();
    const r = await thread.run({ ...q, join });
    if (!('joined' in r)) throw new Error('reader thread: expected a joined result');
    const bytes = Buffer.from(r.joined.buffer, r.joined.byteOffset, r.joined.byteLength);
    // Framed.release hands the memory back to the thread that filled it, for its next page.
    return { ...r, joined: Framed.of(bytes, join.room, (memory) => thread.notify({ release: memory }, [memory])) };
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }

  private leastBusy(): TaskThread<ReadRequest, ReadResponse> {
    return this.threads.reduce((best, t) => (t.pending < best.pending ? t : best));
  }
}
