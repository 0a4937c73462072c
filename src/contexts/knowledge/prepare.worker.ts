/** Worker thread of PreparePool: reads, scans, parses and validates bundle elements, a batch per request. */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../../platform/task-thread.ts';
import { BundleFileReader } from '../stix/bundle.reader.ts';
import { prepare } from './knowledge.ts';
import { packBatch, type PackedBatch } from './packed-batch.ts';
import type { CloseFile, PrepareResult, PrepareTask } from './prepare-pool.ts';
import { envelopeItems, isEnvelopeProblem } from './envelope.ts';

/** Open files by the caller's number; a file stays here (finished or failed) until the caller closes it. */
const files = new Map<number, { reader: BundleFileReader; failed?: Error }>();

function fileBatch(t: Extract<PrepareTask, { file: number }>): PackedBatch | null {
  let f = files.get(t.file);
  if (!f) files.set(t.file, (f = { reader: new BundleFileReader(t.path) }));
  if (f.failed) throw f.failed;
  try {
    const items = f.reader.next(t.batchSize);
    if (items.length === 0) return null;
    return packBatch(
      items.map((item) => prepare(item, t.opts)),
      f.reader.bytesRead,
    );
  } catch (e) {
    f.reader.close();
    f.failed = e instanceof Error ? e : new Error(String(e));
    throw f.failed;
  }
}

function envelopeBatch(t: Extract<PrepareTask, { envelope: Uint8Array }>): PrepareResult {
  const items = envelopeItems(t.envelope);
  if (isEnvelopeProblem(items)) return { problem: items };
  const batches: PackedBatch[] = [];
  for (let i = 0; i < items.length; i += t.batchSize)
    batches.push(packBatch(items.slice(i, i + t.batchSize).map((item) => prepare(item, t.opts))));
  return { batches };
}

serveTasks<PrepareTask, PrepareResult>(
  parentPort!,
  (t) =>
    'file' in t
      ? fileBatch(t)
      : 'envelope' in t
        ? envelopeBatch(t)
        : packBatch(t.items.map((item) => prepare(item, t.opts))),
  {
    transfer: (b) => (b && 'buffer' in b ? [b.buffer] : b && 'batches' in b ? b.batches.map((x) => x.buffer) : []),
    notice: (n) => {
      const id = (n as CloseFile).closeFile;
      files.get(id)?.reader.close();
      files.delete(id);
    },
  },
);
