import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { loadConfig } from '../config.ts';
import { WriteBudgets, WriteGate } from './write-budget.ts';

const incident = (i: number, padding = 0) => ({
  title: `report ${i}`,
  description: 'd'.repeat(padding),
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [{ type: 'domain-name', value: `host-${i}.example` }],
});

describe('write budgets', () => {
  it('refills a minute’s budget evenly and tells how long to wait once it is spent', () => {
    let now = 0;
    const b = new WriteBudgets({ bytesPerMinute: 1000, cpuMsPerMinute: 600, now: () => now });
    expect(b.wait('u')).toBe(0);
    b.chargeBytes('u', 1500); // the request that spends it goes through, overdrawn
    expect(b.wait('u')).toBe(31); // 501 bytes at 1,000 a minute
    expect(b.wait('other')).toBe(0); // per user
    now += 31_000;
    expect(b.wait('u')).toBe(0);
    b.chargeCpu('u', 700);
    expect(b.wait('u')).toBe(11); // 101 ms at 600 a minute
    expect(new WriteBudgets({ bytesPerMinute: 0, cpuMsPerMinute: 0 }).enabled).toBe(false);
  });

  it('configuration: defaults, 0 disables, nonsense names the variable', () => {
    expect(loadConfig({}, {})).toMatchObject({ writeBudgetBytes: 16 * 1024 * 1024, writeBudgetCpuMs: 15_000 });
    expect(loadConfig({}, { BULWARK_WRITE_BUDGET_BYTES: '0', BULWARK_WRITE_BUDGET_CPU_MS: '2500' })).toMatchObject({
      writeBudgetBytes: 0,
      writeBudgetCpuMs: 2500,
    });
    expect(() => loadConfig({}, { BULWARK_WRITE_BUDGET_BYTES: '1e3x' })).toThrow(/BULWARK_WRITE_BUDGET_BYTES/);
    expect(() => loadConfig({}, { BULWARK_WRITE_BUDGET_CPU_MS: '-1' })).toThrow(/BULWARK_WRITE_BUDGET_CPU_MS/);
    expect(() => loadConfig({}, { BULWARK_WAL_LIMIT_BYTES: '10' })).toThrow(/BULWARK_WAL_LIMIT_BYTES/);
  });

  describe('over HTTP', () => {
    let s: TestServer;
    afterEach(async () => s.close());
    const post = (token: string, body: unknown) =>
      s.app.inject({
        method: 'POST',
        url: '/api/v1/incidents',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });

    it('answers 429 with Retry-After once a user has written its bytes for the minute; others write on, reads go on', async () => {
      s = await testServer({ config: { writeBudgetBytes: 30_000, writeBudgetCpuMs: 0 } });
      const [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
      expect((await post(pl, incident(1, 18_000))).statusCode).toBe(201);
      expect((await post(pl, incident(2, 18_000))).statusCode).toBe(201); // spends the rest, and more
      const refused = await post(pl, incident(3));
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect(refused.json().error.message).toContain('write budget');
      expect((await post(lt, incident(4))).statusCode).toBe(201);
      expect(
        (
          await s.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${pl}` } })
        ).json().items,
      ).toHaveLength(3);
      // TAXII writes by the same user draw on the same budget.
      const taxii = await s.app.inject({
        method: 'POST',
        url: '/taxii2/alliance/collections/org-pl/objects/',
        payload: JSON.stringify({ objects: [] }),
        headers: {
          authorization: `Bearer ${pl}`,
          accept: 'application/taxii+json;version=2.1',
          'content-type': 'application/taxii+json;version=2.1',
        },
      });
      expect(taxii.statusCode).toBe(429);
      expect(taxii.headers['retry-after']).toBeDefined();
    });

    it('answers 429 once a user’s writes have taken their event-loop time for the minute', async () => {
      s = await testServer({ config: { writeBudgetBytes: 0, writeBudgetCpuMs: 1 } });
      const [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
      expect((await post(pl, incident(1))).statusCode).toBe(201); // a report takes milliseconds of the loop
      const refused = await post(pl, incident(2));
      expect(refused.statusCode).toBe(429);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await post(lt, incident(3))).statusCode).toBe(201);
    });
  });
});

describe('write gate', () => {
  it('runs at most its slots at once and gives a freed slot to the user with the fewest writes running, then the least recent use', async () => {
    const used = new Map([
      ['poster', 1000],
      ['busy', 5000],
      ['light', 10],
    ]);
    const gate = new WriteGate(1, (u) => used.get(u) ?? 0);
    const order: string[] = [];
    const reqs = Array.from({ length: 6 }, () => ({}));
    const enter = (i: number, user: string) => gate.enter(reqs[i]!, user).then(() => order.push(`${user}${i}`));
    await enter(0, 'poster');
    const later = [enter(1, 'poster'), enter(2, 'poster'), enter(3, 'busy'), enter(4, 'light'), enter(5, 'new')];
    await Promise.resolve();
    expect(order).toEqual(['poster0']);
    expect(gate.queued).toBe(5);
    for (let i = 0; i < 5; i++) {
      gate.leave(reqs[Number(order.at(-1)!.slice(-1))]!); // the one running ends
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(later);
    // Whoever has used the loop least lately goes first; the poster's queue does not hold the others back.
    expect(order).toEqual(['poster0', 'new5', 'light4', 'poster1', 'poster2', 'busy3']);
    gate.leave(reqs[3]!);
    const abandoned = {};
    void gate.enter({}, 'x');
    void gate.enter(abandoned, 'y');
    gate.leave(abandoned); // gave up while waiting: never admitted
    expect(gate.queued).toBe(0);
  });
});

describe('write queue bounds (admission control)', () => {
  it('refuses once as many writes wait as allowed, or the oldest waited too long, and says when to come back', async () => {
    let now = 0;
    const gate = new WriteGate(1, () => 0, { maxQueued: 3, maxWaitMs: 500, now: () => now });
    const reqs = Array.from({ length: 5 }, () => ({}));
    expect(gate.refusal()).toBeUndefined();
    await gate.enter(reqs[0]!, 'a'); // runs
    now += 100; // it took 100 ms
    gate.leave(reqs[0]!);
    await gate.enter(reqs[1]!, 'a'); // runs
    for (const r of reqs.slice(2)) void gate.enter(r, 'b'); // three wait
    expect(gate.queued).toBe(3);
    // Three waiting, the bound: the next one is told to come back once the queue ahead is through.
    expect(gate.refusal()).toBe(1);
    gate.leave(reqs[2]!); // one gave up waiting
    expect(gate.refusal()).toBeUndefined(); // two waiting, not for long
    now += 500;
    expect(gate.refusal()).toBe(1); // the oldest has waited 500 ms
    const slow = new WriteGate(1, () => 0, { maxQueued: 1, maxWaitMs: 0, now: () => now });
    await slow.enter({}, 'a');
    void slow.enter({}, 'a');
    expect(slow.refusal()).toBeGreaterThanOrEqual(1);
    let lag = 0;
    const lagging = new WriteGate(2, () => 0, { maxQueued: 0, maxWaitMs: 500, lagMs: () => lag, now: () => now });
    expect(lagging.refusal()).toBeUndefined(); // nothing waits, the loop keeps up
    lag = 2400;
    expect(lagging.refusal()).toBe(3); // the loop is 2.4 s behind: come back once it has caught up
    const unbounded = new WriteGate(1, () => 0);
    await unbounded.enter({}, 'a');
    for (let i = 0; i < 1000; i++) void unbounded.enter({}, 'a');
    expect(unbounded.refusal()).toBeUndefined();
  });

  it('over HTTP: while the event loop is behind, writes get 503 with Retry-After and store nothing; then they are taken', async () => {
    const s = await testServer({ config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0, writeQueueWaitMs: 150 } });
    try {
      const [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
      const post = (token: string, i: number) =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          payload: JSON.stringify(incident(i)),
        });
      expect((await post(pl, 1)).statusCode).toBe(201);
      // A backlog, as a burst of writes makes it: the loop is busy for 400 ms on end.
      const until = performance.now() + 400;
      while (performance.now() < until);
      await new Promise((r) => setTimeout(r, 30)); // the lag timer fires, late
      const refused = await post(lt, 2);
      expect(refused.statusCode).toBe(503);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.json().error.code).toBe('unavailable');
      // It says what to do, not how many writes (other members' too) wait.
      expect(refused.json().error.message).not.toMatch(/\d+ waiting/);
      // Reads go on.
      const list = () =>
        s.app.inject({ method: 'GET', url: '/api/v1/incidents', headers: { authorization: `Bearer ${pl}` } });
      expect((await list()).statusCode).toBe(200);
      // Once the loop has caught up, writes are taken again; the refused one was never stored.
      await new Promise((r) => setTimeout(r, 1000));
      expect((await post(lt, 3)).statusCode).toBe(201);
      expect(
        (await list())
          .json()
          .items.map((x: { title: string }) => x.title)
          .sort(),
      ).toEqual(['report 1', 'report 3']);
    } finally {
      await s.close();
    }
  });

  it('over HTTP: a burst of reports past a transaction batch queues in a bounded gate and gets 503', async () => {
    // Reports share transactions (group commit) and skip the two-slot gate; without a gate of their own a
    // burst had every report in flight at once, none refused, all answering late (issue 19's burst).
    const s = await testServer({
      config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0, writeQueueMax: 1, writeQueueWaitMs: 0 },
    });
    try {
      const pl = await s.token('PL');
      const post = (i: number) =>
        s.app.inject({
          method: 'POST',
          url: '/api/v1/incidents',
          headers: { authorization: `Bearer ${pl}`, 'content-type': 'application/json' },
          payload: JSON.stringify(incident(i)),
        });
      const answers = await Promise.all(Array.from({ length: 80 }, (_, i) => post(i)));
      const refused = answers.filter((a) => a.statusCode === 503);
      const stored = answers.filter((a) => a.statusCode === 201);
      expect(refused.length).toBeGreaterThan(0);
      expect(stored.length + refused.length).toBe(80);
      for (const r of refused) expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      // What was refused was never stored; what was answered 201 was.
      const list = await s.app.inject({
        method: 'GET',
        url: '/api/v1/incidents?limit=100',
        headers: { authorization: `Bearer ${pl}` },
      });
      expect(list.json().items).toHaveLength(stored.length);
    } finally {
      await s.close();
    }
  });

  it('configuration: defaults and 0 for no bound', () => {
    expect(loadConfig({}, {})).toMatchObject({ writeQueueMax: 200, writeQueueWaitMs: 2000 });
    expect(loadConfig({}, { BULWARK_WRITE_QUEUE_MAX: '0', BULWARK_WRITE_QUEUE_WAIT_MS: '0' })).toMatchObject({
      writeQueueMax: 0,
      writeQueueWaitMs: 0,
    });
    expect(() => loadConfig({}, { BULWARK_WRITE_QUEUE_WAIT_MS: 'soon' })).toThrow(/BULWARK_WRITE_QUEUE_WAIT_MS/);
  });
});
