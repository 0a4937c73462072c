import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';

const base = {
  title: 'DDoS against the rail operator',
  description: 'Layer-7 flood against ticketing',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  location: { lat: 54.69, lon: 25.28 },
  affectedMembers: ['LT'],
};

describe.each(testDatabases)('intel routes on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  let ua: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [pl, lt, ua] = await Promise.all([s.token('PL'), s.token('LT'), s.token('UA')]);
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
    s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });

  it('stores an incident as STIX with its extension, observables and location, and answers 201', async () => {
    const res = await post(pl, {
      ...base,
      observables: [
        { type: 'domain-name', value: 'Evil[.]Example.' },
        { type: 'url', value: 'hxxps://evil[.]example/pay#x' },
      ],
      tlp: 'green',
      reliability: 'B',
      credibility: 2,
    });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json();
    expect(inc.id).toMatch(/^incident--[0-9a-f-]{36}$/);
    expect(inc).toMatchObject({
      author: 'PL',
      tlp: 'green',
      reliability: 'B',
      credibility: 2,
      occurredAt: '2026-03-02T08:00:00.000Z',
    });
    expect(inc.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const stix = await s.services.knowledge.list({
      reader: { kind: 'system', name: 't' },
      scope: { kind: 'all' },
      versions: ['all'],
    });
    const types = stix.map((r) => r.type);
    expect(types).toEqual(
      expect.arrayContaining([
        'extension-definition',
        'identity',
        'incident',
        'domain-name',
        'url',
        'location',
        'relationship',
      ]),
    );
    const dn = stix.find((r) => r.type === 'domain-name')!;
    expect(JSON.parse(dn.json).value).toBe('evil.example');
    expect(JSON.parse(stix.find((r) => r.type === 'url')!.json).value).toBe('https://evil.example/pay');
    expect(dn.tlp).toBe('green');
    expect((await get(lt, `/api/v1/incidents/${inc.id}`)).json().title).toBe(base.title);
  });

  it('hides a red incident from other members (404, absent from lists) and rejects bad input with the field', async () => {
    const red = (await post(pl, { ...base, tlp: 'red' })).json();
    expect((await get(lt, `/api/v1/incidents/${red.id}`)).statusCode).toBe(404);
    expect((await get(lt, '/api/v1/incidents')).json().items).toEqual([]);
    expect((await get(pl, '/api/v1/incidents')).json().items).toHaveLength(1);
    const bad = await post(pl, { ...base, tlp: 'green', observables: [{ type: 'ipv4-addr', value: '300.1.1.1' }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('observables[0].value');
    const badMember = await post(pl, { ...base, tlp: 'green', affectedMembers: ['XX'] });
    expect(badMember.statusCode).toBe(400);
    const badTtp = await post(pl, {
      ...base,
      tlp: 'green',
      ttps: ['attack-pattern--00000000-0000-4000-8000-000000000000'],
    });
    expect(badTtp.statusCode).toBe(400);
    expect(badTtp.body).toContain('ttps[0]');
  });

  it('lists with filters in SQL and pages with an opaque cursor', async () => {
    for (let i = 0; i < 5; i++)
      await post(pl, {
        ...base,
        title: `t${i}`,
        occurredAt: `2026-03-0${i + 1}T08:00:00Z`,
        category: i % 2 ? 'cyber' : 'sabotage',
        affectedMembers: i < 2 ? ['EE'] : ['LT'],
        tlp: 'amber',
      });
    const p1 = (await get(lt, '/api/v1/incidents?limit=2')).json();
    expect(p1.items.map((x: { title: string }) => x.title)).toEqual(['t4', 't3']);
    const p2 = (await get(lt, `/api/v1/incidents?limit=2&cursor=${p1.next}`)).json();
    const p3 = (await get(lt, `/api/v1/incidents?limit=2&cursor=${p2.next}`)).json();
    expect([...p2.items, ...p3.items].map((x: { title: string }) => x.title)).toEqual(['t2', 't1', 't0']);
    expect(p3.next).toBeNull();
    expect((await get(lt, '/api/v1/incidents?category=cyber')).json().items).toHaveLength(2);
    expect((await get(lt, '/api/v1/incidents?member=EE')).json().items).toHaveLength(2);
    expect((await get(lt, '/api/v1/incidents?since=2026-03-04T00:00:00Z')).json().items).toHaveLength(2);
    expect((await get(ua, '/api/v1/incidents')).json().items).toHaveLength(0);
    expect((await get(lt, '/api/v1/incidents?cursor=garbage')).statusCode).toBe(400);
  });

  it('PATCH by the author makes a new version with history; others get 403 or 404', async () => {
    const inc = (
      await post(pl, { ...base, tlp: 'green', observables: [{ type: 'ipv4-addr', value: '203.0.113.7' }] })
    ).json();
    const patch = (token: string, body: unknown) =>
      s.app.inject({
        method: 'PATCH',
        url: `/api/v1/incidents/${inc.id}`,
        headers: { authorization: `Bearer ${token}` },
        payload: body as object,
      });
    expect((await patch(lt, { title: 'x' })).statusCode).toBe(403);
    const res = await patch(pl, {
      title: 'DDoS, second wave',
      observables: [{ type: 'ipv4-addr', value: '203.0.113.8' }],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().modified > inc.modified).toBe(true);
    const hist = (await get(lt, `/api/v1/incidents/${inc.id}/history`)).json().items;
    expect(hist.map((h: { title: string }) => h.title)).toEqual([base.title, 'DDoS, second wave']);
    const red = (await post(pl, { ...base, tlp: 'red' })).json();
    const hidden = await s.app.inject({
      method: 'PATCH',
      url: `/api/v1/incidents/${red.id}`,
      headers: { authorization: `Bearer ${lt}` },
      payload: { title: 'y' },
    });
    expect(hidden.statusCode).toBe(404);
    const rels = await s.services.knowledge.list({
      reader: { kind: 'system', name: 't' },
      scope: { kind: 'all' },
      types: ['relationship'],
    });
    const revoked = rels.map((r) => JSON.parse(r.json)).filter((o) => o.revoked === true);
    expect(revoked).toHaveLength(1);
  });

  it('correlates shared observables and reworded narratives, with reasons, and writes outbox events', async () => {
    const a = (
      await post(pl, {
        ...base,
        tlp: 'green',
        observables: [{ type: 'domain-name', value: 'evil.example' }],
        narratives: ['NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit'],
      })
    ).json();
    const b = (
      await post(lt, {
        ...base,
        title: 'b',
        tlp: 'green',
        observables: [
          { type: 'url', value: 'http://EVIL.example/x' },
          { type: 'domain-name', value: 'evil[.]example' },
        ],
        narratives: ['NATO troops secretly prepare to seize the Suwałki gap, blocking grain transit through Lithuania'],
      })
    ).json();
    const c = (
      await post(lt, {
        ...base,
        title: 'c',
        category: 'economic-pressure',
        location: { lat: 44.43, lon: 26.1 },
        tlp: 'green',
        narratives: ['Electricity prices in Romania will triple this winter because of EU sanctions'],
      })
    ).json();
    const corr = (await get(pl, `/api/v1/incidents/${a.id}/correlations`)).json().items;
    expect(corr).toHaveLength(1);
    expect(corr[0].id).toBe(b.id);
    expect(corr[0].reasons).toEqual(
      expect.arrayContaining([
        'shared domain-name evil.example',
        expect.stringMatching(/^narrative \d+% similar$/),
        expect.stringMatching(/^within 0 days and 0 km$/),
      ]),
    );
    expect(corr[0].score).toBeGreaterThan(0.7);
    expect((await get(pl, `/api/v1/incidents/${c.id}/correlations`)).json().items).toEqual([]);
    const events = await s.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('event', '=', 'correlation.found')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.tlp).toBe('red');
    expect(JSON.parse(events[0]!.payload).incidents.sort()).toEqual([a.id, b.id].sort());
    const created = await s.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('event', '=', 'incident.created')
      .execute();
    expect(created).toHaveLength(3);
    expect(JSON.parse(created[0]!.payload)).toMatchObject({
      id: a.id,
      title: base.title,
      category: 'cyber',
      affectedMembers: ['LT'],
      location: base.location,
    });
    const campaigns = (await get(lt, '/api/v1/campaigns')).json().items;
    expect(campaigns).toHaveLength(1);
    expect(campaigns[0].incidents.sort()).toEqual([a.id, b.id].sort());
    const pic = (await get(lt, '/api/v1/picture?since=2000-01-01T00:00:00Z')).json();
    expect(pic.byCategory).toEqual({ cyber: 2, 'economic-pressure': 1 });
    expect(pic.byMember).toEqual({ LT: 3 });
    expect(pic.changedSince.incidents).toHaveLength(3);
  });

  it('never shows a link to a hidden incident', async () => {
    const a = (
      await post(pl, { ...base, tlp: 'green', observables: [{ type: 'ipv4-addr', value: '198.51.100.1' }] })
    ).json();
    const b = (
      await post(lt, { ...base, tlp: 'red', observables: [{ type: 'ipv4-addr', value: '198.51.100.1' }] })
    ).json();
    expect((await get(lt, `/api/v1/incidents/${b.id}/correlations`)).json().items).toHaveLength(1);
    expect((await get(pl, `/api/v1/incidents/${a.id}/correlations`)).json().items).toEqual([]);
    expect((await get(pl, '/api/v1/campaigns')).json().items).toEqual([]);
    const events = await s.services.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('event', '=', 'correlation.found')
      .execute();
    expect(events).toHaveLength(1);
    expect(events[0]!.audience).toBe(',LT,');
  });

  it('treats a value carried by too many incidents as common', async () => {
    const threshold = s.services.intel.correlation.settings.commonThreshold;
    s.services.intel.correlation.settings.commonThreshold = 2;
    try {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++)
        ids.push(
          (
            await post(pl, {
              ...base,
              location: null,
              tlp: 'green',
              observables: [
                { type: 'domain-name', value: 'cdn.example' },
                ...(i >= 2 ? [{ type: 'ipv4-addr', value: '192.0.2.99' }] : []),
              ],
            })
          ).json().id,
        );
      const last = (await get(lt, `/api/v1/incidents/${ids[3]}/correlations`)).json().items;
      expect(last.map((x: { id: string }) => x.id)).toEqual([ids[2]]);
      expect(last[0].reasons).toContain('common value domain-name cdn.example ignored (seen in more than 2 incidents)');
      const commons = (await get(lt, '/api/v1/intel/common-values')).json().items;
      expect(commons).toEqual([{ type: 'domain-name', value: 'cdn.example', visibleIncidents: 4 }]);
    } finally {
      s.services.intel.correlation.settings.commonThreshold = threshold;
    }
  });
});
