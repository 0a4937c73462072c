import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { exportBundle } from '../knowledge/knowledge.export.ts';

/**
 * Intel's derived views (correlations, picture, campaigns, links, common values) follow every write
 * path the same way, and no aggregate shown to a reader is computed over what it may not read.
 */
const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance';
const TITLE = 'Narrowable flood on the grid';
const inc = (over: Record<string, unknown>) => ({
  title: 'DDoS',
  description: '',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  affectedMembers: ['LT'],
  tlp: 'green',
  observables: [
    { type: 'domain-name', value: 'c2.narrow.example' },
    { type: 'url', value: 'https://c2.narrow.example/x' },
  ],
  ...over,
});
type Obj = Record<string, unknown> & { id: string; modified: string };
const later = (t: string) => new Date(Date.parse(t) + 1000).toISOString();

describe.each(testDatabases)('intel views on $name', (tdb) => {
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
  const taxii = (token: string, method: 'GET' | 'POST' | 'DELETE', url: string, objects?: object[]) =>
    s.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, accept: TAXII, ...(objects ? { 'content-type': TAXII } : {}) },
      ...(objects ? { payload: JSON.stringify({ objects }) } : {}),
    });
  const stix = async (token: string, id: string): Promise<Obj> =>
    (await taxii(token, 'GET', `${COLL}/objects/${id}/`)).json().objects[0];
  /** A new version of a stored object with another TLP, posted by its author over TAXII. */
  const repost = async (token: string, id: string, tlp: Tlp) => {
    const o = await stix(token, id);
    const res = await taxii(token, 'POST', `${COLL}/objects/`, [
      { ...o, modified: later(o.modified), object_marking_refs: [TLP2_MARKING_IDS[tlp]] },
    ]);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json().success_count, res.body).toBe(1);
  };

  /** PL's incident A and LT's incident B share a domain and a URL (a strong link); LT confirms a campaign of both. */
  const scene = async (tlpA: Tlp = 'green') => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({ title: TITLE, tlp: tlpA }))).json().id as string;
    const b = (await call(lt, 'POST', '/api/v1/incidents', inc({ occurredAt: '2026-03-03T08:00:00Z' }))).json()
      .id as string;
    const camp = await call(lt, 'POST', '/api/v1/campaigns', {
      name: 'Grid wave',
      incidents: tlpA === 'green' ? [a, b] : [b],
      tlp: 'green',
    });
    expect(camp.statusCode, camp.body).toBe(201);
    return { a, b, campaign: camp.json().id as string };
  };

  /** Every view of `reader` that still names incident `a` (empty: none). */
  const showing = async (reader: string, a: string, b: string, campaign: string): Promise<string[]> => {
    const out: string[] = [];
    if ((await call(reader, 'GET', `/api/v1/incidents/${b}/correlations`)).body.includes(a)) out.push('correlations');
    const pic = (await call(reader, 'GET', '/api/v1/picture?since=2026-01-01T00:00:00Z')).body;
    if (pic.includes(a) || pic.includes(TITLE) || JSON.parse(pic).total !== 1) out.push('picture');
    const camps = (await call(reader, 'GET', '/api/v1/campaigns')).body;
    if (camps.includes(a) || camps.includes(TITLE)) out.push('campaigns');
    if ((await call(reader, 'GET', `/api/v1/campaigns/${campaign}`)).body.includes(a)) out.push('campaign');
    if ((await call(reader, 'GET', '/api/v1/incidents')).body.includes(a)) out.push('list');
    const rels = (await taxii(reader, 'GET', `${COLL}/objects/?match[type]=relationship`)).json().objects as Array<{
      target_ref: string;
      revoked?: boolean;
    }>;
    if (rels.some((r) => r.target_ref === a && r.revoked !== true)) out.push('campaign link');
    return out;
  };

  it('a narrowing over TAXII hides the incident from every derived view, as over REST', async () => {
    const { a, b, campaign } = await scene();
    expect(await showing(ee, a, b, campaign)).toEqual([
      'correlations',
      'picture',
      'campaigns',
      'campaign',
      'list',
      'campaign link',
    ]);
    await repost(pl, a, 'red');
    expect((await call(ee, 'GET', `/api/v1/incidents/${a}`)).statusCode).toBe(404);
    expect(await showing(ee, a, b, campaign)).toEqual([]);
    expect(await showing(lt, a, b, campaign)).toEqual([]);
    // The author still sees its own incident everywhere it belongs.
    expect((await call(pl, 'GET', '/api/v1/picture')).json().total).toBe(2);
  });

  it('a narrowing is retroactive for the events derived from the incident: a replay from the start no longer names it', async () => {
    const { a } = await scene();
    const replay = async (org: string) => {
      await s.services.events.relay.flush();
      return JSON.stringify(
        await s.services.events.outbox.replay({ kind: 'org', org, orgKind: 'member' }, 0, undefined, 10_000),
      );
    };
    expect(await replay('EE')).toContain(a);
    expect(await replay('EE')).toContain('correlation.found');
    await repost(pl, a, 'red');
    expect(await replay('EE')).not.toContain(a);
    expect(await replay('EE')).not.toContain(TITLE);
    expect(await replay('LT')).not.toContain(a);
    expect(await replay('PL')).toContain(TITLE);
    // Widening later never reopens the events of the narrower time.
    await repost(pl, a, 'green');
    const after = JSON.parse(await replay('EE')) as Array<{ event: string; payload: string }>;
    expect(after.filter((e) => e.event === 'correlation.found')).toEqual([]);
  });

  it('a narrowing withholds on replay an announcement of several links that names the incident, whole', async () => {
    const de = await s.token('DE');
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({ title: TITLE }))).json().id as string;
    const b = (await call(lt, 'POST', '/api/v1/incidents', inc({ occurredAt: '2026-03-03T08:00:00Z' }))).json()
      .id as string;
    const x = (await call(de, 'POST', '/api/v1/incidents', inc({ occurredAt: '2026-03-04T08:00:00Z' }))).json()
      .id as string;
    const announcements = async (org: string) => {
      await s.services.events.relay.flush();
      const events = await s.services.events.outbox.replay(
        { kind: 'org', org, orgKind: 'member' },
        0,
        undefined,
        10_000,
      );
      return events
        .filter((e) => e.event === 'correlation.found')
        .map((e) => JSON.parse(e.payload) as { incidents: string[]; links?: Array<{ incidents: string[] }> });
    };
    // X's links to A and B have one release (everyone reads all three): one event lists both.
    const [both] = (await announcements('EE')).filter((p) => p.links);
    expect(both!.links!.map((l) => l.incidents.find((i) => i !== x)).sort()).toEqual([a, b].sort());
    await repost(pl, a, 'red');
    for (const org of ['EE', 'LT', 'DE']) expect(JSON.stringify(await announcements(org))).not.toContain(a);
    // The author of A still reads it, and so the announcement.
    expect((await announcements('PL')).some((p) => p.links?.length === 2)).toBe(true);
  });

  it('a narrowing by deleting the wider latest version over TAXII, and a widening over TAXII, update the views', async () => {
    const { a, b, campaign } = await scene();
    await repost(pl, a, 'red');
    expect(await showing(ee, a, b, campaign)).toEqual([]);
    await repost(pl, a, 'green');
    // Widened: the incident is back in the index, its correlations and suggestions (the withdrawn campaign link stays withdrawn).
    const back = await showing(ee, a, b, campaign);
    expect(back).toEqual(expect.arrayContaining(['correlations', 'picture', 'campaigns', 'campaign', 'list']));
    const green = await stix(pl, a);
    const del = await s.app.inject({
      method: 'DELETE',
      url: `${COLL}/objects/${a}/?match[version]=${green.modified}`,
      headers: { authorization: `Bearer ${pl}`, accept: TAXII },
    });
    expect(del.statusCode, del.body).toBe(200);
    // The red version is the latest one again.
    expect(await showing(ee, a, b, campaign)).toEqual([]);
  });

  it('an incident first posted over TAXII is indexed as one reported over REST; a malformed extension is refused', async () => {
    const { a } = await scene();
    const o = await stix(pl, a);
    const copy = { ...o, id: 'incident--6f1c6f2e-9f55-4b0b-8a43-0d6a3c4c1e11', created: o.created };
    const bad = {
      ...o,
      id: 'incident--7f1c6f2e-9f55-4b0b-8a43-0d6a3c4c1e12',
      extensions: {
        ...(o.extensions as object),
        'extension-definition--b7d3c1a2-4e5f-4a6b-8c9d-0e1f2a3b4c5d': {
          extension_type: 'property-extension',
          category: 'nonsense',
        },
      },
    };
    const res = await taxii(pl, 'POST', `${COLL}/objects/`, [copy, bad]);
    // The extension's shape is checked on every write path, so the malformed one never reaches the store.
    expect(res.json().success_count, res.body).toBe(1);
    expect(res.json().failures.map((f: { id: string }) => f.id)).toEqual([bad.id]);
    const listed = (await call(ee, 'GET', '/api/v1/incidents')).json().items.map((i: { id: string }) => i.id);
    expect(listed).toContain(copy.id);
    expect(listed).not.toContain(bad.id);
    expect(
      (await call(ee, 'GET', `/api/v1/incidents/${copy.id}/correlations`))
        .json()
        .items.map((l: { id: string }) => l.id),
    ).toContain(a);
  });

  it("an import (the same write inside the importer's transaction) narrows every derived view", async () => {
    const { a, b, campaign } = await scene();
    const o = await stix(pl, a);
    const k = s.services.knowledge;
    const report = await k.repo.db
      .transaction()
      .execute((trx) =>
        k.ingestWithin(
          trx,
          systemActor('import'),
          [{ index: 0, value: { ...o, modified: later(o.modified), object_marking_refs: [TLP2_MARKING_IDS.red] } }],
          { asOrg: 'PL', defaultTlp: 'amber' },
        ),
      );
    expect(report.accepted).toHaveLength(1);
    expect(await showing(ee, a, b, campaign)).toEqual([]);
  });

  it('a campaign or response narrowed over TAXII by its author leaves the REST views, and its links are withdrawn', async () => {
    const { a, b, campaign } = await scene();
    const resp = await call(lt, 'POST', '/api/v1/responses', {
      title: 'Sinkhole',
      target: a,
      courseOfAction: { name: 'Sinkhole the C2' },
      participants: ['LT', 'EE'],
      tlp: 'green',
    });
    expect(resp.statusCode, resp.body).toBe(201);
    const r = resp.json().id as string;
    expect((await call(ee, 'GET', `/api/v1/campaigns/${campaign}`)).statusCode).toBe(200);
    expect((await call(ee, 'GET', `/api/v1/responses/${r}`)).statusCode).toBe(200);
    await repost(lt, campaign, 'red');
    await repost(lt, r, 'red');
    expect((await call(ee, 'GET', `/api/v1/campaigns/${campaign}`)).statusCode).toBe(404);
    expect((await call(ee, 'GET', '/api/v1/campaigns')).body).not.toContain(campaign);
    expect((await call(ee, 'GET', `/api/v1/responses/${r}`)).statusCode).toBe(404);
    expect((await call(ee, 'GET', '/api/v1/responses')).body).not.toContain(r);
    const rels = (await taxii(ee, 'GET', `${COLL}/objects/?match[type]=relationship`)).json().objects as Array<{
      source_ref: string;
      target_ref: string;
      revoked?: boolean;
    }>;
    expect(rels.filter((x) => x.revoked !== true && [a, b].includes(x.target_ref))).toEqual([]);
    expect((await call(lt, 'GET', `/api/v1/campaigns/${campaign}`)).json().tlp).toBe('red');
  });

  it('counts common values over readable incidents only: a hidden incident changes nothing', async () => {
    const settings = s.services.intel.correlation.settings;
    const threshold = settings.commonThreshold;
    settings.commonThreshold = 2;
    try {
      for (let i = 0; i < 2; i++)
        await call(
          lt,
          'POST',
          '/api/v1/incidents',
          inc({ title: `mine ${i}`, observables: [{ type: 'domain-name', value: 'probe.example' }] }),
        );
      const before = (await call(lt, 'GET', '/api/v1/intel/common-values')).body;
      const hidden = await call(
        pl,
        'POST',
        '/api/v1/incidents',
        inc({ tlp: 'red', observables: [{ type: 'domain-name', value: 'probe.example' }] }),
      );
      expect(hidden.statusCode).toBe(201);
      expect((await call(lt, 'GET', '/api/v1/intel/common-values')).body).toBe(before);
      // Once the reader itself sees more than the threshold, the value is listed with what it sees.
      await call(
        lt,
        'POST',
        '/api/v1/incidents',
        inc({ title: 'mine 3', observables: [{ type: 'domain-name', value: 'probe.example' }] }),
      );
      expect((await call(lt, 'GET', '/api/v1/intel/common-values')).json().items).toEqual([
        { type: 'domain-name', value: 'probe.example', visibleIncidents: 3 },
      ]);
    } finally {
      settings.commonThreshold = threshold;
    }
  });

  it('a campaign over TAXII and in an export tells no reader the times of members it may not read', async () => {
    const a = (await call(pl, 'POST', '/api/v1/incidents', inc({ occurredAt: '2026-01-10T08:00:00Z' }))).json()
      .id as string;
    const hidden = (
      await call(pl, 'POST', '/api/v1/incidents', inc({ tlp: 'red', occurredAt: '2026-03-20T08:00:00Z' }))
    ).json().id as string;
    const camp = (
      await call(pl, 'POST', '/api/v1/campaigns', { name: 'Times', incidents: [a, hidden], tlp: 'green' })
    ).json();
    expect(camp.lastSeen).toBe('2026-03-20T08:00:00.000Z');
    expect((await call(lt, 'GET', `/api/v1/campaigns/${camp.id}`)).json().lastSeen).toBe('2026-01-10T08:00:00.000Z');
    const overTaxii = JSON.stringify(await stix(lt, camp.id));
    expect(overTaxii).toContain('"campaign"');
    expect(overTaxii).not.toContain('2026-03-20');
    let exported = '';
    for await (const chunk of exportBundle(s.services.knowledge, {
      reader: { kind: 'org', org: 'LT', orgKind: 'member' },
      types: ['campaign'],
    }))
      exported += chunk.toString();
    expect(exported).toContain(camp.id);
    expect(exported).not.toContain('2026-03-20');
  });
});
