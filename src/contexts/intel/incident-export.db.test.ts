import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { testDatabases } from '../../../test/databases.ts';
import { csvCell, incidentCsv, mispAttribute } from './incident-export.ts';

const body = {
  title: 'Phishing against the port authority',
  description: 'Lures sent to harbour staff.',
  category: 'cyber',
  occurredAt: '2026-03-02T08:00:00Z',
  location: { lat: 54.35, lon: 18.65 },
  affectedMembers: ['PL'],
  observables: [
    { type: 'ipv4-addr', value: '203.0.113.9' },
    { type: 'domain-name', value: 'harbour-login.example' },
    { type: 'narrative', value: 'The port is closing for good' },
  ],
};

describe.each(testDatabases)('incident export on $name', (tdb) => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
    [pl, lt] = await Promise.all([s.token('PL'), s.token('LT')]);
  });
  afterEach(async () => s.close());
  const get = (token: string, url: string) =>
    s.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const report = async (tlp: string) => {
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${pl}` },
      payload: { ...body, tlp },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ id: string }>().id;
  };

  it('exports the STIX objects the store holds, a MISP event and CSV, as attachments', async () => {
    const id = await report('green');
    const stix = await get(lt, `/api/v1/incidents/${id}/export?format=stix`);
    expect(stix.statusCode, stix.body).toBe(200);
    expect(stix.headers['content-disposition']).toBe(
      'attachment; filename="phishing-against-the-port-authority.stix.json"',
    );
    const bundle = stix.json<{ type: string; objects: Array<{ type: string; id: string }> }>();
    expect(bundle.type).toBe('bundle');
    // every object of the incident's version is in the bundle under the id the store gave it
    const inStore = await s.services.knowledge.list({ reader: { kind: 'system', name: 't' }, scope: { kind: 'all' } });
    const storeIds = new Set(inStore.map((r) => (JSON.parse(r.json) as { id: string }).id));
    const exported = bundle.objects.filter((o) => o.type !== 'identity' && o.type !== 'extension-definition');
    expect(exported.map((o) => o.type).sort()).toEqual(
      ['domain-name', 'incident', 'ipv4-addr', 'location', 'relationship', 'relationship', 'relationship'].sort(),
    );
    for (const o of exported) expect(storeIds.has(o.id), o.id).toBe(true);

    const misp = await get(lt, `/api/v1/incidents/${id}/export?format=misp`);
    const ev = misp.json<{
      Event: { info: string; Tag: Array<{ name: string }>; Attribute: Array<{ type: string; value: string }> };
    }>().Event;
    expect(ev.info).toBe(body.title);
    expect(ev.Tag).toContainEqual({ name: 'tlp:green' });
    expect(ev.Attribute.map((a) => [a.type, a.value])).toEqual(
      expect.arrayContaining([
        ['ip-dst', '203.0.113.9'],
        ['domain', 'harbour-login.example'],
        ['text', 'The port is closing for good'],
      ]),
    );
    const csv = await get(lt, `/api/v1/incidents/${id}/export?format=csv`);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(4);
  });

  it('answers a reader who may not read the incident as if it did not exist', async () => {
    const id = await report('red');
    for (const format of ['stix', 'misp', 'csv']) {
      expect((await get(pl, `/api/v1/incidents/${id}/export?format=${format}`)).statusCode).toBe(200);
      const res = await get(lt, `/api/v1/incidents/${id}/export?format=${format}`);
      expect(res.statusCode).toBe(404);
      expect(res.body).not.toContain('203.0.113.9');
    }
    const bad = await get(pl, `/api/v1/incidents/${id}/export?format=pdf`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('format');
  });
});

describe('export formats', () => {
  it('defuses spreadsheet formulas and types file hashes for MISP', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('plain')).toBe('"plain"');
    expect(mispAttribute('file', 'sha-256:' + 'a'.repeat(64)).type).toBe('sha256');
    expect(mispAttribute('file', 'b'.repeat(32)).type).toBe('md5');
    const csv = incidentCsv({
      id: 'incident--1',
      title: '+cmd',
      description: '',
      category: 'other',
      occurredAt: '2026-01-01T00:00:00.000Z',
      location: null,
      affectedMembers: [],
      observables: [],
      narratives: [],
      ttps: [],
      actor: null,
      reliability: null,
      credibility: null,
      tlp: 'clear',
      audience: [],
      author: 'PL',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
    });
    expect(csv).toContain(`"'+cmd"`);
  });
});
