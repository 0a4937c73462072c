import { Worker } from 'node:worker_threads';
import { Framed } from './framed.ts';
import { workerEntry } from '../worker-entry.ts';

/** A compiled read (Kysely's `compile()` output fits). */
export interface CompiledRead {
  sql: string;
  parameters: readonly unknown[];
}

export interface ReadRequest extends CompiledRead {
  id: number;
  /** Join the text of this column of the first `limit` rows with commas; see JoinedRows. */
  join?: JoinSpec;
}

export interface JoinSpec {
  column: number;
  limit: number;
  /** Bytes left free in front of the joined text (Framed) and text put after it. */
  room: number;
  suffix: string;
}

export type ReadResponse =
  | { id: number; rows: unknown[][] }
  | { id: number; count: number; first: unknown[] | undefined; last: unknown[] | undefined; joined: Uint8Array }
  | { id: number; error: string };

/** What a joined read returns instead of its rows: what a page needs to know, and its body. */
export interface JoinedRows {
  /** How many rows the query returned (may be more than `limit`). */
  count: number;
  /** The first row and the last joined row (index min(count, limit) - 1), without the joined column. */
  first: unknown[] | undefined;
  last: unknown[] | undefined;
  /** The joined column of the first `limit` rows, then the suffix, as UTF-8 with room for a prefix. */
  joined: Framed;
}

interface Slot {
  worker: Worker;
  pending: number;
}

/**
 * Reader threads for a SQLite file store. SQLite in WAL mode lets readers on other connections run
 * beside the one writer, each seeing the last committed state when its statement starts; a read that
 * runs here therefore sees every write committed before it was sent. Hot list paths (TAXII pages) run
 * here so that reading rows and building the page body use the second core while the main thread
 * serves HTTP. Threads start on first use, are restarted after a crash, and hold the process open only
 * while a read is pending.
 */
export class ReadPool {
  private readonly slots: Array<Slot | undefined>;
  private readonly waiting = new Map<number, { slot: Slot; resolve: (r: ReadResponse) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private closed = false;
  /** Which thread answered a joined read, to hand its page buffer back to it. */
  private readonly slotOf = new Map<number, Slot>();

  constructor(
    private readonly file: string,
    size: number,
    private readonly cacheKiB = 8_192,
  ) {
    this.slots = Array.from({ length: Math.max(1, size) }, () => undefined);
  }

  async all(q: CompiledRead): Promise<unknown[][]> {
    const r = await this.send(q);
    if (!('rows' in r)) throw new Error('reader thread: expected rows');
    return r.rows;
  }

  /** The text of `column` in the first `limit` rows joined with commas, and what a page needs of the rows. */
  async joined(q: CompiledRead, join: JoinSpec): Promise<JoinedRows> {
    const r = await this.send({ ...q, join });
    if (!('joined' in r)) throw new Error('reader thread: expected a joined result');
    const slot = this.slotOf.get(r.id);
    this.slotOf.delete(r.id);
    const release = (memory: ArrayBuffer) => {
      if (slot && this.slots.includes(slot)) slot.worker.postMessage({ release: memory }, [memory]);
    };
    return { count: r.count, first: r.first, last: r.last, joined: Framed.of(Buffer.from(r.joined.buffer, r.joined.byteOffset, r.joined.byteLength), join.room, release) };
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.filter((s): s is Slot => s !== undefined).map((s) => s.worker);
    this.slots.fill(undefined);
    await Promise.all(workers.map((w) => w.terminate()));
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(new Error('the store is closed'));
    }
  }

  private send(q: CompiledRead & { join?: ReadRequest['join'] }): Promise<Exclude<ReadResponse, { error: string }>> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    const slot = this.leastBusy();
    const id = this.nextId++;
    const req: ReadRequest = { id, sql: q.sql, parameters: q.parameters, ...(q.join ? { join: q.join } : {}) };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, {
        slot,
        resolve: (r) => ('error' in r ? reject(new Error(r.error)) : resolve(r)),
        reject,
      });
      if (slot.pending++ === 0) slot.worker.ref();
      slot.worker.postMessage(req);
    });
  }

  private leastBusy(): Slot {
    let best: Slot | undefined;
    for (let i = 0; i < this.slots.length; i++) {
      const s = (this.slots[i] ??= this.spawn(i));
      if (!best || s.pending < best.pending) best = s;
      if (s.pending === 0) break;
    }
    return best!;
  }

  private spawn(index: number): Slot {
    // A reader needs little heap (a page at a time); the bounds keep the server's memory predictable.
    const worker = new Worker(workerEntry('read-worker', import.meta.url), {
      workerData: { file: this.file, cacheKiB: this.cacheKiB },
      resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 128 },
    });
    const slot: Slot = { worker, pending: 0 };
    worker.unref();
    worker.on('message', (r: ReadResponse) => {
      const w = this.waiting.get(r.id);
      if (!w) return;
      this.waiting.delete(r.id);
      if ('joined' in r) this.slotOf.set(r.id, slot);
      if (--slot.pending === 0) worker.unref();
      w.resolve(r);
    });
    const fail = (e: Error) => {
      if (this.slots[index] === slot) this.slots[index] = undefined;
      for (const [id, w] of this.waiting) {
        if (w.slot !== slot) continue;
        this.waiting.delete(id);
        w.reject(e);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a reader thread stopped (exit code ${code})`)));
    return slot;
  }
}
