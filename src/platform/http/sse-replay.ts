import type { Reader } from '../../kernel/access/releasability.ts';
import type { PublishedEvent } from '../events/event.ts';

/** Reads what a reader may see after an id, in id order, filtered in SQL. */
export interface ReplaySource {
  replay(
    reader: Reader,
    after: number,
    names: ReadonlySet<string> | undefined,
    limit: number,
  ): Promise<PublishedEvent[]>;
  minEventId(): Promise<number | undefined>;
}

/** Where a replay writes: a subscriber's socket. */
export interface ReplaySink {
  write(e: PublishedEvent): void;
  /** True once the socket's buffer is past its mark: wait for `drained` before writing more. */
  needsDrain(): boolean;
  /** Resolves when the buffer has been sent (or the socket closed). */
  drained(): Promise<void>;
  isClosed(): boolean;
}

/** At most `limit` holders at once; the others wait their turn in order. */
export class Gate {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

export interface ReplayQuery {
  reader: Reader;
  after: number;
  names: ReadonlySet<string> | undefined;
}

/**
 * Replays from `q.after` page by page with back-pressure: a page is read (at most `gate`'s limit of
 * subscribers reading the store at once) and written, and the next page is read only after the socket
 * has drained the previous one. A subscriber that stops reading therefore holds at most one page, and
 * many subscribers replaying from 0 hold at most `gate` pages in flight between them.
 * Returns the id of the last event read, or 'closed' when the subscriber left.
 */
export async function replayPaged(
  source: ReplaySource,
  q: ReplayQuery,
  sink: ReplaySink,
  pageSize: number,
  gate: Gate,
): Promise<number | 'closed'> {
  let after = q.after;
  for (;;) {
    const page = await gate.run(() => source.replay(q.reader, after, q.names, pageSize));
    if (sink.isClosed()) return 'closed';
    for (const e of page) sink.write(e);
    if (page.length > 0) after = page[page.length - 1]!.id;
    if (sink.needsDrain()) await sink.drained();
    if (sink.isClosed()) return 'closed';
    if (page.length < pageSize) return after;
  }
}
