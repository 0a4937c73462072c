import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PG_URL, testDatabases } from '../../../test/databases.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { systemClock, type Clock } from '../clock.ts';
import pino from 'pino';
import { silentLogger, type Logger } from '../log.ts';
import { appendToOutbox, type OutgoingEvent } from './outbox.ts';
import { OutboxRepository } from './outbox.repository.ts';
import { EventBus } from './bus.ts';
import { OutboxRelay, type RelayOptions } from './relay.ts';
import type { PublishedEvent } from './event.ts';

const opts: RelayOptions = {
  pollMs: 50,
  batchSize: 7,
  pruneEveryMs: 3_600_000,
  retainMs: 7 * 86_400_000,
  retainRows: 100_000,
};

function ev(n: number, extra: Partial<OutgoingEvent> = {}): OutgoingEvent {
  return {
    event: 'incident.created',
    objectId: `incident--${n}`,
    author: 'PL',
    tlp: 'green',
    audience: [],
    payload: { n },
    ...extra,
  };
}

async function write(d: Database, events: OutgoingEvent[], at = new Date().toISOString()): Promise<void> {
  await d.db.transaction().execute((trx) => appendToOutbox(trx, events, at));
}

function relayOn(d: Database, o: Partial<RelayOptions> = {}, clock: Clock = systemClock, log: Logger = silentLogger) {
  const repo = new OutboxRepository(d.db, d.dialect);
  const bus = new EventBus((after, limit) => repo.after(after, limit), log);
  const seen: PublishedEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  const relay = new OutboxRelay(repo, bus, clock, log, { ...opts, ...o });
  return { repo, bus, relay, seen };
}

async function until(pred: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe.each(testDatabases)('outbox relay on $name', (tdb) => {
  let d: Database;
  beforeEach(async () => {
    d = await tdb.open();
  });
  afterEach(async () => d.close());

  it('stamps unpublished rows with dense, increasing ids in seq order and delivers each once, in order', async () => {
    const { relay, seen } = relayOn(d);
    await relay.start();
    await write(d, [ev(1), ev(2), ev(3)]);
    relay.nudge();
    await write(
      d,
      Array.from({ length: 20 }, (_, i) => ev(10 + i)),
    );
    relay.nudge();
    await until(() => seen.length === 23);
    expect(seen.map((e) => e.id)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
    expect(seen.map((e) => e.objectId)).toEqual(
      [1, 2, 3, ...Array.from({ length: 20 }, (_, i) => 10 + i)].map((n) => `incident--${n}`),
    );
    expect(JSON.parse(seen[0]!.payload)).toEqual({ id: 'incident--1', n: 1 });
    const rows = await d.db.selectFrom('outbox').select(['seq', 'event_id']).orderBy('seq').execute();
    expect(rows.every((r) => r.event_id !== null)).toBe(true);
    await relay.stop();
    expect(seen).toHaveLength(23);
  });

  it('a nudge publishes at once, without waiting for the poll', async () => {
    // The poll is an hour away: only the nudge can publish within the wait. (Its latency is measured in bench/intel.bench.ts.)
    const { relay, seen } = relayOn(d, { pollMs: 3_600_000 });
    await relay.start();
    await write(d, [ev(1)]);
    relay.nudge();
    await until(() => seen.length === 1);
    await relay.stop();
  });

  it('nudges within the coalescing window share one pass; an idle relay relays at once', async () => {
    const { relay, repo, seen } = relayOn(d, { pollMs: 3_600_000, coalesceMs: 300 });
    let passes = 0;
    const next = repo.nextToPublish.bind(repo);
    repo.nextToPublish = (after, n) => (passes++, next(after, n));
    await relay.start();
    await until(() => passes === 1);
    const idle = performance.now();
    await write(d, [ev(1)]);
    await new Promise((r) => setTimeout(r, 350));
    relay.nudge();
    await until(() => seen.length === 1);
    // Idle for longer than the window: no wait.
    expect(performance.now() - idle).toBeLessThan(350 + 250);
    const before = passes;
    for (let i = 2; i <= 4; i++) {
      await write(d, [ev(i)]);
      relay.nudge();
    }
    await until(() => seen.length === 4);
    // The three nudges came within the window of the pass that published event 1: one pass took them all.
    expect(passes - before).toBe(1);
    expect(seen.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    await relay.stop();
  });

  it('without a nudge the poll finds rows written elsewhere', async () => {
    const { relay, seen } = relayOn(d, { pollMs: 100 });
    await relay.start();
    await write(d, [ev(2)]);
    await until(() => seen.length === 1, 5000);
    await relay.stop();
  });

  it('starts after the newest event already published and resumes the id sequence', async () => {
    const first = relayOn(d);
    await first.relay.start();
    await write(d, [ev(1), ev(2)]);
    await first.relay.flush();
    await first.relay.stop();
    await write(d, [ev(3)]);
    const second = relayOn(d);
    await second.relay.start();
    if (tdb.name === 'sqlite') {
      // Written while no relay ran, event 3 has its id already: it is replayed from the store, not relayed.
      await write(d, [ev(4)]);
      second.relay.nudge();
      await until(() => second.seen.length === 1);
      expect(second.seen.map((e) => [e.id, e.objectId])).toEqual([[4, 'incident--4']]);
    } else {
      await until(() => second.seen.length === 1);
      expect(second.seen.map((e) => e.id)).toEqual([3]);
    }
    await second.relay.stop();
  });

  it.runIf(tdb.name === 'sqlite')(
    'SQLite: a row has its event id when its transaction commits, in row and commit order; a rollback takes none',
    async () => {
      const ids = async () =>
        (await d.db.selectFrom('outbox').select(['event_id']).orderBy('seq').execute()).map((r) => r.event_id);
      await write(d, [ev(1), ev(2), ev(3)]);
      expect(await ids()).toEqual([1, 2, 3]);
      await expect(
        d.db.transaction().execute(async (trx) => {
          await appendToOutbox(trx, [ev(4)], new Date().toISOString());
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await write(d, [ev(5)]);
      expect(await ids()).toEqual([1, 2, 3, 4]);
      // Publishing only reads: no write follows the commit.
      const repo = new OutboxRepository(d.db, d.dialect);
      expect((await repo.nextToPublish(2, 10)).map((e) => [e.id, e.objectId])).toEqual([
        [3, 'incident--3'],
        [4, 'incident--5'],
      ]);
    },
  );

  it('stop() publishes rows committed before it and waits for the in-flight pass', async () => {
    const { relay, seen } = relayOn(d, { pollMs: 60_000 });
    await relay.start();
    await write(
      d,
      Array.from({ length: 30 }, (_, i) => ev(i)),
    );
    await relay.stop();
    expect(seen).toHaveLength(30);
    relay.nudge();
    await write(d, [ev(99)]);
    relay.nudge();
    await new Promise((r) => setTimeout(r, 30));
    expect(seen).toHaveLength(30);
  });

  it('the bus fills a hole from the store and never delivers an id twice', async () => {
    const repo = new OutboxRepository(d.db, d.dialect);
    await write(d, [ev(1), ev(2), ev(3), ev(4)]);
    const stamped = await repo.nextToPublish(0, 10);
    const bus = new EventBus((after, limit) => repo.after(after, limit), silentLogger);
    const seen: number[] = [];
    bus.subscribe((e) => seen.push(e.id));
    bus.offer([stamped[3]!]);
    bus.offer([stamped[2]!, stamped[3]!]);
    await until(() => seen.length === 4);
    bus.offer(stamped);
    await bus.catchUp();
    expect(seen).toEqual([1, 2, 3, 4]);
  });

  it('prunes by age and by count, never unpublished rows, and keeps the newest id', async () => {
    let now = new Date('2030-01-10T00:00:00Z');
    const clock: Clock = { now: () => now };
    const { relay, repo } = relayOn(d, { retainMs: 86_400_000, retainRows: 5 }, clock);
    await write(d, [ev(1), ev(2)], '2030-01-01T00:00:00Z');
    await write(
      d,
      Array.from({ length: 8 }, (_, i) => ev(10 + i)),
      '2030-01-09T12:00:00Z',
    );
    await relay.flush();
    await write(d, [ev(50)], '2029-01-01T00:00:00Z'); // PostgreSQL: unpublished, old: kept. SQLite: the newest, kept
    const kept = async () =>
      (await d.db.selectFrom('outbox').select(['event_id']).orderBy('seq').execute()).map((r) => r.event_id);
    if (tdb.name === 'sqlite') {
      expect(await relay.prune()).toBe(6);
      expect(await kept()).toEqual([7, 8, 9, 10, 11]);
      now = new Date('2030-02-01T00:00:00Z');
      expect(await relay.prune()).toBe(4);
      expect(await kept()).toEqual([11]);
      return;
    }
    expect(await relay.prune()).toBe(5);
    expect(await kept()).toEqual([6, 7, 8, 9, 10, null]);
    now = new Date('2030-02-01T00:00:00Z');
    expect(await relay.prune()).toBe(4);
    expect(await repo.maxEventId()).toBe(10);
    await relay.flush();
    expect(await repo.maxEventId()).toBe(11);
  });

  it('two relays on one store assign every id exactly once while writers race them', async () => {
    const other = tdb.name === 'postgres' ? await openSameSchema(d) : null;
    const failures: string[] = [];
    const log = pino({ level: 'warn' }, { write: (line: string) => void failures.push(line) });
    const a = relayOn(d, { pollMs: 20, batchSize: 5 }, systemClock, log);
    const b = relayOn(other ?? d, { pollMs: 20, batchSize: 5 }, systemClock, log);
    await Promise.all([a.relay.start(), b.relay.start()]);
    const writers = Array.from({ length: 8 }, (_, w) =>
      (async () => {
        for (let i = 0; i < 15; i++) {
          await write(i % 2 ? d : (other ?? d), [ev(w * 100 + i), ev(w * 100 + i + 50)]);
          (i % 3 ? a : b).relay.nudge();
        }
      })(),
    );
    await Promise.all(writers);
    await until(() => a.seen.length === 240 && b.seen.length === 240, 10_000);
    const ids = Array.from({ length: 240 }, (_, i) => i + 1);
    expect(a.seen.map((e) => e.id)).toEqual(ids);
    expect(b.seen.map((e) => e.id)).toEqual(ids);
    expect(new Set(a.seen.map((e) => e.objectId)).size).toBe(240);
    // The relay lock serialises the stamping: no relay ever collided with the other.
    expect(failures).toEqual([]);
    await Promise.all([a.relay.stop(), b.relay.stop()]);
    await other?.close();
  });

  it.runIf(tdb.name === 'postgres')(
    'concurrent stamping from two connection pools never collides (relay lock)',
    async () => {
      const other = await openSameSchema(d);
      await write(
        d,
        Array.from({ length: 200 }, (_, i) => ev(i)),
      );
      const repos = [new OutboxRepository(d.db, d.dialect), new OutboxRepository(other.db, other.dialect)];
      const stamped = (await Promise.all(Array.from({ length: 100 }, (_, i) => repos[i % 2]!.assignIds(2)))).flat();
      expect(stamped.map((e) => e.id).sort((x, y) => x - y)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
      expect(new Set(stamped.map((e) => e.objectId)).size).toBe(200);
      await other.close();
    },
  );

  it.runIf(tdb.name === 'postgres')(
    'a row committed late gets a later id than rows committed before it (publish order)',
    async () => {
      const { relay, seen } = relayOn(d, { pollMs: 60_000 });
      await relay.start();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((r) => (release = r));
      let inserted: () => void = () => undefined;
      const insertedP = new Promise<void>((r) => (inserted = r));
      const slow = d.db.transaction().execute(async (trx) => {
        await appendToOutbox(trx, [ev(1)], new Date().toISOString());
        inserted();
        await gate;
      });
      await insertedP;
      await write(d, [ev(2)]);
      await relay.flush();
      release();
      await slow;
      await relay.flush();
      await until(() => seen.length === 2);
      expect(seen.map((e) => [e.id, e.objectId])).toEqual([
        [1, 'incident--2'],
        [2, 'incident--1'],
      ]);
      const rows = await d.db.selectFrom('outbox').select(['seq', 'event_id']).orderBy('seq').execute();
      expect(rows.map((r) => r.event_id)).toEqual([2, 1]);
      await relay.stop();
    },
  );
});

/** A second connection pool on the same PostgreSQL schema, as a second server instance has. */
async function openSameSchema(d: Database): Promise<Database> {
  const schema = /\(schema (t_[0-9a-f]+)\)/.exec(d.describe)?.[1];
  if (!schema) throw new Error(`no schema in ${d.describe}`);
  return openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 });
}
