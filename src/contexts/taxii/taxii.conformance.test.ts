import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../../../test/server.ts';
import { sqliteFileStore } from '../../../test/databases.ts';
import { TAXII_MEDIA, collectionUuid } from './taxii.ts';

// Requirements of OASIS TAXII 2.1 (OS, 10 June 2021); docs/taxii-conformance.md maps each to these tests.
const H = (token?: string, extra: Record<string, string> = {}) => ({
  accept: TAXII_MEDIA,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  ...extra,
});
const ROOT = '/taxii2/alliance';
const ALLIANCE = `${ROOT}/collections/${collectionUuid('alliance')}`;
const TLP_RED = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';

function indicator(extra: Record<string, unknown> = {}) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    pattern: "[domain-name:value = 'evil.example']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}

describe('TAXII 2.1 conformance', () => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  beforeEach(async () => {
    s = await testServer({ db: sqliteFileStore, maxBodyBytes: 100_000 });
    pl = await s.token('PL');
    lt = await s.token('LT');
  });
  afterEach(async () => s.close());

  const get = (url: string, token?: string) => s.app.inject({ url, headers: H(token) });
  const post = (url: string, token: string | undefined, objects: unknown) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { ...H(token), 'content-type': TAXII_MEDIA },
      payload: JSON.stringify({ objects }),
    });
  /** Three versions of one indicator, added in order; returns them. */
  async function threeVersions() {
    const v1 = indicator();
    const v2 = { ...v1, modified: '2024-02-01T00:00:00.000Z' };
    const v3 = { ...v1, modified: '2024-03-01T00:00:00.000Z' };
    for (const v of [v1, v2, v3]) expect((await post(`${ALLIANCE}/objects/`, pl, [v])).statusCode).toBe(202);
    return [v1, v2, v3] as const;
  }

  it('4.1 discovery resource: title, description, default listed in api_roots', async () => {
    const r = await get('/taxii2/');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toBe(TAXII_MEDIA);
    const d = r.json();
    expect(typeof d.title).toBe('string');
    expect(typeof d.description).toBe('string');
    expect(d.api_roots).toContain(d.default);
    expect(d.default).toMatch(/^https?:\/\/[^/]+\/taxii2\/alliance\/$/);
  });

  it('4.2 API root resource: title, versions with TAXII 2.1, max_content_length; unknown root is a 404 error message', async () => {
    const root = (await get(`${ROOT}/`)).json();
    expect(root).toMatchObject({ title: expect.any(String), versions: [TAXII_MEDIA], max_content_length: 100_000 });
    const missing = await get('/taxii2/nowhere/', pl);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toBe(TAXII_MEDIA);
    expect(missing.json()).toMatchObject({ title: 'Not Found', http_status: '404' });
    const missingCollection = await get(`${ROOT}/collections/${randomUUID()}/objects/`, pl);
    expect(missingCollection.statusCode).toBe(404);
  });

  it('4.3 status resource: counts add up, successes and failures are status-details with id and version', async () => {
    const good = indicator();
    const r = await post(`${ALLIANCE}/objects/`, pl, [good, { ...indicator(), created: 'not a time' }, 42]);
    expect(r.statusCode).toBe(202);
    const st = r.json();
    expect(st).toMatchObject({
      id: expect.any(String),
      status: 'complete',
      total_count: 3,
      success_count: 1,
      failure_count: 2,
      pending_count: 0,
      pendings: [],
    });
    expect(st.total_count).toBe(st.success_count + st.failure_count + st.pending_count);
    expect(st.request_timestamp).toMatch(/Z$/);
    expect(st.successes).toEqual([{ id: good.id, version: good.modified }]);
    for (const f of st.failures)
      expect(f).toEqual({ id: expect.any(String), version: expect.any(String), message: expect.any(String) });
    expect(st.failures[1].version).toBe(st.request_timestamp);
    const again = await get(`${ROOT}/status/${st.id}/`, pl);
    expect(again.json()).toEqual(st);
    expect((await get(`${ROOT}/status/${randomUUID()}/`, pl)).statusCode).toBe(404);
    expect((await get(`${ROOT}/status/${st.id}/`)).statusCode).toBe(401);
  });

  it('5.1/5.2 collections: collection resources with id, title, can_read, can_write, media_types; one by id; 404 unknown, 401 private without credentials', async () => {
    const cols = (await get(`${ROOT}/collections/`, lt)).json().collections as Array<Record<string, unknown>>;
    for (const c of cols)
      expect(c).toMatchObject({
        id: expect.any(String),
        title: expect.any(String),
        can_read: true,
        can_write: expect.any(Boolean),
        media_types: ['application/stix+json;version=2.1'],
      });
    const one = await get(`${ALLIANCE}/`, lt);
    expect(one.json()).toMatchObject({ id: collectionUuid('alliance'), can_read: true, can_write: true });
    expect((await get(`${ROOT}/collections/${randomUUID()}/`, lt)).statusCode).toBe(404);
    expect((await get(`${ALLIANCE}/`)).statusCode).toBe(401);
  });

  it('5.3 manifest: manifest-records (id, date_added, version, media_type), date-added headers, match filters and paging', async () => {
    const [, , v3] = await threeVersions();
    const other = indicator();
    await post(`${ALLIANCE}/objects/`, pl, [other]);
    const r = await get(`${ALLIANCE}/manifest/?match[type]=indicator&limit=1`, lt);
    expect(r.statusCode).toBe(200);
    const m = r.json();
    expect(m).toMatchObject({ more: true, next: expect.any(String) });
    expect(m.objects).toEqual([
      {
        id: v3.id,
        date_added: expect.stringMatching(/Z$/),
        version: v3.modified,
        media_type: 'application/stix+json;version=2.1',
      },
    ]);
    expect(r.headers['x-taxii-date-added-first']).toBe(m.objects[0].date_added);
    expect(r.headers['x-taxii-date-added-last']).toBe(m.objects[0].date_added);
    const rest = (await get(`${ALLIANCE}/manifest/?match[type]=indicator&limit=1&next=${m.next}`, lt)).json();
    expect(rest).toMatchObject({ more: false });
    expect(rest.objects.map((o: { id: string }) => o.id)).toEqual([other.id]);
    const all = (await get(`${ALLIANCE}/manifest/?match[version]=all&match[id]=${v3.id}`, lt)).json();
    expect(all.objects.map((o: { version: string }) => o.version)).toEqual([
      '2024-01-01T00:00:00.000Z',
      '2024-02-01T00:00:00.000Z',
      v3.modified,
    ]);
  });

  it('3.7/5.4 objects: an empty result is an envelope with more false and no objects; results sort by date_added ascending', async () => {
    const empty = await get(`${ALLIANCE}/objects/?match[type]=indicator`, lt);
    expect(empty.statusCode).toBe(200);
    expect(empty.headers['content-type']).toBe(TAXII_MEDIA);
    expect(empty.json()).toEqual({ more: false });
    expect(empty.headers['x-taxii-date-added-first']).toBeUndefined();
    const objs = [indicator(), indicator(), indicator()];
    for (const o of objs) await post(`${ALLIANCE}/objects/`, pl, [o]);
    const r = await get(`${ALLIANCE}/objects/?match[type]=indicator`, lt);
    expect(r.json().objects.map((o: { id: string }) => o.id)).toEqual(objs.map((o) => o.id));
    const manifest = (await get(`${ALLIANCE}/manifest/?match[type]=indicator`, lt)).json().objects as Array<{
      date_added: string;
    }>;
    expect(manifest.map((o) => o.date_added)).toEqual([...manifest.map((o) => o.date_added)].sort());
    expect(r.headers['x-taxii-date-added-first']).toBe(manifest[0]!.date_added);
    expect(r.headers['x-taxii-date-added-last']).toBe(manifest[2]!.date_added);
  });

  it('3.4.2 match[version]: default last; first, last, all and timestamps, several values combined as OR', async () => {
    const [v1, v2, v3] = await threeVersions();
    const versions = async (q: string) =>
      ((await get(`${ALLIANCE}/objects/${v1.id}/${q}`, lt)).json().objects as Array<{ modified: string }>).map(
        (o) => o.modified,
      );
    expect(await versions('')).toEqual([v3.modified]);
    expect(await versions('?match[version]=last')).toEqual([v3.modified]);
    expect(await versions('?match[version]=first')).toEqual([v1.modified]);
    expect(await versions('?match[version]=first,last')).toEqual([v1.modified, v3.modified]);
    expect(await versions(`?match[version]=${v2.modified},first`)).toEqual([v1.modified, v2.modified]);
    expect(await versions('?match[version]=all,first')).toEqual([v1.modified, v2.modified, v3.modified]);
    const onList = (await get(`${ALLIANCE}/objects/?match[type]=indicator&match[version]=first`, lt)).json()
      .objects as Array<{ modified: string }>;
    expect(onList.map((o) => o.modified)).toEqual([v1.modified]);
  });

  it('3.4.2 match[spec_version]: by default the latest spec version (all stored objects are 2.1); 2.0 matches nothing', async () => {
    const o = indicator();
    await post(`${ALLIANCE}/objects/`, pl, [o]);
    expect((await get(`${ALLIANCE}/objects/${o.id}/`, lt)).json().objects[0].spec_version).toBe('2.1');
    expect(
      (await get(`${ALLIANCE}/objects/?match[type]=indicator&match[spec_version]=2.1`, lt)).json().objects,
    ).toHaveLength(1);
    expect((await get(`${ALLIANCE}/objects/?match[spec_version]=2.0`, lt)).json()).toEqual({ more: false });
    expect((await get(`${ALLIANCE}/objects/${o.id}/versions/?match[spec_version]=2.0`, lt)).statusCode).toBe(404);
  });

  it('3.4.1 added_after and paging apply on the versions and object endpoints too', async () => {
    const [v1, v2, v3] = await threeVersions();
    const man = (await get(`${ALLIANCE}/manifest/?match[version]=all&match[id]=${v1.id}`, lt)).json().objects as Array<{
      date_added: string;
    }>;
    const after = await get(`${ALLIANCE}/objects/${v1.id}/versions/?added_after=${man[0]!.date_added}`, lt);
    expect(after.json()).toEqual({ more: false, versions: [v2.modified, v3.modified] });
    expect(after.headers['x-taxii-date-added-first']).toBe(man[1]!.date_added);
    expect(after.headers['x-taxii-date-added-last']).toBe(man[2]!.date_added);
    const p1 = (await get(`${ALLIANCE}/objects/${v1.id}/versions/?limit=2`, lt)).json();
    expect(p1).toMatchObject({ more: true, versions: [v1.modified, v2.modified] });
    const p2 = (await get(`${ALLIANCE}/objects/${v1.id}/versions/?limit=2&next=${p1.next}`, lt)).json();
    expect(p2).toEqual({ more: false, versions: [v3.modified] });
    const objAfter = (
      await get(`${ALLIANCE}/objects/${v1.id}/?match[version]=all&added_after=${man[1]!.date_added}`, lt)
    ).json();
    expect(objAfter.objects.map((o: { modified: string }) => o.modified)).toEqual([v3.modified]);
  });

  it('3.4 malformed filters: repeated parameters and fields an endpoint does not support are 400 error messages', async () => {
    const o = indicator();
    await post(`${ALLIANCE}/objects/`, pl, [o]);
    const rep = await get(`${ALLIANCE}/objects/?match[type]=indicator&match[type]=malware`, lt);
    expect(rep.statusCode).toBe(400);
    expect(rep.json()).toMatchObject({ title: 'Bad Request', http_status: '400', details: { field: 'match[type]' } });
    expect((await get(`${ALLIANCE}/objects/?limit=1&limit=2`, lt)).statusCode).toBe(400);
    expect((await get(`${ALLIANCE}/objects/${o.id}/?match[id]=${o.id}`, lt)).statusCode).toBe(400);
    expect((await get(`${ALLIANCE}/objects/${o.id}/versions/?match[version]=all`, lt)).statusCode).toBe(400);
    expect(
      (await get(`${ALLIANCE}/objects/?match[type]=indicator,malware`, lt))
        .json()
        .objects.map((x: { id: string }) => x.id),
    ).toEqual([o.id]);
  });

  it('5.7 delete: without match[version] only the latest version goes; match[version]=all removes every version; others get 403, hidden 404', async () => {
    const [v1, v2, v3] = await threeVersions();
    const del = (q: string, token: string) =>
      s.app.inject({ method: 'DELETE', url: `${ALLIANCE}/objects/${v1.id}/${q}`, headers: H(token) });
    expect((await del('', lt)).statusCode).toBe(403);
    const ok = await del('', pl);
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['content-type']).toBe(TAXII_MEDIA);
    expect((await get(`${ALLIANCE}/objects/${v1.id}/versions/`, lt)).json().versions).toEqual([
      v1.modified,
      v2.modified,
    ]);
    expect((await get(`${ALLIANCE}/objects/${v1.id}/`, lt)).json().objects[0].modified).toBe(v2.modified);
    expect((await del('?match[version]=all', pl)).statusCode).toBe(200);
    expect((await get(`${ALLIANCE}/objects/${v1.id}/`, lt)).statusCode).toBe(404);
    expect((await del('', pl)).statusCode).toBe(404);
    expect(v3.modified).not.toBe(v2.modified);
    const red = indicator({ object_marking_refs: [TLP_RED] });
    await post(`${ALLIANCE}/objects/`, pl, [red]);
    expect(
      (await s.app.inject({ method: 'DELETE', url: `${ALLIANCE}/objects/${red.id}/`, headers: H(lt) })).statusCode,
    ).toBe(404);
  });

  it('3.2 media types: 406 for an Accept without TAXII 2.1, 415 for a POST body not taxii+json 2.1, both as error messages', async () => {
    const r406 = await s.app.inject({
      url: `${ALLIANCE}/objects/`,
      headers: { accept: 'application/taxii+json;version=2.0', authorization: `Bearer ${lt}` },
    });
    expect(r406.statusCode).toBe(406);
    expect(r406.json()).toMatchObject({ title: 'Not Acceptable', http_status: '406' });
    expect(
      (
        await s.app.inject({
          url: `${ALLIANCE}/objects/`,
          headers: { accept: 'application/taxii+json', authorization: `Bearer ${lt}` },
        })
      ).statusCode,
    ).toBe(200);
    const r415 = await s.app.inject({
      method: 'POST',
      url: `${ALLIANCE}/objects/`,
      headers: { ...H(pl), 'content-type': 'application/stix+json;version=2.1' },
      payload: JSON.stringify({ objects: [indicator()] }),
    });
    expect(r415.statusCode).toBe(415);
    expect(r415.json()).toMatchObject({ title: 'Unsupported Media Type', http_status: '415' });
  });

  it("5.5 add objects: writes land with the writer's organisation as author; 413 over max_content_length; 403 unwritable; 401 anonymous", async () => {
    const o = indicator();
    expect((await post(`${ALLIANCE}/objects/`, lt, [o])).statusCode).toBe(202);
    expect(
      (await get(`${ROOT}/collections/org-lt/objects/`, pl)).json().objects.map((x: { id: string }) => x.id),
    ).toEqual([o.id]);
    expect((await get(`${ROOT}/collections/org-pl/objects/`, pl)).json()).toEqual({ more: false });
    const big = await post(`${ALLIANCE}/objects/`, pl, [indicator({ description: 'x'.repeat(150_000) })]);
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ http_status: '413' });
    expect((await post(`${ROOT}/collections/org-pl/objects/`, lt, [indicator()])).statusCode).toBe(403);
    const anon = await post(`${ALLIANCE}/objects/`, undefined, [indicator()]);
    expect(anon.statusCode).toBe(401);
    expect(anon.headers['www-authenticate']).toMatch(/Basic realm=/);
  });

  it('5.6/5.8 an object and its versions: 404 when absent or hidden from the reader', async () => {
    const red = indicator({ object_marking_refs: [TLP_RED] });
    await post(`${ALLIANCE}/objects/`, pl, [red]);
    expect((await get(`${ALLIANCE}/objects/${red.id}/`, lt)).statusCode).toBe(404);
    expect((await get(`${ALLIANCE}/objects/${red.id}/versions/`, lt)).statusCode).toBe(404);
    expect((await get(`${ALLIANCE}/objects/${red.id}/versions/`, pl)).json()).toEqual({
      more: false,
      versions: [red.modified],
    });
    expect((await get(`${ALLIANCE}/manifest/?match[type]=indicator`, lt)).json()).toEqual({ more: false });
  });
});
