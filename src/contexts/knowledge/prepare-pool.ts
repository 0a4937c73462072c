import { TaskThread } from '../../platform/task-thread.ts';
import { workerEntry } from '../../platform/worker-entry.ts';
import { prepare, type IngestOptions, type PreparedObject, type RawItem, type Rejection } from './knowledge.ts';

/** Parses and validates a batch of raw bundle elements. */
export interface Preparer {
  prepare(items: RawItem[], opts: IngestOptions): Promise<Array<PreparedObject | Rejection>>;
  close(): Promise<void>;
}

/** On the calling thread. */
export const inThreadPreparer: Preparer = {
  prepare: (items, opts) => Promise.resolve(items.map((item) => prepare(item, opts))),
  close: () => Promise.resolve(),
};

/** Batches with at least this many elements as text go to the thread; smaller ones are not worth the hop. */
const MIN_THREADED = 256;

/**
 * Parsing and validation on a worker thread, so that a large import parses the next batch while the
 * calling thread writes the current one (KnowledgeService.ingestWithin keeps one batch in flight).
 * Only raw text crosses to the thread, and only strings and small records come back.
 */
export class PreparePool implements Preparer {
  private readonly thread = new TaskThread<{ items: RawItem[]; opts: IngestOptions }, Array<PreparedObject | Rejection>>(() => workerEntry('prepare.worker', import.meta.url));

  prepare(items: RawItem[], opts: IngestOptions): Promise<Array<PreparedObject | Rejection>> {
    let texts = 0;
    for (const i of items) if ('text' in i) texts++;
    if (texts < MIN_THREADED) return inThreadPreparer.prepare(items, opts);
    return this.thread.run({ items, opts });
  }

  close(): Promise<void> {
    return this.thread.close();
  }
}
