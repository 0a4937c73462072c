import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { TAXII_MEDIA } from '../taxii/taxii.ts';
import { organisationIdentityId } from '../sharing/identity.ts';
import { RELEASE_EXTENSION_ID } from '../../kernel/access/outbound.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { FEDERATION_EXTENSION_ID, FEED_COLLECTION_ID } from './feed.ts';
import { indicator, userOf, write } from './federation.fixtures.ts';

const ROOT = '/taxii2/alliance';
const basic = (u: { name: string; token: string }) => ({
  accept: TAXII_MEDIA,
  authorization: `Basic ${Buffer.from(`${u.name}:${u.token}`).toString('base64')}`,
});

describe('the federation collection (TAXII 2.1)', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer();
  });
  afterEach(async () => s.close());

  it('is listed for signed-in users, pages with limit/next/more and date-added headers, and names this node', async () => {
    const pl = await userOf(s.services, 'PL');
    const lt = await userOf(s.services, 'LT');
    await write(s.services, pl.actor, [indicator('f1'), indicator('f2'), indicator('f3')], { tlp: 'amber' });
    await write(s.services, pl.actor, [indicator('secret')], { tlp: 'amber', audience: ['PL'] });
    const domain = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--0b5a4f3e-1d2c-5b6a-8f9e-0a1b2c3d4e5f',
      value: 'x.example',
    };
    await write(s.services, pl.actor, [domain], { tlp: 'green', audience: ['LT'] });
    const cols = (await s.app.inject({ url: `${ROOT}/collections/`, headers: basic(lt) })).json<{
      collections: Array<{ id: string }>;
    }>();
    expect(cols.collections.map((c) => c.id)).toContain(FEED_COLLECTION_ID);
    const anon = (await s.app.inject({ url: `${ROOT}/collections/`, headers: { accept: TAXII_MEDIA } })).json<{
      collections: Array<{ id: string }>;
    }>();
    expect(anon.collections.map((c) => c.id)).not.toContain(FEED_COLLECTION_ID);
    expect((await s.app.inject({ url: `${ROOT}/collections/federation/objects/` })).statusCode).toBe(401);
    const one = await s.app.inject({ url: `${ROOT}/collections/federation/`, headers: basic(lt) });
    expect(one.json()).toMatchObject({ id: FEED_COLLECTION_ID, can_read: true, can_write: false });

    const objects: Array<Record<string, unknown>> = [];
    let url = `${ROOT}/collections/${FEED_COLLECTION_ID}/objects/?limit=2`;
    for (let n = 0; n < 5; n++) {
      const r = await s.app.inject({ url, headers: { ...basic(lt), 'x-bulwark-node': 'aaaa-bbbb' } });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe(TAXII_MEDIA);
      expect(r.headers['x-bulwark-node']).toBe(await s.services.federation.feed.nodeId());
      const env = r.json<{ more: boolean; next?: string; objects?: Array<Record<string, unknown>> }>();
      objects.push(...(env.objects ?? []));
      if (env.objects) expect(r.headers['x-taxii-date-added-last']).toMatch(/Z$/);
      if (!env.more) break;
      url = `${ROOT}/collections/${FEED_COLLECTION_ID}/objects/?limit=2&next=${env.next}`;
    }
    // LT reads the three AMBER indicators and the observable named for it; not the one for PL alone.
    expect(objects.map((o) => o.id).sort()).toEqual(
      [indicator('f1').id, indicator('f2').id, indicator('f3').id, domain.id].sort(),
    );
    const f1 = objects.find((o) => o.id === indicator('f1').id)!;
    expect(f1).toMatchObject({
      created_by_ref: organisationIdentityId('PL'),
      object_marking_refs: [TLP2_MARKING_IDS.amber],
    });
    const d = objects.find((o) => o.id === domain.id)!;
    expect(d.created_by_ref).toBeUndefined();
    expect(d.extensions).toMatchObject({
      [FEDERATION_EXTENSION_ID]: { author: 'PL' },
      [RELEASE_EXTENSION_ID]: { tlp: 'green', audience: ['LT'] },
    });
    expect(
      (await s.app.inject({ url: `${ROOT}/collections/federation/objects/?limit=x`, headers: basic(lt) })).statusCode,
    ).toBe(400);
  });
});
