import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasService, NATS_URL, PG_URL } from '../../../test/services.ts';
import { openStream, type SseEvent } from '../../../test/sse-client.ts';
import { emit, eventIds, startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import { openDatabase } from '../db/database.ts';
import type { OutgoingEvent } from './outbox.ts';

const idOf = (e: SseEvent): string => (JSON.parse(e.data) as { id: string }).id;
const ev = (objectId: string, extra: Partial<OutgoingEvent> = {}): OutgoingEvent => ({
  event: 'incident.created',
  objectId,
  author: 'PL',
  tlp: 'amber',
  audience: [],
  payload: {},
  ...extra,
});

/**
 * Two server instances on one PostgreSQL schema and one NATS JetStream stream. Their polls are
 * slowed to a minute, so an event can only reach the other instance in time through NATS.
 */
describe.skipIf(!hasService('postgres') || !hasService('nats'))('two instances on PostgreSQL + NATS JetStream', () => {
  const tag = randomBytes(5).toString('hex');
  const schema = `t_${tag}`;
  const events = { natsStream: `BULWARK_EVENTS_T${tag}`, natsSubject: `bulwark.test.${tag}`, pollMs: 60_000 };
  let a: Running;
  let b: Running;
  beforeAll(async () => {
    a = await startServer({
      database: await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 }),
      natsUrl: NATS_URL,
      events,
    });
    b = await startServer({
      database: await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 }),
      natsUrl: NATS_URL,
      events,
    });
  });
  afterAll(async () => {
    await a.services.events.nats?.deleteStream().catch(() => undefined);
    await a?.stop();
    await b?.stop();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  });

  it('an event written through A reaches SSE subscribers of A and B, with the same id, releasable only', async () => {
    const pl = await tokenFor(a.services, 'PL');
    const ua = await tokenFor(a.services, 'UA');
    const onA = await openStream(a.base, pl);
    const onB = await openStream(b.base, pl);
    const partnerOnB = await openStream(b.base, ua);
    const t0 = performance.now();
    await emit(a.services, [ev('incident--1'), ev('incident--2', { tlp: 'clear' })]);
    await onA.waitFor((x) => x.length === 2, 5000, 'A');
    await onB.waitFor((x) => x.length === 2, 5000, 'B');
    await partnerOnB.waitFor((x) => x.length === 1, 5000, 'partner on B');
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(onB.events.map((e) => [e.id, idOf(e)])).toEqual(onA.events.map((e) => [e.id, idOf(e)]));
    expect(partnerOnB.events.map(idOf)).toEqual(['incident--2']);

    // And back: written through B, relayed by B, seen on A; ids stay dense across instances.
    await emit(b.services, [ev('incident--3')]);
    await emit(a.services, [ev('incident--4')]);
    await onA.waitFor((x) => x.length === 4, 5000, 'A, both writers');
    await onB.waitFor((x) => x.length === 4, 5000, 'B, both writers');
    // Both instances encipher ids with the store's one key: a subscriber resumes on either.
    const codec = await eventIds(a.services);
    const idsA = onA.events.map((e) => codec.decode(e.id!) as number);
    expect(idsA).toEqual([idsA[0]!, idsA[0]! + 1, idsA[0]! + 2, idsA[0]! + 3]);
    expect(onB.events.map((e) => e.id)).toEqual(onA.events.map((e) => e.id));
    expect(new Set(onA.events.map(idOf))).toEqual(
      new Set(['incident--1', 'incident--2', 'incident--3', 'incident--4']),
    );
    for (const c of [onA, onB, partnerOnB]) c.close();
  });

  it('the stream holds each event once, keyed by event id', async () => {
    const before = await a.services.events.outbox.maxEventId();
    await emit(a.services, [ev('incident--5')]);
    await a.services.events.relay.flush();
    const nats = a.services.events.nats!;
    const last = (await a.services.events.outbox.after(before, 10))[0]!;
    await nats.publish(last); // a republish (e.g. after a crash) is dropped as a duplicate
    const { connect } = await import('nats');
    const nc = await connect({ servers: NATS_URL });
    const info = await (await nc.jetstreamManager()).streams.info(events.natsStream);
    await nc.close();
    expect(info.state.messages).toBe(last.id);
  });
});
