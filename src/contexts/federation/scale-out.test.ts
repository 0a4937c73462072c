import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hasService, NATS_URL, PG_URL } from '../../../test/services.ts';
import { openStream, type SseClient, type SseEvent } from '../../../test/sse-client.ts';
import { emit, startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import { openDatabase } from '../../platform/db/database.ts';

const idOf = (e: SseEvent): string => (JSON.parse(e.data) as { id: string }).id;

/**
 * Scale-out: two instances on one PostgreSQL schema and one NATS JetStream stream. Instance A dies in
 * the middle of a stream of writes (its sockets cut, its services gone, as a crash leaves them); A's
 * subscriber reconnects to B with the last event id it saw and misses nothing, doubles nothing.
 */
describe.skipIf(!hasService('postgres') || !hasService('nats'))('two instances, one killed mid-stream', () => {
  const tag = randomBytes(5).toString('hex');
  const schema = `t_${tag}`;
  const events = { natsStream: `BULWARK_EVENTS_T${tag}`, natsSubject: `bulwark.test.${tag}`, pollMs: 100 };
  const running: Running[] = [];
  afterAll(async () => {
    await running[0]?.services.events.nats?.deleteStream().catch(() => undefined);
    for (const r of running) await r.stop().catch(() => undefined);
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema if exists "${schema}" cascade`);
    await c.end();
  });

  it("every event reaches every subscriber exactly once, across the failover of A's subscriber to B", async () => {
    const start = async () => {
      const r = await startServer({
        database: await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 4 }),
        natsUrl: NATS_URL,
        events,
      });
      running.push(r);
      return r;
    };
    const a = await start();
    const b = await start();
    const token = await tokenFor(b.services, 'PL');
    const onA = await openStream(a.base, token);
    const onB = await openStream(b.base, token);
    const N = 120;
    const written: string[] = [];
    let moved: SseClient | undefined;
    for (let i = 0; i < N; i++) {
      const id = `incident--${tag}-${i}`;
      written.push(id);
      // Both instances take writes while both run; a write A committed but had not relayed when it died is
      // relayed by B from the shared outbox.
      await emit(i < 40 && i % 2 === 0 ? a.services : b.services, [
        { event: 'incident.created', objectId: id, author: 'PL', tlp: 'amber', audience: [], payload: {} },
      ]);
      if (i === 40) {
        // A dies: its connections are cut and its services stop, as after a crash.
        await onA.waitFor((x) => x.length >= 20, 10_000, 'A to be part-way');
        a.app.server.closeAllConnections();
        await onA.ended;
        await a.stop().catch(() => undefined);
        running.splice(running.indexOf(a), 1);
        moved = await openStream(b.base, token, { lastEventId: onA.lastId()! });
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await onB.waitFor((x) => x.length === N, 20_000, 'B');
    await moved!.waitFor((x) => onA.events.length + x.length >= N, 20_000, 'the moved subscriber');
    await new Promise((r) => setTimeout(r, 300));
    const seen = [...onA.events, ...moved!.events].map(idOf);
    // Each event once; the order is the stream's (event ids are given at relay time, by either instance).
    expect([...seen].sort()).toEqual([...written].sort());
    expect(onB.events.map(idOf)).toEqual(seen);
    expect(onA.events.length).toBeGreaterThan(0);
    expect(moved!.events.length).toBeGreaterThan(0);
    onB.close();
    moved!.close();
  });
});
