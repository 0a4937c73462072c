import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import type { PivotResultT, SearchResultT } from './search.schema.ts';

const inc = (over: Record<string, unknown>) => ({
  title: 'DDoS on ministry portals',
  description: 'Volumetric attack on government web portals.',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [{ type: 'ipv4-addr', value: '198.51.100.9' }],
  ...over,
});

describe.each(testDatabases)('search on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  let ua: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [pl, lt, ua] = await Promise.all([s.token('PL'), s.token('LT'), s.token('UA')]);
  });
  afterEach(async () => s.close());
  const call = (token: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    s.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
  const report = async (token: string, over: Record<string, unknown>) => {
    const res = await call(token, 'POST', '/api/v1/incidents', inc(over));
    expect(res.statusCode).toBe(201);
    return res.json<{ id: string }>().id;
  };
  const search = async (token: string, q: string) => {
    const res = await call(token, 'GET', `/api/v1/search?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
    return res.json<SearchResultT>().items;
  };
  const pivot = async (token: string, type: string, value: string) => {
    const res = await call(token, 'GET', `/api/v1/search/pivot?type=${type}&value=${encodeURIComponent(value)}`);
    expect(res.statusCode).toBe(200);
    return res.json<PivotResultT>().items.map((i) => i.id);
  };

  it('finds titles, descriptions, observables and narratives, across every incident that holds them', async () => {
    const ids = [];
    for (let n = 0; n < 4; n++) ids.push(await report(pl, { title: `Scan wave ${n}` }));
    const narr = await report(lt, {
      title: 'Forged evacuation notices',
      description: 'Text messages told residents of Klaipeda to leave.',
      category: 'disinformation',
      observables: [{ type: 'narrative', value: 'The port will be closed because of a chemical leak' }],
    });
    const byIp = await search(lt, '198.51.100.9');
    expect(byIp.map((h) => h.id).sort()).toEqual([...ids].sort());
    expect(byIp[0]!.matches[0]).toMatchObject({ field: 'observable', text: '198.51.100.9' });
    expect((await search(lt, 'chemical leak')).map((h) => [h.id, h.matches[0]!.field])).toEqual([[narr, 'narrative']]);
    expect((await search(lt, 'residents')).map((h) => [h.id, h.matches[0]!.field])).toEqual([[narr, 'description']]);
    // a prefix of the last word, and several words that must all match
    expect((await search(lt, 'Forged evac')).map((h) => h.id)).toEqual([narr]);
    expect(await search(lt, 'forged scan')).toEqual([]);
    // the pivot: every incident with this value, in any spelling the form accepts
    expect((await pivot(lt, 'ipv4-addr', '198[.]51[.]100[.]9')).sort()).toEqual([...ids].sort());
    // an edit re-indexes: the old title no longer matches, the new one does
    const patched = await call(lt, 'PATCH', `/api/v1/incidents/${narr}`, { title: 'Fake evacuation SMS' });
    expect(patched.statusCode).toBe(200);
    expect(await search(lt, 'forged')).toEqual([]);
    expect((await search(lt, 'SMS')).map((h) => h.id)).toEqual([narr]);
  });

  it('applies the releasability table: hidden incidents leave no trace in results or pivots', async () => {
    const red = await report(pl, { title: 'Cable cut near Gotland', tlp: 'red' });
    const forLt = await report(pl, { title: 'Cable cut near Klaipeda', tlp: 'amber', audience: ['LT'] });
    const amber = await report(pl, { title: 'Cable cut near Ventspils', tlp: 'amber' });
    const green = await report(pl, { title: 'Cable cut near Tallinn', tlp: 'green' });
    const ids = async (token: string) => (await search(token, 'cable')).map((h) => h.id).sort();
    expect(await ids(pl)).toEqual([red, forLt, amber, green].sort());
    expect(await ids(lt)).toEqual([forLt, amber, green].sort());
    const ee = await s.token('EE');
    expect(await ids(ee)).toEqual([amber, green].sort());
    // a partner reads green only (amber without audience is for members)
    expect(await ids(ua)).toEqual([green]);
    expect(await pivot(ua, 'ipv4-addr', '198.51.100.9')).toEqual([green]);
    expect((await pivot(lt, 'ipv4-addr', '198.51.100.9')).sort()).toEqual([forLt, amber, green].sort());
  });

  it('finds confirmed campaigns by name only for readers of one of their incidents', async () => {
    const a = await report(pl, { title: 'Botnet wave A', tlp: 'amber', audience: ['LT'] });
    const b = await report(pl, { title: 'Botnet wave B', tlp: 'amber', audience: ['LT'] });
    const res = await call(pl, 'POST', '/api/v1/campaigns', {
      name: 'Operation Nightjar',
      incidents: [a, b],
      confidence: 60,
      tlp: 'green',
    });
    expect(res.statusCode).toBe(201);
    const campaign = res.json<{ id: string }>().id;
    expect((await search(lt, 'nightjar')).map((h) => [h.kind, h.id])).toEqual([['campaign', campaign]]);
    expect(await search(await s.token('EE'), 'nightjar')).toEqual([]);
  });

  it("names a response's course of action for its readers only", async () => {
    const target = await report(pl, { title: 'Jamming near Elbląg', tlp: 'green' });
    const res = await call(pl, 'POST', '/api/v1/responses', {
      title: 'Joint attribution',
      target,
      courseOfAction: { name: 'Attribute the jamming jointly', description: 'Publish a joint statement.' },
      participants: ['PL', 'LT'],
      tlp: 'amber+strict',
      audience: ['PL', 'LT'],
    });
    expect(res.statusCode).toBe(201);
    const coa = res.json<{ courseOfAction: string }>().courseOfAction;
    const names = async (token: string) =>
      (await call(token, 'GET', `/api/v1/names?ids=${coa},${target}`)).json<{ items: unknown[] }>().items;
    expect(await names(lt)).toEqual([
      { id: coa, type: 'course-of-action', name: 'Attribute the jamming jointly' },
      { id: target, type: 'incident', name: 'Jamming near Elbląg' },
    ]);
    expect(await names(await s.token('EE'))).toEqual([{ id: target, type: 'incident', name: 'Jamming near Elbląg' }]);
    expect((await call(lt, 'GET', '/api/v1/names?ids=not-an-id')).statusCode).toBe(400);
  });

  it('names the field of bad input', async () => {
    const empty = await call(pl, 'GET', '/api/v1/search?q=%20');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('q');
    const long = await call(pl, 'GET', `/api/v1/search?q=${'x'.repeat(201)}`);
    expect(long.statusCode).toBe(400);
    const bad = await call(pl, 'GET', '/api/v1/search/pivot?type=ipv4-addr&value=not-an-ip');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { field: 'value' } });
    const kind = await call(pl, 'GET', '/api/v1/search/pivot?type=narrative&value=x');
    expect(kind.json()).toMatchObject({ error: { field: 'type' } });
    // FTS syntax in the input is taken as text, never as an operator
    expect(await search(pl, 'NEAR( "x" OR * -')).toEqual([]);
  });
});
