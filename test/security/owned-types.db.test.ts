import { afterEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../server.ts';
import { testDatabases } from '../databases.ts';
import { systemActor } from '../../src/kernel/access/actor.ts';
import { TLP2_MARKING_IDS } from '../../src/kernel/access/tlp.ts';
import { WAR_SET } from '../../src/contexts/outlook/outlook.fixtures.ts';

const TAXII = 'application/taxii+json;version=2.1';
const COLL = '/taxii2/alliance/collections/alliance/objects/';

/**
 * Every write path must change every derived view the same way (issue 12, item 1). A scenario set, a register
 * entry and a document live in their context's tables: an author that posted a narrower version over TAXII got
 * TAXII narrowed and REST unchanged, so REST kept showing the object to the organisations it had narrowed out.
 * Scenario sets and documents change only through their API, so such versions are refused (objects the
 * contexts do not hold are not); register entries adopt a TAXII version (registers.adopt.service.ts), so
 * REST narrows with TAXII.
 */
describe.each(testDatabases)('objects a context owns on $name', (tdb) => {
  let s: TestServer;
  afterEach(async () => s.close());

  it('a new version over TAXII is refused, and REST and TAXII keep agreeing', async () => {
    // Not a test of write admission: a loaded machine's event-loop lag must not refuse its writes.
    s = await testServer({ db: tdb, config: { writeQueueWaitMs: 0 } });
    const [pl, lt] = [await s.token('PL'), await s.token('LT')];
    const call = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
      s.app.inject({
        method,
        url,
        headers: {
          authorization: `Bearer ${token}`,
          ...(url.startsWith('/taxii2') ? { accept: TAXII, 'content-type': TAXII } : {}),
        },
        ...(payload ? { payload: url.startsWith('/taxii2') ? JSON.stringify(payload) : payload } : {}),
      });
    const created = async (url: string, body: object) => {
      const r = await call(pl, 'POST', url, body);
      expect(r.statusCode, r.body).toBe(201);
      return r.json<{ id: string }>().id;
    };
    const owned = [
      ['/api/v1/outlook/scenario-sets', await created('/api/v1/outlook/scenario-sets', { ...WAR_SET, tlp: 'green' })],
      [
        '/api/v1/support',
        await created('/api/v1/support', {
          recipient: 'UA',
          avenue: 'energy',
          description: 'transformers',
          pledgedAt: '2025-03-04',
          status: 'pledged',
          tlp: 'green',
        }),
      ],
      [
        '/api/v1/documents',
        await created('/api/v1/documents', {
          text: 'Deputy Secretary General Mircea Geoana said NATO was ready.',
          tlp: 'green',
        }),
      ],
    ] as const;
    for (const [path, id] of owned) {
      const adopted = path === '/api/v1/support';
      const o = (await s.services.knowledge.get(systemActor('test'), id)).object as { modified: string };
      const narrower = {
        ...o,
        modified: new Date(Date.parse(o.modified) + 1000).toISOString(),
        object_marking_refs: [TLP2_MARKING_IDS.red],
      };
      const r = await call(pl, 'POST', COLL, { objects: [narrower] });
      if (adopted) {
        expect(r.json<{ success_count: number }>().success_count, `${id}: ${r.body}`).toBe(1);
        // The register took the narrower version: both views now hide the entry from LT.
        expect((await call(lt, 'GET', `${path}/${id}`)).statusCode, id).toBe(404);
        expect((await call(lt, 'GET', `${COLL}${id}/`)).statusCode, id).toBe(404);
        expect((await call(pl, 'GET', `${path}/${id}`)).json<{ tlp: string }>().tlp, id).toBe('red');
        continue;
      }
      expect(r.statusCode, `${id}: ${r.body}`).toBe(409);
      expect(r.body).toContain(id);
      // Both views still show the object to LT, at its one release.
      expect((await call(lt, 'GET', `${path}/${id}`)).statusCode, id).toBe(200);
      expect((await call(lt, 'GET', `${COLL}${id}/`)).statusCode, id).toBe(200);
    }
    // A report of a TAXII client, and its next version, are no document: they are taken as before.
    const report = {
      type: 'report',
      spec_version: '2.1',
      id: 'report--6d1a2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b',
      created: '2026-01-01T00:00:00.000Z',
      modified: '2026-01-01T00:00:00.000Z',
      name: 'A client report',
      published: '2026-01-01T00:00:00.000Z',
      object_refs: [owned[2][1]],
      object_marking_refs: [TLP2_MARKING_IDS.green],
    };
    for (const v of [
      report,
      { ...report, modified: '2026-01-02T00:00:00.000Z', object_marking_refs: [TLP2_MARKING_IDS.red] },
    ]) {
      const r = await call(pl, 'POST', COLL, { objects: [v] });
      expect(r.json<{ success_count: number }>().success_count, r.body).toBe(1);
    }
  });
});
