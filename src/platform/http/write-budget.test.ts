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
