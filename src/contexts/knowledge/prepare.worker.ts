/** Worker thread of PreparePool: parses and validates batches of raw bundle elements (pure). */
import { parentPort } from 'node:worker_threads';
import { serveTasks } from '../../platform/task-thread.ts';
import { prepare, type IngestOptions, type PreparedObject, type RawItem, type Rejection } from './knowledge.ts';

serveTasks<{ items: RawItem[]; opts: IngestOptions }, Array<PreparedObject | Rejection>>(parentPort!, ({ items, opts }) => items.map((item) => prepare(item, opts)));
