import { TaskThread } from '../../platform/task-thread.ts';
import { workerEntry } from '../../platform/worker-entry.ts';
import { scanBundleFile } from '../stix/bundle.reader.ts';
import { DEFAULT_LIMITS } from '../stix/validate.ts';
import { prepare, type IngestOptions, type PreparedBatch, type RawItem } from './knowledge.ts';
import { unpackBatch, type PackedBatch } from './packed-batch.ts';
import { envelopeItems, isEnvelopeProblem, type EnvelopeProblem } from './envelope.ts';
import { validation } from '../../platform/errors.ts';

export type RawItems = AsyncIterable<RawItem> | Iterable<RawItem>;

/** Parses and validates the elements of a bundle, a batch at a time, one batch ahead of the caller. */
export interface Preparer {
  batches(items: RawItems, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch>;
  /** The same for a bundle file, which the preparer reads and scans itself. */
  file(path: string, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch>;
  /** The same for a TAXII envelope's bytes, which the preparer parses itself; a malformed envelope is a 400 naming the field. */
  envelope(bytes: Uint8Array, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch>;
  close(): Promise<void>;
}

/** On the calling thread. */
export const inThreadPreparer: Preparer = {
  async *batches(items, opts, batchSize) {
    for await (const raw of batchesOf(items, batchSize)) yield prepareHere(raw, opts);
  },
  async *file(path, opts, batchSize) {
    let bytesRead = 0;
    for await (const b of this.batches(
      scanBundleFile(path, (n) => (bytesRead += n)),
      opts,
      batchSize,
    ))
      yield { ...b, bytesRead };
  },
  async *envelope(bytes, opts, batchSize) {
    const items = envelopeOrThrow(envelopeItems(bytes));
    for (let i = 0; i < items.length; i += batchSize) {
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      yield prepareHere(items.slice(i, i + batchSize), opts);
    }
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
  | { envelope: Uint8Array; opts: IngestOptions; batchSize: number }
  | { file: number; path: string; opts: IngestOptions; batchSize: number };

/** A prepared batch, the end of a file (null), or what is wrong with an envelope. */
export type PrepareResult = PackedBatch | null | { problem: EnvelopeProblem } | { batches: PackedBatch[] };

function envelopeOrThrow(r: RawItem[] | EnvelopeProblem): RawItem[] {
  if (isEnvelopeProblem(r)) throw validation(r.field, r.message);
  return r;
}

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
  private readonly thread = new TaskThread<PrepareTask, PrepareResult>(() =>
    workerEntry('prepare.worker', import.meta.url),
  );
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

  /**
   * Parsed, validated and serialised on the thread, all in one task (an envelope is at most
   * max_content_length): the thread serving HTTP receives the prepared objects as bytes, and never
   * holds the parsed envelope.
   */
  async *envelope(bytes: Uint8Array, opts: IngestOptions, batchSize: number): AsyncGenerator<PreparedBatch> {
    const r = await this.thread.run({ envelope: bytes, opts, batchSize });
    if (r && 'problem' in r) throw validation(r.problem.field, r.problem.message);
    if (!r || !('batches' in r)) return;
    for (const [i, b] of r.batches.entries()) {
      // Between batches the thread serving HTTP gets a turn: the caller's writes are synchronous on
      // SQLite, and an envelope of many batches would otherwise be written in one stretch.
      if (i > 0) await new Promise((resolve) => setImmediate(resolve));
      yield unpackBatch(b);
    }
  }

  /** One task on the thread; undefined once a file has no more elements. */
  private async run(task: PrepareTask): Promise<PreparedBatch | undefined> {
    const packed = await this.thread.run(task);
    if (packed && ('problem' in packed || 'batches' in packed))
      throw new Error('the preparing thread answered an envelope task');
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
