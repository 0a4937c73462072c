import { TaskThread } from '../../platform/task-thread.ts';
import { workerEntry } from '../../platform/worker-entry.ts';
import { scanBundleFile } from '../stix/bundle.reader.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import { prepare, type IngestOptions, type PreparedBatch, type RawItem } from './knowledge.ts';
import { unpackBatch, type PackedBatch } from './packed-batch.ts';

export type RawItems = AsyncIterable<RawItem> | Iterable<RawItem>;

/** Parses and validates the elements of a bundle, a batch at a time, one batch ahead of the caller. */
export interface Preparer {
  batches(items: RawItems, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch>;
  /** The same for a bundle file, which the preparer reads and scans itself. */
  file(path: string, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch>;
  close(): Promise<void>;
}

/** On the calling thread. */
export const inThreadPreparer: Preparer = {
  async *batches(items, opts, batchSize) {
    for await (const raw of batchesOf(items, batchSize)) yield prepareHere(raw, opts);
  },
  async *file(path, opts, batchSize) {
    let bytesRead = 0;
    for await (const b of this.batches(scanBundleFile(path, (n) => (bytesRead += n)), opts, batchSize)) yield { ...b, bytesRead };
  },
  close: () => Promise.resolve(),
};

function prepareHere(items: readonly RawItem[], opts: IngestOptions): PreparedBatch {
  return { results: items.map((item) => prepare(item, opts)) };
}

/** Batches with at least this many elements as text go to the thread; smaller ones are not worth the hop. */
const MIN_THREADED = 256;

export type PrepareTask =
  | { items: RawItem[]; opts: IngestOptions }
  | { file: number; path: string; opts: IngestOptions; batchSize: number };

/** One-way: a file the caller has stopped reading (at its end or early). */
export interface CloseFile {
  closeFile: number;
}

/**
 * Parsing and validation on a worker thread, so that a large import parses the next batch while the
 * calling thread writes the current one (KnowledgeService.ingestWithin). A bundle file is read and
 * scanned there too, so only prepared batches cross (PackedBatch).
 */
export class PreparePool implements Preparer {
  private readonly thread = new TaskThread<PrepareTask, PackedBatch | null>(() => workerEntry('prepare.worker', import.meta.url));
  private files = 0;

  async *batches(items: RawItems, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch> {
    const raw = batchesOf(items, batchSize);
    yield* ahead(async () => {
      const b = await raw.next();
      if (b.done) return undefined;
      let texts = 0;
      for (const i of b.value) if ('text' in i) texts++;
      return texts < MIN_THREADED ? prepareHere(b.value, opts) : this.run({ items: b.value, opts });
    });
  }

  async *file(path: string, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch> {
    const file = ++this.files;
    try {
      yield* ahead(() => this.run({ file, path, opts, batchSize }));
    } finally {
      this.thread.notify({ closeFile: file } satisfies CloseFile);
    }
  }

  /** One task on the thread; undefined once a file has no more elements. */
  private async run(task: PrepareTask): Promise<PreparedBatch | undefined> {
    const packed = await this.thread.run(task);
    return packed ? unpackBatch(packed) : undefined;
  }

  /** Boots the thread ahead of the first batch, e.g. while the store opens. */
  start(): this {
    this.thread.start();
    return this;
  }

  /** Resolves once the thread has booted and answered (an empty batch). */
  async ready(): Promise<void> {
    await this.thread.run({ items: [], opts: { defaultTlp: 'amber', audience: [], limits: DEFAULT_LIMITS } });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}

/**
 * Yields each value of `next` while the following one is already requested, so that the thread
 * preparing them never waits for the caller. `next` answers undefined at the end (and after it).
 */
export async function* ahead<T>(next: () => Promise<T | undefined>): AsyncGenerator<T> {
  let current = next();
  for (;;) {
    const following = next();
    following.catch(() => undefined); // awaited on the next turn; this only keeps an early failure from counting as unhandled
    const value = await current;
    if (value === undefined) return;
    yield value;
    current = following;
  }
}

export async function* batchesOf<T>(items: AsyncIterable<T> | Iterable<T>, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  for await (const item of items) {
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
