import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import { openStream, type SseClient } from '../../../test/sse-client.ts';
import type { PublishedEvent } from '../events/event.ts';

const incident = (over: Record<string, unknown>) => ({
  title: 'Jamming near the coast',
  description: 'GNSS jamming reported by ferries',
  category: 'other',
  occurredAt: '2026-04-01T06:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  ...over,
});

/**
 * The race of issue 12 (item 2): an event about an older, wider version that the relay has already read
 * (stamped) when the author's narrowing commits must not reach a subscriber the narrowing excludes. The
 * test holds the relay between reading a batch and handing it on, narrows meanwhile, and then lets it go.
 */
describe('a narrowing that commits while the relay holds an older event', () => {
  let srv: Running;
  const clients: SseClient[] = [];
  beforeEach(async () => {
    srv = await startServer({ events: { pollMs: 60_000 } });
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await srv.stop();
  });

  const call = async (token: string, method: string, path: string, body: unknown) => {
    const res = await fetch(`${srv.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
    return (await res.json()) as { id: string };
  };

  /** Makes the relay stop after reading (SQLite) or stamping (PostgreSQL) a batch that holds an event about `pred` until `release` is called. */
  function holdRelay(pred: (e: PublishedEvent) => boolean) {
    const outbox = srv.services.events.outbox;
    const next = outbox.nextToPublish.bind(outbox);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let caught!: () => void;
    const held = new Promise<void>((r) => (caught = r));
    outbox.nextToPublish = async (after: number, limit: number) => {
      const batch = await next(after, limit);
      if (batch.some(pred)) {
        caught();
        await released;
      }
      return batch;
    };
    return { held, release };
  }

  it('delivers neither the wider event nor anything about the narrowed incident', async () => {
    const [pl, lt] = await Promise.all([tokenFor(srv.services, 'PL'), tokenFor(srv.services, 'LT')]);
    const stream = await openStream(srv.base, lt);
    clients.push(stream);
    const hold = holdRelay((e) => e.event === 'incident.created' && e.payload.includes('Jamming'));
    const wide = await call(pl, 'POST', '/incidents', incident({}));
    await hold.held;
    // The relay holds the green `incident.created`; the author narrows the incident to red now.
    await call(pl, 'PATCH', `/incidents/${wide.id}`, { tlp: 'red' });
    hold.release();
    const sentinel = await call(pl, 'POST', '/incidents', incident({ title: 'Sentinel' }));
    await stream.waitFor(
      (es) => es.some((e) => e.data.includes(sentinel.id)),
      10_000,
      'the later event about another incident',
    );
    expect(stream.events.filter((e) => e.data.includes(wide.id))).toEqual([]);
  });

  it('still delivers the event when the object stays readable', async () => {
    const [pl, lt] = await Promise.all([tokenFor(srv.services, 'PL'), tokenFor(srv.services, 'LT')]);
    const stream = await openStream(srv.base, lt);
    clients.push(stream);
    const hold = holdRelay((e) => e.event === 'incident.created' && e.payload.includes('Jamming'));
    const wide = await call(pl, 'POST', '/incidents', incident({}));
    await hold.held;
    // Narrowed to an audience that still names the subscriber.
    await call(pl, 'PATCH', `/incidents/${wide.id}`, { tlp: 'red', audience: ['LT'] });
    hold.release();
    await stream.waitFor(
      (es) => es.filter((e) => e.data.includes(wide.id)).length === 2,
      10_000,
      'both events about the incident',
    );
    expect(stream.events.map((e) => e.event)).toEqual(['incident.created', 'incident.updated']);
  });

  it('drops a live event held during a replay when the narrowing commits before the replay ends', async () => {
    const [pl, lt] = await Promise.all([tokenFor(srv.services, 'PL'), tokenFor(srv.services, 'LT')]);
    const first = await openStream(srv.base, lt);
    clients.push(first);
    const before = await call(pl, 'POST', '/incidents', incident({ title: 'Before' }));
    await first.waitFor((es) => es.some((e) => e.data.includes(before.id)), 10_000, 'the first event');
    // The second stream resumes after that event; its replay is held after reading the store.
    const outbox = srv.services.events.outbox;
    const replay = outbox.replay.bind(outbox);
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let reading!: () => void;
    const read = new Promise<void>((r) => (reading = r));
    outbox.replay = async (...args: Parameters<typeof replay>) => {
      const page = await replay(...args);
      reading();
      await released;
      return page;
    };
    const resumed = await openStream(srv.base, lt, { lastEventId: first.lastId()! });
    clients.push(resumed);
    await read;
    const wide = await call(pl, 'POST', '/incidents', incident({}));
    // The live stream got it: so did the resuming one, held until its replay ends.
    await first.waitFor((es) => es.some((e) => e.data.includes(wide.id)), 10_000, 'the wide event');
    await call(pl, 'PATCH', `/incidents/${wide.id}`, { tlp: 'red' });
    outbox.replay = replay;
    release();
    const sentinel = await call(pl, 'POST', '/incidents', incident({ title: 'Sentinel' }));
    await resumed.waitFor((es) => es.some((e) => e.data.includes(sentinel.id)), 10_000, 'the sentinel');
    expect(resumed.events.filter((e) => e.data.includes(wide.id))).toEqual([]);
  });
});
