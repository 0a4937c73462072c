import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { sqliteFileStore } from '../../../test/databases.ts';

const report = (title: string, tlp: string, domain: string) => ({
  title,
  description: '',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp,
  location: { lat: 54.69, lon: 25.28 },
  observables: [
    { type: 'domain-name', value: domain },
    { type: 'ipv4-addr', value: '192.0.2.7' },
  ],
});

describe('read models on a SQLite file store with a reader thread', () => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  beforeEach(async () => {
    s = await testServer({ db: sqliteFileStore, config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0 } });
    [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
  });
  afterEach(async () => s.close());
  const post = (token: string, body: unknown) =>
    s.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}` },
      payload: body as object,
    });
  const get = (token: string, url: string) =>
    s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());

  it('picture, campaigns and common values run on the reader thread (the serving connection’s open write is not seen) and keep releasability', async () => {
    expect((await post(pl, report('a', 'green', 'evil.example'))).statusCode).toBe(201);
    expect((await post(pl, report('b', 'green', 'evil.example'))).statusCode).toBe(201);
    expect((await post(pl, report('hidden', 'red', 'evil.example'))).statusCode).toBe(201);
    const sqlite = s.services.database.sqlite!;
    // An uncommitted write on the serving connection: a query run there would count it, a reader thread cannot.
    sqlite.exec('begin');
    try {
      sqlite
        .prepare(
          "insert into intel_incidents (id, author, tlp, audience, category, title, occurred_at, iso_week, lat, lon, members, actor, created_at, modified, pending) values ('incident--x', 'LT', 'green', '', 'other', 'x', '2026-03-02T08:00:00.000Z', '2026-W10', null, null, ',LT,', null, '2026-03-02T08:00:00.000Z', '2026-03-02T08:00:00.000Z', 0)",
        )
        .run();
      sqlite.prepare("insert into intel_incident_members (incident_id, member) values ('incident--x', 'LT')").run();
      const picture = await s.services.intel.picture.picture({ kind: 'system', name: 'test' }, '2026-01-01T00:00:00Z');
      expect(picture).toMatchObject({ total: 3, byCategory: { cyber: 3 }, byMember: { LT: 3 } });
      expect((picture.changedSince as { newLinks: number }).newLinks).toBe(3);
      const first = await s.services.database.db
        .selectFrom('intel_incidents')
        .select('id')
        .where('title', '=', 'a')
        .executeTakeFirstOrThrow();
      sqlite
        .prepare(
          "insert into intel_links (a, b, score, reasons, created_at, updated_at) values (?, 'incident--x', 0.9, '[]', '2026-03-02T09:00:00.000Z', '2026-03-02T09:00:00.000Z')",
        )
        .run(first.id);
      const suggested = await s.services.intel.picture.campaigns({ kind: 'system', name: 'test' }, 50);
      expect(suggested.map((c) => c.incidents.length)).toEqual([3]);
    } finally {
      sqlite.exec('rollback');
    }
    // Through HTTP, as readers: LT never counts PL's red incident nor the links to it.
    expect(await get(lt, '/api/v1/picture')).toMatchObject({ total: 2, byMember: { LT: 2 } });
    expect(await get(pl, '/api/v1/picture')).toMatchObject({ total: 3 });
    const campaigns = (await get(lt, '/api/v1/campaigns')).items as Array<{ incidents: string[] }>;
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0]!.incidents).toHaveLength(2);
    expect((await get(pl, '/api/v1/campaigns')).items[0].incidents).toHaveLength(3);
  });

  it('common values count only what the reader may read, from the reader thread', async () => {
    await s.close();
    s = await testServer({ db: sqliteFileStore, config: { writeBudgetBytes: 0, writeBudgetCpuMs: 0 } });
    s.services.intel.correlation.settings.commonThreshold = 1;
    [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
    for (const [t, tlp] of [
      ['a', 'green'],
      ['b', 'green'],
      ['c', 'red'],
    ] as const)
      expect((await post(pl, report(t, tlp, `${t}.example`))).statusCode).toBe(201);
    const items = (await get(lt, '/api/v1/intel/common-values')).items as Array<{
      type: string;
      value: string;
      visibleIncidents: number;
    }>;
    expect(items).toEqual([{ type: 'ipv4-addr', value: '192.0.2.7', visibleIncidents: 2 }]);
    expect((await get(pl, '/api/v1/intel/common-values')).items).toEqual([
      { type: 'ipv4-addr', value: '192.0.2.7', visibleIncidents: 3 },
    ]);
  });
});
