import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { nameUuid } from '../stix/stix.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';

/**
 * Ids intel makes for its own objects (an incident's location, actor and relationships; campaign and
 * response links) are random: a member that can compute them from what it reads could store an object
 * under that id first, and the author's next version would then be refused.
 */
const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance';
const V4 = /^[a-z-]+--[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T = '2026-03-01T00:00:00.000Z';
const inc = (over: Record<string, unknown>) => ({
  title: 'DDoS',
  description: '',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  location: { lat: 54.69, lon: 25.28 },
  actor: { name: 'Grey Lantern', kind: 'intrusion-set' },
  observables: [{ type: 'ipv4-addr', value: '198.51.100.9' }],
  ...over,
});

describe.each(testDatabases)('intel child ids on $name', (tdb) => {
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
  const squat = async (token: string, objects: object[]) => {
    const res = await s.app.inject({
      method: 'POST',
      url: `${COLL}/objects/`,
      headers: { authorization: `Bearer ${token}`, accept: TAXII, 'content-type': TAXII },
      payload: JSON.stringify({ objects }),
    });
    expect(res.json().success_count, res.body).toBe(objects.length);
  };
  const stored = async (author: string, type: string) =>
    (
      await s.services.knowledge.list({
        reader: { kind: 'system', name: 't' },
        scope: { kind: 'all' },
        types: [type],
        versions: ['all'],
      })
    )
      .filter((r) => r.author === author)
      .map((r) => r.id);

  it("a reader cannot take the ids of an incident's children before its author narrows it", async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({}))).json();
    // What the children of a TLP:RED version were named by: the incident id, the release and the content, all known to LT.
    const seed = `${a.id}|red|`;
    const loc = `location--${nameUuid(`${seed}|location|54.69|25.28`)}`;
    const actor = `intrusion-set--${nameUuid(`${seed}|intrusion-set|Grey Lantern`)}`;
    const rel = `relationship--${nameUuid(`${seed}|located-at|${loc}`)}`;
    const green = [TLP2_MARKING_IDS.green];
    await squat(lt, [
      {
        type: 'location',
        spec_version: '2.1',
        id: loc,
        created: T,
        modified: T,
        latitude: 0,
        longitude: 0,
        object_marking_refs: green,
      },
      {
        type: 'intrusion-set',
        spec_version: '2.1',
        id: actor,
        created: T,
        modified: T,
        name: 'decoy',
        object_marking_refs: green,
      },
      {
        type: 'relationship',
        spec_version: '2.1',
        id: rel,
        created: T,
        modified: T,
        relationship_type: 'related-to',
        source_ref: loc,
        target_ref: actor,
        object_marking_refs: green,
      },
    ]);
    const res = await call(pl, 'PATCH', `/api/v1/incidents/${a.id}`, { tlp: 'red' });
    expect(res.statusCode, res.body).toBe(200);
    for (const type of ['location', 'intrusion-set', 'relationship']) {
      const ids = await stored('PL', type);
      expect(ids.length).toBeGreaterThan(0);
      for (const id of ids) expect(id).toMatch(V4);
    }
    // Unchanged children keep their ids across versions (duplicates, not new objects); dropped ones are revoked.
    const before = await stored('PL', 'location');
    await call(pl, 'PATCH', `/api/v1/incidents/${a.id}`, { title: 'renamed' });
    expect(await stored('PL', 'location')).toEqual(before);
    await call(pl, 'PATCH', `/api/v1/incidents/${a.id}`, { location: null });
    const locs = await s.services.knowledge.list({
      reader: { kind: 'system', name: 't' },
      scope: { kind: 'all' },
      types: ['relationship'],
      versions: ['last'],
    });
    const located = locs.filter((r) => r.author === 'PL' && JSON.parse(r.json).relationship_type === 'located-at');
    expect(located.every((r) => JSON.parse(r.json).revoked === true)).toBe(true);
  });

  it('a reader cannot take the id of a campaign link before the author merges campaigns', async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({}))).json().id as string;
    const b = (
      await call(pl, 'POST', '/api/v1/incidents', inc({ observables: [{ type: 'ipv4-addr', value: '198.51.100.77' }] }))
    ).json().id as string;
    const c1 = (await call(lt, 'POST', '/api/v1/campaigns', { name: 'one', incidents: [a], tlp: 'green' })).json()
      .id as string;
    const c2 = (await call(lt, 'POST', '/api/v1/campaigns', { name: 'two', incidents: [b], tlp: 'green' })).json()
      .id as string;
    // EE reads both campaigns and incidents: it could name the link c1 → b the merge writes.
    const link = `relationship--${nameUuid(`${c1}|related-to|${b}`)}`;
    await squat(ee, [
      {
        type: 'relationship',
        spec_version: '2.1',
        id: link,
        created: T,
        modified: T,
        relationship_type: 'related-to',
        source_ref: c1,
        target_ref: b,
        object_marking_refs: [TLP2_MARKING_IDS.green],
      },
    ]);
    const res = await call(lt, 'POST', `/api/v1/campaigns/${c1}/merge`, { from: [c2] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().incidents).toEqual([a, b].sort());
    for (const id of await stored('LT', 'relationship')) expect(id).toMatch(V4);
  });

  it('response links get random ids', async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({}))).json().id as string;
    const r = await call(lt, 'POST', '/api/v1/responses', {
      title: 'Block',
      target: a,
      courseOfAction: { name: 'Block the C2' },
      participants: ['LT'],
      tlp: 'green',
    });
    expect(r.statusCode, r.body).toBe(201);
    const ids = await stored('LT', 'relationship');
    expect(ids).toHaveLength(1);
    expect(ids[0]).toMatch(V4);
  });
});
