import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testServer, type TestServer } from '../../../test/server.ts';
import { sqliteFileStore, testDatabases, type TestDatabase } from '../../../test/databases.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { exportBundle } from '../knowledge/knowledge.export.ts';
import { RELEASE_EXTENSION_ID } from '../../kernel/access/outbound.ts';
import { TAXII_MEDIA } from './taxii.ts';

const indicator = (extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${randomUUID()}`,
  created: '2024-01-01T00:00:00.000Z',
  modified: '2024-03-01T00:00:00.000Z',
  pattern: "[domain-name:value = 'evil.example']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
});
type Obj = Record<string, unknown> & { id: string };

const stores: Array<[string, TestDatabase]> = [
  ...testDatabases.map((d) => [d.name, d] as [string, TestDatabase]),
  ['sqlite file store (reader thread)', sqliteFileStore],
];

// An object imported with --tlp amber and no marking of its own used to leave over TAXII and export
// with no object_marking_refs: a downstream MISP or OpenCTI could not tell it was shared as AMBER.
describe.each(stores)('objects leave with the release they are held under (%s)', (_name, store) => {
  let s: TestServer | undefined;
  afterEach(async () => {
    await s?.close();
    s = undefined;
  });

  it(
    'over TAXII (lists, object by id, all versions) and in exports: the TLP marking, and the audience in the release extension',
    { timeout: 60_000 },
    async () => {
      s = await testServer({ db: store });
      const lt = await s.token('LT');
      const unmarked = indicator();
      const restricted = indicator({ object_marking_refs: [TLP2_MARKING_IDS.green] });
      const importer = systemActor('import');
      expect(
        (
          await s.services.knowledge.ingest(importer, [{ index: 0, value: unmarked }], {
            asOrg: 'PL',
            defaultTlp: 'amber',
          })
        ).accepted,
      ).toHaveLength(1);
      expect(
        (
          await s.services.knowledge.ingest(importer, [{ index: 0, value: restricted }], {
            asOrg: 'PL',
            audience: ['LT'],
          })
        ).accepted,
      ).toHaveLength(1);
      const check = (list: Obj[]) => {
        const a = list.find((o) => o.id === unmarked.id)!;
        expect(a).toEqual({ ...unmarked, object_marking_refs: [TLP2_MARKING_IDS.amber] });
        const b = list.find((o) => o.id === restricted.id)!;
        expect(b).toEqual({
          ...restricted,
          extensions: {
            [RELEASE_EXTENSION_ID]: { extension_type: 'property-extension', tlp: 'green', audience: ['LT'] },
          },
        });
      };
      const get = async (url: string) => {
        const r = await s!.app.inject({ url, headers: { accept: TAXII_MEDIA, authorization: `Bearer ${lt}` } });
        expect(r.statusCode).toBe(200);
        return r.json<{ objects: Obj[] }>().objects;
      };
      const col = '/taxii2/alliance/collections/alliance';
      check(await get(`${col}/objects/`));
      check(await get(`${col}/objects/?match[version]=all`));
      check([
        ...(await get(`${col}/objects/${unmarked.id}/`)),
        ...(await get(`${col}/objects/${restricted.id}/?match[version]=all`)),
      ]);
      let text = '';
      for await (const chunk of exportBundle(s.services.knowledge, {
        reader: { kind: 'org', org: 'LT', orgKind: 'member' },
      }))
        text += chunk.toString();
      check((JSON.parse(text) as { objects: Obj[] }).objects);
      // The extension is defined where a consumer can resolve it: in the public collection.
      const pub = await s.app.inject({
        url: '/taxii2/alliance/collections/public/objects/?match[type]=extension-definition',
        headers: { accept: TAXII_MEDIA },
      });
      expect(pub.json<{ objects: Obj[] }>().objects.map((o) => o.id)).toContain(RELEASE_EXTENSION_ID);
    },
  );
});
