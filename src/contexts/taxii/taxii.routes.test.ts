import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../../../test/server.ts';
import { TAXII_MEDIA } from './taxii.ts';
import { collectionUuid } from './taxii.ts';

const H = (token?: string, extra: Record<string, string> = {}) => ({
  accept: TAXII_MEDIA,
  ...(token ? { authorization: `Bearer ${token}` } : {}),
  ...extra,
});
const ALLIANCE = `/taxii2/alliance/collections/${collectionUuid('alliance')}`;
const PUBLIC = `/taxii2/alliance/collections/${collectionUuid('public')}`;

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
const TLP = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

describe('TAXII 2.1 server', () => {
  let s: TestServer;
  let pl: string;
  let lt: string;
  beforeEach(async () => {
    s = await testServer({ maxBodyBytes: 200_000 });
    pl = await s.token('PL');
    lt = await s.token('LT');
  });
  afterEach(async () => s.close());

  const post = (url: string, token: string | undefined, objects: unknown, headers: Record<string, string> = {}) =>
    s.app.inject({
      method: 'POST',
      url,
      headers: { ...H(token), 'content-type': TAXII_MEDIA, ...headers },
      payload: JSON.stringify({ objects }),
    });

  it('serves discovery, the API root and collections with the TAXII media type', async () => {
    const d = await s.app.inject({ url: '/taxii2/', headers: H(pl) });
    expect(d.statusCode).toBe(200);
    expect(d.headers['content-type']).toBe(TAXII_MEDIA);
    expect(d.json().api_roots[0]).toMatch(/\/taxii2\/alliance\/$/);
    const root = (await s.app.inject({ url: '/taxii2/alliance/', headers: H(pl) })).json();
    expect(root).toMatchObject({ versions: [TAXII_MEDIA], max_content_length: 200_000 });
    const cols = (await s.app.inject({ url: '/taxii2/alliance/collections/', headers: H(pl) })).json()
      .collections as Array<Record<string, unknown>>;
    expect(cols.find((c) => c.alias === 'alliance')).toMatchObject({ can_read: true, can_write: true });
    expect(cols.find((c) => c.alias === 'org-pl')).toMatchObject({ can_write: true });
    expect(cols.find((c) => c.alias === 'org-lt')).toMatchObject({ can_write: false });
    expect(cols.find((c) => c.alias === 'public')).toMatchObject({ can_write: false });
  });

  it('answers 406 for an unsupported Accept, 415 for a wrong Content-Type, 401 with a challenge without credentials', async () => {
    expect((await s.app.inject({ url: '/taxii2/', headers: { accept: 'application/xml' } })).statusCode).toBe(406);
    const r415 = await post(`${ALLIANCE}/objects/`, pl, [indicator()], { 'content-type': 'application/json' });
    expect(r415.statusCode).toBe(415);
    expect(r415.json()).toMatchObject({ title: 'Unsupported Media Type', http_status: '415' });
    const r401 = await s.app.inject({ url: `${ALLIANCE}/objects/`, headers: H() });
    expect(r401.statusCode).toBe(401);
    expect(r401.headers['www-authenticate']).toMatch(/Basic/);
    const bad = await s.app.inject({ url: `${ALLIANCE}/objects/`, headers: H('bwk_wrong') });
    expect(bad.statusCode).toBe(401);
  });

  it('accepts HTTP Basic with the user name and token', async () => {
    const { user, token } = await s.services.users.create({ member: 'NO', name: 'ingrid' });
    const basic = Buffer.from(`${user.name}:${token}`).toString('base64');
    expect(
      (
        await s.app.inject({
          url: `${ALLIANCE}/objects/`,
          headers: { accept: TAXII_MEDIA, authorization: `Basic ${basic}` },
        })
      ).statusCode,
    ).toBe(200);
    const wrong = Buffer.from(`someone:${token}`).toString('base64');
    expect(
      (
        await s.app.inject({
          url: `${ALLIANCE}/objects/`,
          headers: { accept: TAXII_MEDIA, authorization: `Basic ${wrong}` },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('adds objects with a status resource, per-object failures, and duplicates as successes', async () => {
    const good = indicator();
    const r = await post(`${ALLIANCE}/objects/`, pl, [good, { ...indicator(), created: 'yesterday' }]);
    expect(r.statusCode).toBe(202);
    const st = r.json();
    expect(st).toMatchObject({
      status: 'complete',
      total_count: 2,
      success_count: 1,
      failure_count: 1,
      pending_count: 0,
    });
    expect(st.failures[0].message).toMatch(/created must be a UTC timestamp/);
    const again = (await post(`${ALLIANCE}/objects/`, pl, [good])).json();
    expect(again).toMatchObject({ success_count: 1, failure_count: 0 });
    const fetched = await s.app.inject({ url: `/taxii2/alliance/status/${st.id}/`, headers: H(pl) });
    expect(fetched.json()).toMatchObject({ id: st.id, success_count: 1 });
    expect((await s.app.inject({ url: `/taxii2/alliance/status/${st.id}/`, headers: H(lt) })).statusCode).toBe(404);
  });

  it('refuses writes to collections the user cannot write (403) and bodies over max_content_length (413)', async () => {
    expect(
      (await post(`/taxii2/alliance/collections/${collectionUuid('org:LT')}/objects/`, pl, [indicator()])).statusCode,
    ).toBe(403);
    expect((await post(`${PUBLIC}/objects/`, pl, [indicator()])).statusCode).toBe(403);
    const big = await post(`${ALLIANCE}/objects/`, pl, [indicator({ description: 'x'.repeat(300_000) })]);
    expect(big.statusCode).toBe(413);
    expect(big.headers['content-type']).toBe(TAXII_MEDIA);
  });

  it('pages with limit/next/more and sets the date-added headers; added_after and match filters work', async () => {
    const objs = Array.from({ length: 7 }, () => indicator());
    await post(`${ALLIANCE}/objects/`, pl, objs);
    const seen: string[] = [];
    let url = `${ALLIANCE}/objects/?match[type]=indicator&limit=3`;
    for (let i = 0; i < 5; i++) {
      const r = await s.app.inject({ url, headers: H(lt) });
      const b = r.json();
      seen.push(...(b.objects ?? []).map((o: { id: string }) => o.id));
      if (b.objects) expect(r.headers['x-taxii-date-added-first']).toMatch(/Z$/);
      if (!b.more) break;
      url = `${ALLIANCE}/objects/?match[type]=indicator&limit=3&next=${encodeURIComponent(b.next)}`;
    }
    expect(seen).toEqual(objs.map((o) => o.id));
    const first = await s.app.inject({ url: `${ALLIANCE}/objects/?match[type]=indicator&limit=2`, headers: H(lt) });
    const after = first.headers['x-taxii-date-added-last'] as string;
    const rest = (await s.app.inject({ url: `${ALLIANCE}/objects/?added_after=${after}`, headers: H(lt) })).json();
    expect(rest.objects.map((o: { id: string }) => o.id)).toEqual(objs.slice(2).map((o) => o.id));
    const byId = (await s.app.inject({ url: `${ALLIANCE}/objects/?match[id]=${objs[3]!.id}`, headers: H(lt) })).json();
    expect(byId.objects).toHaveLength(1);
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/?match[type]=malware`, headers: H(lt) })).json()).toEqual({
      more: false,
    });
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/?match[type]=Bad_Type`, headers: H(lt) })).statusCode).toBe(
      400,
    );
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/?limit=0`, headers: H(lt) })).statusCode).toBe(400);
    expect(
      (await s.app.inject({ url: `${ALLIANCE}/objects/?added_after=2024-01-01`, headers: H(lt) })).json(),
    ).toMatchObject({ title: 'Bad Request', details: { field: 'added_after' } });
  });

  it("serves versions, object by id with match[version], manifest, and deletes only the author's objects", async () => {
    const v1 = indicator();
    const v2 = { ...v1, modified: '2024-06-01T00:00:00.000Z', name: 'second' };
    await post(`${ALLIANCE}/objects/`, pl, [v1, v2]);
    const versions = (await s.app.inject({ url: `${ALLIANCE}/objects/${v1.id}/versions/`, headers: H(lt) })).json();
    expect(versions).toMatchObject({ more: false, versions: [v1.modified, v2.modified] });
    const last = (await s.app.inject({ url: `${ALLIANCE}/objects/${v1.id}/`, headers: H(lt) })).json();
    expect(last.objects.map((o: { modified: string }) => o.modified)).toEqual([v2.modified]);
    const all = (
      await s.app.inject({ url: `${ALLIANCE}/objects/${v1.id}/?match[version]=all`, headers: H(lt) })
    ).json();
    expect(all.objects).toHaveLength(2);
    const firstV = (
      await s.app.inject({ url: `${ALLIANCE}/objects/${v1.id}/?match[version]=first`, headers: H(lt) })
    ).json();
    expect(firstV.objects[0].modified).toBe(v1.modified);
    const manifest = (
      await s.app.inject({ url: `${ALLIANCE}/manifest/?match[type]=indicator`, headers: H(lt) })
    ).json();
    expect(manifest.objects[0]).toMatchObject({
      id: v1.id,
      version: v2.modified,
      media_type: 'application/stix+json;version=2.1',
    });
    expect(
      (await s.app.inject({ method: 'DELETE', url: `${ALLIANCE}/objects/${v1.id}/`, headers: H(lt) })).statusCode,
    ).toBe(403);
    expect(
      (
        await s.app.inject({
          method: 'DELETE',
          url: `${ALLIANCE}/objects/${v1.id}/?match[version]=${v2.modified}`,
          headers: H(pl),
        })
      ).statusCode,
    ).toBe(200);
    const after = (await s.app.inject({ url: `${ALLIANCE}/objects/${v1.id}/`, headers: H(lt) })).json();
    expect(after.objects.map((o: { modified: string }) => o.modified)).toEqual([v1.modified]);
    expect(
      (await s.app.inject({ url: `${ALLIANCE}/objects/indicator--${randomUUID()}/`, headers: H(lt) })).statusCode,
    ).toBe(404);
  });

  it('hides what the reader may not read: red objects are 404 to others, the public collection shows TLP:CLEAR without credentials', async () => {
    const red = indicator({ object_marking_refs: [TLP.red] });
    const clear = indicator({ object_marking_refs: [TLP.clear] });
    await post(`${ALLIANCE}/objects/`, pl, [red, clear]);
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/${red.id}/`, headers: H(lt) })).statusCode).toBe(404);
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/${red.id}/`, headers: H(pl) })).statusCode).toBe(200);
    expect(
      (await s.app.inject({ method: 'DELETE', url: `${ALLIANCE}/objects/${red.id}/`, headers: H(lt) })).statusCode,
    ).toBe(404);
    const anon = (await s.app.inject({ url: `${PUBLIC}/objects/?match[type]=indicator`, headers: H() })).json();
    expect(anon.objects.map((o: { id: string }) => o.id)).toEqual([clear.id]);
    const anonCols = (await s.app.inject({ url: '/taxii2/alliance/collections/', headers: H() })).json();
    expect(anonCols.collections.map((c: { alias: string }) => c.alias)).toEqual(['public']);
    const plCol = (await s.app.inject({ url: `/taxii2/alliance/collections/org-pl/objects/`, headers: H(lt) })).json();
    expect(plCol.objects.map((o: { id: string }) => o.id)).toEqual([clear.id]);
  });

  it('rejects malformed envelopes with a TAXII error and keeps what is stored', async () => {
    const keep = indicator();
    await post(`${ALLIANCE}/objects/`, pl, [keep]);
    const trunc = await s.app.inject({
      method: 'POST',
      url: `${ALLIANCE}/objects/`,
      headers: { ...H(pl), 'content-type': TAXII_MEDIA },
      payload: '{"objects": [{"type": "indic',
    });
    expect(trunc.statusCode).toBe(400);
    expect(trunc.json().description).toMatch(/not valid JSON/);
    expect((await post(`${ALLIANCE}/objects/`, pl, 'nope')).statusCode).toBe(400);
    const deep = await s.app.inject({
      method: 'POST',
      url: `${ALLIANCE}/objects/`,
      headers: { ...H(pl), 'content-type': TAXII_MEDIA },
      payload: `{"objects":[${'['.repeat(5000)}${']'.repeat(5000)}]}`,
    });
    expect(deep.statusCode).toBe(202);
    expect(deep.json()).toMatchObject({ failure_count: 1 });
    expect((await s.app.inject({ url: `${ALLIANCE}/objects/${keep.id}/`, headers: H(pl) })).statusCode).toBe(200);
    expect((await s.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  });
});
