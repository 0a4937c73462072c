import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';

const inc = (over: Record<string, unknown>) => ({
  title: 'DDoS',
  description: '',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [{ type: 'ipv4-addr', value: '198.51.100.9' }],
  ...over,
});

describe.each(testDatabases)('campaigns on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  let ee: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [pl, lt, ee] = await Promise.all([s.token('PL'), s.token('LT'), s.token('EE')]);
  });
  afterEach(async () => s.close());
  const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('confirms, renames, splits and merges; readers see a campaign only through incidents they may read', async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({}))).json().id as string;
    const b = (await call(pl, 'POST', '/api/v1/incidents', inc({ occurredAt: '2026-03-05T08:00:00Z' }))).json()
      .id as string;
    const c = (await call(pl, 'POST', '/api/v1/incidents', inc({ tlp: 'amber', audience: ['LT'] }))).json()
      .id as string;
    const suggested = (await call(lt, 'GET', '/api/v1/campaigns')).json().items;
    expect(suggested).toHaveLength(1);
    expect(suggested[0].status).toBe('suggested');
    expect(suggested[0].incidents).toHaveLength(3);
    expect((await call(ee, 'GET', '/api/v1/campaigns')).json().items[0].incidents).toHaveLength(2);

    const bad = await call(ee, 'POST', '/api/v1/campaigns', { name: 'x', incidents: [a, c], tlp: 'green' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('incidents[1]');
    const res = await call(lt, 'POST', '/api/v1/campaigns', {
      name: 'Grey Lantern DDoS wave',
      incidents: [a, b, c],
      confidence: 80,
      tlp: 'green',
    });
    expect(res.statusCode, res.body).toBe(201);
    const camp = res.json();
    expect(camp).toMatchObject({
      status: 'confirmed',
      author: 'LT',
      confidence: 80,
      membersTouched: ['LT'],
      firstSeen: '2026-03-02T08:00:00.000Z',
    });
    // The suggestion is covered by the confirmed campaign now.
    expect((await call(lt, 'GET', '/api/v1/campaigns')).json().items.map((x: { status: string }) => x.status)).toEqual([
      'confirmed',
    ]);
    // EE reads the campaign but only the two incidents it may read.
    expect((await call(ee, 'GET', `/api/v1/campaigns/${camp.id}`)).json().incidents).toEqual([a, b].sort());
    // Relationships to c are released only to who reads both: not EE.
    const rels = await s.services.knowledge.list({
      reader: { kind: 'org', org: 'EE', orgKind: 'member' },
      scope: { kind: 'all' },
      types: ['relationship'],
    });
    expect(
      rels
        .map((r) => JSON.parse(r.json))
        .filter((o) => o.source_ref === camp.id)
        .map((o) => o.target_ref)
        .sort(),
    ).toEqual([a, b].sort());

    expect((await call(pl, 'PATCH', `/api/v1/campaigns/${camp.id}`, { name: 'y' })).statusCode).toBe(403);
    expect((await call(lt, 'PATCH', `/api/v1/campaigns/${camp.id}`, { name: 'Grey Lantern' })).json().name).toBe(
      'Grey Lantern',
    );
    const split = await call(lt, 'POST', `/api/v1/campaigns/${camp.id}/split`, {
      incidents: [c],
      name: 'Restricted strand',
    });
    expect(split.statusCode, split.body).toBe(201);
    expect(split.json().from.incidents).toEqual([a, b].sort());
    expect(split.json().created.incidents).toEqual([c]);
    expect((await call(ee, 'GET', `/api/v1/campaigns/${split.json().created.id}`)).statusCode).toBe(404);
    const merged = await call(lt, 'POST', `/api/v1/campaigns/${camp.id}/merge`, { from: [split.json().created.id] });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().incidents).toHaveLength(3);
    expect((await call(lt, 'GET', `/api/v1/campaigns/${split.json().created.id}`)).statusCode).toBe(404);
    const versions = await s.services.knowledge.list({
      reader: { kind: 'system', name: 't' },
      scope: { kind: 'all' },
      ids: [camp.id],
      versions: ['all'],
    });
    expect(versions.length).toBe(4);
  });

  it('adds incidents its organisation may read to a campaign it confirmed, and no others', async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({}))).json().id as string;
    const b = (await call(pl, 'POST', '/api/v1/incidents', inc({ title: 'Second wave' }))).json().id as string;
    const hidden = (await call(pl, 'POST', '/api/v1/incidents', inc({ tlp: 'red' }))).json().id as string;
    const camp = (
      await call(lt, 'POST', '/api/v1/campaigns', { name: 'Rail DDoS', incidents: [a], tlp: 'green' })
    ).json();
    const added = await call(lt, 'POST', `/api/v1/campaigns/${camp.id}/incidents`, { incidents: [b] });
    expect(added.statusCode, added.body).toBe(200);
    expect([...added.json().incidents].sort()).toEqual([a, b].sort());
    const refused = await call(lt, 'POST', `/api/v1/campaigns/${camp.id}/incidents`, { incidents: [hidden] });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('incidents[0]');
    expect(refused.body).not.toContain('DDoS');
    expect((await call(ee, 'POST', `/api/v1/campaigns/${camp.id}/incidents`, { incidents: [a] })).statusCode).toBe(403);
    expect((await call(lt, 'GET', `/api/v1/campaigns/${camp.id}`)).json().incidents).toHaveLength(2);
  });
});
