import { mkdtempSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openStream, type SseClient, type SseEvent } from '../../../test/sse-client.ts';
import { emit, eventIds, startServer, tokenFor, type Running } from '../../../test/stream-fixture.ts';
import type { EventIdCodec } from '../events/event-id.ts';
import { canRead, type Reader, type Releasable } from '../../kernel/access/releasability.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import type { OutgoingEvent } from '../events/outbox.ts';

const idOf = (e: SseEvent): string => (JSON.parse(e.data) as { id: string }).id;
const green = (objectId: string, extra: Partial<OutgoingEvent> = {}): OutgoingEvent => ({
  event: 'incident.created',
  objectId,
  author: 'PL',
  tlp: 'green',
  audience: [],
  payload: {},
  ...extra,
});

describe('GET /api/v1/stream', () => {
  let srv: Running;
  let ids: EventIdCodec;
  const open: SseClient[] = [];
  const track = (c: SseClient) => (open.push(c), c);
  /** The store's number of an event as a subscriber received it (the test holds the server's key). */
  const num = (e: SseEvent): number => {
    const n = ids.decode(e.id!);
    if (n === 'invalid') throw new Error(`not an id of this stream: ${String(e.id)}`);
    return n;
  };
  beforeAll(async () => {
    srv = await startServer({ events: { heartbeatMs: 100 } });
    ids = await eventIds(srv.services);
  });
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  afterAll(async () => srv.stop());

  it('requires a signed-in user and a well-formed Last-Event-ID', async () => {
    const anon = await fetch(`${srv.base}/api/v1/stream`);
    expect(anon.status).toBe(401);
    await anon.body?.cancel();
    const token = await tokenFor(srv.services, 'PL');
    for (const id of ['12abc', '41', ids.encode(41).slice(1)]) {
      // Not an id this stream gave out: numbers other than 0 included, which would let a reader count what it may not see.
      const bad = await fetch(`${srv.base}/api/v1/stream`, {
        headers: { authorization: `Bearer ${token}`, 'last-event-id': id },
      });
      expect(bad.status, id).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe('last-event-id');
    }
    const badFilter = await fetch(`${srv.base}/api/v1/stream?events=a%20b`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(badFilter.status).toBe(400);
    await badFilter.body?.cancel();
  });

  it('sends id, event and data lines, heartbeats, and only the event names asked for', async () => {
    const token = await tokenFor(srv.services, 'LT');
    const all = track(await openStream(srv.base, token));
    const only = track(await openStream(srv.base, token, { query: 'events=proposal.updated' }));
    expect(all.status).toBe(200);
    await emit(srv.services, [
      green('incident--a'),
      green('proposal--b', { event: 'proposal.updated', payload: { status: 'adopted' } }),
    ]);
    await all.waitFor((ev) => ev.length === 2, 5000, 'two events');
    await only.waitFor((ev) => ev.length === 1, 5000, 'one event');
    expect(all.events.map((e) => [e.event, idOf(e)])).toEqual([
      ['incident.created', 'incident--a'],
      ['proposal.updated', 'proposal--b'],
    ]);
    expect(num(all.events[1]!)).toBe(num(all.events[0]!) + 1);
    expect(all.events[0]!.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(JSON.parse(only.events[0]!.data)).toEqual({ id: 'proposal--b', status: 'adopted' });
    expect(only.events[0]!.id).toBe(all.events[1]!.id);
    await all.waitFor(() => all.comments.includes('heartbeat'), 2000, 'a heartbeat');
    const admin = await tokenFor(srv.services, 'PL', 'operator');
    const metrics = await (
      await fetch(`${srv.base}/metrics`, { headers: { authorization: `Bearer ${admin}` } })
    ).text();
    expect(metrics).toMatch(/bulwark_sse_subscribers \d+/);
    expect(metrics).toMatch(/bulwark_events_relayed_total [1-9]/);
  });

  it('property: a subscriber receives exactly the events canRead allows it, live and on replay', async () => {
    const readers: Array<{ org: string; reader: Reader }> = [
      { org: 'PL', reader: { kind: 'org', org: 'PL', orgKind: 'member' } },
      { org: 'LT', reader: { kind: 'org', org: 'LT', orgKind: 'member' } },
      { org: 'US', reader: { kind: 'org', org: 'US', orgKind: 'member' } },
      { org: 'UA', reader: { kind: 'org', org: 'UA', orgKind: 'partner' } },
      { org: 'GE', reader: { kind: 'org', org: 'GE', orgKind: 'partner' } },
    ];
    const subs = await Promise.all(readers.map(async (r) => ({ ...r, token: await tokenFor(srv.services, r.org) })));
    const live = await Promise.all(subs.map(async (s) => track(await openStream(srv.base, s.token))));
    const known = new Map<string, Releasable>();
    const orgs = ['PL', 'LT', 'US', 'UA', 'GE', 'DE'];
    const arbEvent = fc.record({
      author: fc.constantFrom(...orgs),
      tlp: fc.constantFrom(...TLP_LEVELS),
      audience: fc.subarray(orgs, { maxLength: 3 }),
    });
    let run = 0;
    let lastMarkerId = ids.encode(srv.services.events.bus.lastId);
    await fc.assert(
      fc.asyncProperty(fc.array(arbEvent, { minLength: 1, maxLength: 12 }), async (events) => {
        run++;
        const written = events.map((e, i) => ({ ...e, objectId: `x--${run}-${i}` }));
        for (const w of written) known.set(w.objectId, w);
        const marker = `marker--${run}`;
        await emit(srv.services, [
          ...written.map((w) => green(w.objectId, w)),
          green(marker, { tlp: 'clear', event: 'test.marker' }),
        ]);
        const replay = await Promise.all(
          subs.map(async (s) => track(await openStream(srv.base, s.token, { lastEventId: lastMarkerId }))),
        );
        for (const [i, s] of subs.entries()) {
          const expected = written.filter((w) => canRead(s.reader, w)).map((w) => w.objectId);
          for (const c of [live[i]!, replay[i]!]) {
            await c.waitFor((ev) => ev.some((e) => idOf(e) === marker), 5000, marker);
            const got = c.events.map(idOf).filter((id) => id.startsWith(`x--${run}-`));
            expect(got).toEqual(expected);
          }
          expect(replay[i]!.events.map(idOf)).toEqual([...expected, marker]);
        }
        for (const c of replay) c.close();
        lastMarkerId = live[0]!.events.find((e) => idOf(e) === marker)!.id!;
      }),
      { numRuns: 25 },
    );
    for (const [i, s] of subs.entries()) {
      const got = live[i]!.events.map(num);
      expect(new Set(got).size).toBe(got.length);
      expect([...got].sort((a, b) => a - b)).toEqual(got);
      for (const e of live[i]!.events) {
        const r = known.get(idOf(e));
        if (r) expect(canRead(s.reader, r)).toBe(true);
      }
    }
  });

  it('sends the events of one relay round to each stream in one socket write, one buffer per audience', async () => {
    const [lt, lv, ee] = await Promise.all(['LT', 'LV', 'EE'].map((org) => tokenFor(srv.services, org)));
    const a = track(await openStream(srv.base, lt!));
    const b = track(await openStream(srv.base, lv!));
    const c = track(await openStream(srv.base, ee!));
    const writes: Array<{ socket: Socket; chunk: unknown }> = [];
    const proto = Socket.prototype as unknown as { write: (this: Socket, ...a: unknown[]) => boolean };
    const original = proto.write;
    proto.write = function (this: Socket, chunk: unknown, ...rest: unknown[]) {
      if (String(chunk).includes('incident--round-')) writes.push({ socket: this, chunk });
      return original.call(this, chunk, ...rest);
    };
    try {
      // Ten events appended together (one relay round); the last one, EE's own at TLP:RED, only EE may read.
      await emit(srv.services, [
        ...Array.from({ length: 9 }, (_, i) => green(`incident--round-${i}`)),
        green('incident--round-red', { author: 'EE', tlp: 'red' }),
      ]);
      await a.waitFor((ev) => ev.length === 9, 5000, 'nine events');
      await b.waitFor((ev) => ev.length === 9, 5000, 'nine events');
      await c.waitFor((ev) => ev.length === 10, 5000, 'ten events');
    } finally {
      proto.write = original;
    }
    // LT and LV get nine events, EE ten: each as one socket write.
    expect(writes).toHaveLength(3);
    expect(new Set(writes.map((w) => w.socket)).size).toBe(3);
    const [wa, wb, wc] = writes.map((w) => w.chunk);
    // LT and LV may read the same events: they share one buffer; EE's differs.
    expect(wa).toBe(wb);
    expect(wc).not.toBe(wa);
    expect(a.events.map(idOf)).not.toContain('incident--round-red');
    expect(c.events.map(idOf)).toContain('incident--round-red');
  });

  it('a slow subscriber is dropped without delaying a fast one, and resumes with nothing lost', async () => {
    const s2 = await startServer({ events: { maxQueuedBytes: 1024 * 1024, batchSize: 20 } });
    try {
      const token = await tokenFor(s2.services, 'PL');
      const fast = await openStream(s2.base, token);
      const slow = await openStream(s2.base, token);
      slow.pause();
      const big = 'x'.repeat(32 * 1024);
      const N = 600;
      const t0 = performance.now();
      for (let i = 0; i < N; i += 20) {
        await emit(
          s2.services,
          Array.from({ length: 20 }, (_, j) => green(`incident--${i + j}`, { payload: { big } })),
        );
      }
      await fast.waitFor((ev) => ev.length === N, 20_000, 'all events at the fast subscriber');
      const fastMs = performance.now() - t0;
      expect(fast.events.map(idOf)).toEqual(Array.from({ length: N }, (_, i) => `incident--${i}`));
      const admin = await tokenFor(s2.services, 'PL', 'operator');
      const hub = await fetch(`${s2.base}/metrics`, { headers: { authorization: `Bearer ${admin}` } }).then((r) =>
        r.text(),
      );
      expect(hub).toMatch(/bulwark_sse_subscribers 1\b/);
      slow.resume();
      await slow.ended;
      const got = slow.events.length;
      expect(got).toBeLessThan(N);
      const again = await openStream(s2.base, token, { lastEventId: slow.lastId() ?? '0' });
      await again.waitFor((ev) => got + ev.length >= N, 10_000, 'the rest after resuming');
      expect([...slow.events, ...again.events].map(idOf)).toEqual(fast.events.map(idOf));
      expect(fastMs).toBeLessThan(15_000);
      fast.close();
      again.close();
    } finally {
      await s2.stop();
    }
  });
});

describe('resume across a server restart on the same SQLite file', () => {
  it('replays what was missed, nothing twice, including rows committed while the server was down', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'bulwark-restart-'));
    let srv = await startServer({ dataDir });
    const token = await tokenFor(srv.services, 'PL');
    const c1 = await openStream(srv.base, token);
    await emit(srv.services, [
      green('incident--1'),
      green('incident--2'),
      green('incident--3', { tlp: 'red', author: 'DE' }),
    ]);
    await emit(srv.services, [green('incident--4')]);
    await c1.waitFor((ev) => ev.length === 3, 5000, 'three readable events');
    c1.close();
    const last = c1.lastId()!;
    await emit(srv.services, [green('incident--5')]);
    await srv.services.events.relay.flush();
    await srv.stop();
    // The server is down: another process commits a row straight into the outbox.
    const { openDatabase } = await import('../db/database.ts');
    const { appendToOutbox } = await import('../events/outbox.ts');
    const raw = await openDatabase({ dataDir });
    await appendToOutbox(raw.db, [green('incident--6')], new Date().toISOString());
    await raw.close();
    srv = await startServer({ dataDir });
    try {
      const c2 = await openStream(srv.base, token, { lastEventId: last });
      await emit(srv.services, [green('incident--7')]);
      await c2.waitFor((ev) => ev.some((e) => idOf(e) === 'incident--7'), 5000, 'the live event');
      const all = [...c1.events, ...c2.events];
      expect(all.map(idOf)).toEqual([
        'incident--1',
        'incident--2',
        'incident--4',
        'incident--5',
        'incident--6',
        'incident--7',
      ]);
      const codec = await eventIds(srv.services);
      const got = all.map((e) => codec.decode(e.id!) as number);
      expect(got).toEqual([...got].sort((a, b) => a - b));
      expect(new Set(got).size).toBe(got.length);
      // Shutting down with a stream open ends it instead of waiting for the client forever.
      const t0 = performance.now();
      await srv.stop();
      await c2.ended;
      expect(performance.now() - t0).toBeLessThan(5000);
    } finally {
      await srv.stop().catch(() => undefined);
    }
  });
});
