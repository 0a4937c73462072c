import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../db/database.ts';
import type { PublishedEvent } from '../events/event.ts';
import { appendToOutbox, type OutgoingEvent } from '../events/outbox.ts';
import { OutboxRepository } from '../events/outbox.repository.ts';
import { Gate, replayPaged, type ReplaySink, type ReplaySource } from './sse-replay.ts';

const reader = { kind: 'org', org: 'LT', orgKind: 'member' } as const;
const ev = (i: number, extra: Partial<OutgoingEvent> = {}): OutgoingEvent => ({
  event: 'incident.created',
  objectId: `incident--${i}`,
  author: 'PL',
  tlp: 'green',
  audience: [],
  payload: { i },
  ...extra,
});

/** A socket stand-in that needs draining after every page and lets the test decide when it drains. */
class HeldSink implements ReplaySink {
  readonly written: PublishedEvent[] = [];
  drains = 0;
  private release: (() => void) | null = null;
  private waiting: ((v: void) => void) | null = null;
  closed = false;
  write(e: PublishedEvent): void {
    this.written.push(e);
  }
  needsDrain(): boolean {
    return true;
  }
  drained(): Promise<void> {
    this.drains++;
    return new Promise<void>((resolve) => {
      this.release = resolve;
      this.waiting?.();
    });
  }
  isClosed(): boolean {
    return this.closed;
  }
  /** Resolves once the replay waits for a drain. */
  untilWaiting(): Promise<void> {
    return this.release ? Promise.resolve() : new Promise((r) => (this.waiting = r));
  }
  drain(): void {
    const r = this.release;
    this.release = null;
    this.waiting = null;
    r?.();
  }
}

describe.each(testDatabases)('replay from 0 in pages with back-pressure on $name', (tdb) => {
  let database: Database;
  let outbox: OutboxRepository;
  let reads: number[];
  let source: ReplaySource;
  beforeEach(async () => {
    database = await tdb.open();
    outbox = new OutboxRepository(database.db, database.dialect);
    reads = [];
    // The real store, with each read's size recorded.
    source = {
      replay: async (r, after, names, limit) => {
        const page = await outbox.replay(r, after, names, limit);
        reads.push(page.length);
        return page;
      },
      minEventId: () => outbox.minEventId(),
    };
  });
  afterEach(async () => database.close());

  it('reads one page at a time and the next only after the socket drained', async () => {
    const N = 1_050;
    const all = Array.from({ length: N }, (_, i) => ev(i, i % 7 === 3 ? { tlp: 'red' } : {}));
    await appendToOutbox(database.db, all, new Date().toISOString());
    while ((await outbox.assignIds(500)).length > 0);
    const readable = all.filter((e) => e.tlp !== 'red').length;

    const sink = new HeldSink();
    const done = replayPaged(source, { reader, after: 0, names: undefined }, sink, 200, new Gate(1));
    let pages = 0;
    for (;;) {
      await sink.untilWaiting();
      pages++;
      // Stalled on the drain: exactly the pages drained so far plus this one were read.
      expect(reads).toHaveLength(pages);
      expect(sink.written).toHaveLength(reads.reduce((a, b) => a + b, 0));
      const last = reads.at(-1)!;
      sink.drain();
      if (last < 200) break;
    }
    const end = await done;
    expect(reads.every((n) => n <= 200)).toBe(true);
    expect(pages).toBe(Math.ceil(readable / 200) + (readable % 200 === 0 ? 1 : 0));
    expect(sink.written.map((e) => e.objectId)).toEqual(all.filter((e) => e.tlp !== 'red').map((e) => e.objectId));
    expect(end).toBe(sink.written.at(-1)!.id);
  });

  it('stops reading when the subscriber leaves while waiting for a drain', async () => {
    await appendToOutbox(
      database.db,
      Array.from({ length: 500 }, (_, i) => ev(i)),
      new Date().toISOString(),
    );
    while ((await outbox.assignIds(500)).length > 0);
    const sink = new HeldSink();
    const done = replayPaged(source, { reader, after: 0, names: undefined }, sink, 100, new Gate(1));
    await sink.untilWaiting();
    sink.closed = true;
    sink.drain();
    expect(await done).toBe('closed');
    expect(reads).toEqual([100]);
  });
});

describe('Gate', () => {
  it('lets at most its limit run at once, in order', async () => {
    const gate = new Gate(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const releases: Array<() => void> = [];
    const jobs = Array.from({ length: 6 }, (_, i) =>
      gate.run(async () => {
        running++;
        most = Math.max(most, running);
        order.push(i);
        await new Promise<void>((r) => releases.push(r));
        running--;
      }),
    );
    while (order.length < 6) {
      await new Promise((r) => setImmediate(r));
      releases.shift()?.();
    }
    for (const r of releases) r();
    await Promise.all(jobs);
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
