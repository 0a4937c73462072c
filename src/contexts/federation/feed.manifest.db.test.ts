import { afterEach, describe, expect, it } from 'vitest';
import { postgresDatabase, sqliteFileStore, testDatabases, type TestDatabase } from '../../../test/databases.ts';
import { startServer, type Running } from '../../../test/stream-fixture.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import { TAXII_MEDIA } from '../taxii/taxii.ts';
import { FEDERATION_EXTENSION_ID } from './feed.ts';
import { indicator, peer, stored, until, userOf, write } from './federation.fixtures.ts';

const ENV = {
  BULWARK_FEDERATION_POLL_MS: '300',
  BULWARK_FEDERATION_RETRY_BASE_MS: '50',
  BULWARK_FEDERATION_RETRY_MAX_MS: '300',
  BULWARK_EVENTS_POLL_MS: '50',
};
const stores: TestDatabase[] = testDatabases.some((d) => d.name === 'postgres')
  ? [sqliteFileStore, postgresDatabase]
  : [sqliteFileStore];
const ROOT = '/taxii2/alliance/collections/federation';
const NODE = 'x-bulwark-node';

type User = { name: string; token: string };
interface Entry {
  id: string;
  date_added: string;
  version: string;
  media_type: string;
}
type Env = { more?: boolean; next?: string; objects?: Array<Record<string, unknown>>; versions?: string[] };

async function get(n: Running, u: User, path: string, node?: string) {
  const r = await n.app.inject({
    url: `${ROOT}${path}`,
    headers: {
      accept: TAXII_MEDIA,
      authorization: `Basic ${Buffer.from(`${u.name}:${u.token}`).toString('base64')}`,
      ...(node ? { [NODE]: node } : {}),
    },
  });
  return { status: r.statusCode, headers: r.headers, body: r.json<Env>() };
}

/** Every element of an endpoint, page by page (limit 2), and the date headers of each page. */
async function all(n: Running, u: User, path: string, node?: string) {
  const items: unknown[] = [];
  let url = `${path}?limit=2`;
  for (;;) {
    const r = await get(n, u, url, node);
    expect(r.status).toBe(200);
    const page = r.body.objects ?? r.body.versions ?? [];
    if (page.length > 0) expect(r.headers['x-taxii-date-added-last']).toMatch(/Z$/);
    items.push(...page);
    if (!r.body.more) return items;
    url = `${path}?limit=2&next=${r.body.next}`;
  }
}

describe.each(stores)('the federation collection: manifest and versions ($name)', (tdb) => {
  const nodes: Running[] = [];
  const node = async () => {
    const n = await startServer({ database: await tdb.open(), env: ENV });
    nodes.push(n);
    return n;
  };
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
  });

  it('the manifest lists what the objects endpoint sends, page by page; versions follow the same releasability', async () => {
    const a = await node();
    const pl = await userOf(a.services, 'PL');
    const lt = await userOf(a.services, 'LT');
    const later = '2026-02-01T00:00:00.000Z';
    await write(a.services, pl.actor, [indicator('m-two')], { tlp: 'amber' });
    await write(a.services, pl.actor, [indicator('m-two', later)], { tlp: 'amber' });
    await write(a.services, pl.actor, [indicator('m-secret')], { tlp: 'amber', audience: ['PL'] });
    await write(a.services, pl.actor, [indicator('m-narrow')], { tlp: 'amber' });
    await write(a.services, pl.actor, [indicator('m-narrow', later)], { tlp: 'amber', audience: ['PL'] });
    await write(a.services, pl.actor, [indicator('m-gone')], { tlp: 'green' });
    await a.services.knowledge.remove(pl.actor, {
      reader: readerOf(pl.actor),
      scope: { kind: 'all' },
      ids: [indicator('m-gone').id as string],
      versions: ['all'],
    });
    const id = (seed: string) => indicator(seed).id as string;

    const objects = (await all(a, lt, '/objects/')) as Array<Record<string, unknown>>;
    const manifest = (await all(a, lt, '/manifest/')) as Entry[];
    // One entry per element, in the same order, with the element's version.
    expect(manifest.map((e) => [e.id, e.version])).toEqual(objects.map((o) => [o.id, o.modified]));
    expect(manifest.every((e) => e.media_type === 'application/stix+json;version=2.1')).toBe(true);
    expect(manifest.map((e) => e.id)).not.toContain(id('m-secret'));
    expect(manifest.map((e) => [e.id, e.version])).toEqual([
      [id('m-two'), '2026-01-01T00:00:00.000Z'],
      [id('m-two'), later],
      [id('m-narrow'), later], // the narrowing notice; the older version is no longer LT's to read
      [id('m-gone'), '2026-01-01T00:00:00.000Z'], // the deletion
    ]);
    const kinds = objects.map(
      (o) => (o.extensions as Record<string, { notice?: string }> | undefined)?.[FEDERATION_EXTENSION_ID]?.notice,
    );
    expect(kinds).toEqual([undefined, undefined, 'narrowed', 'deleted']);
    const dates = manifest.map((e) => e.date_added);
    expect([...dates].sort()).toEqual(dates);
    // added_after and match[type] apply as on the objects endpoint; an unsupported filter is a 400 naming it.
    const after = await get(a, lt, `/manifest/?added_after=${dates[1]}&match[type]=indicator`);
    expect(after.body.objects!.map((e) => e.id)).toEqual([id('m-narrow'), id('m-gone')]);
    expect(after.headers['x-taxii-date-added-first']).toBe(dates[2]);
    expect((await get(a, lt, '/manifest/?match[type]=malware')).body).toEqual({ more: false });
    const bad = await get(a, lt, '/manifest/?match[version]=all');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('match[version]');

    // Versions: what the objects endpoint sends of that id, without deletions; nothing readable is a 404.
    expect(await all(a, lt, `/objects/${id('m-two')}/versions/`)).toEqual(['2026-01-01T00:00:00.000Z', later]);
    expect(await all(a, pl, `/objects/${id('m-narrow')}/versions/`)).toEqual(['2026-01-01T00:00:00.000Z', later]);
    expect(await all(a, lt, `/objects/${id('m-narrow')}/versions/`)).toEqual([later]);
    expect((await get(a, lt, `/objects/${id('m-secret')}/versions/`)).status).toBe(404);
    expect((await get(a, pl, `/objects/${id('m-secret')}/versions/`)).status).toBe(200);
    expect((await get(a, lt, `/objects/${id('m-gone')}/versions/`)).status).toBe(404);
    expect((await get(a, lt, '/objects/not-an-id/versions/')).status).toBe(400);
  });

  it('the manifest and versions leave out what came from the asking node, as the objects endpoint does', async () => {
    const [a, b] = [await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    await write(a.services, pl.actor, [indicator('echo')], { tlp: 'green' });
    await peer(b, a, 'LT');
    const id = indicator('echo').id as string;
    await until('echo on b', async () => (await stored(b.services, [id])).length === 1);
    const us = await userOf(b.services, 'US');
    const aNode = await a.services.federation.feed.nodeId();
    expect((await get(b, us, '/manifest/', aNode)).body).toEqual({ more: false });
    expect((await get(b, us, `/objects/${id}/versions/`, aNode)).status).toBe(404);
    expect(((await get(b, us, '/manifest/', 'cccc-dddd')).body.objects ?? []).map((e) => e.id)).toEqual([id]);
    expect((await get(b, us, `/objects/${id}/versions/`, 'cccc-dddd')).body.versions).toEqual([
      '2026-01-01T00:00:00.000Z',
    ]);
  });
});
