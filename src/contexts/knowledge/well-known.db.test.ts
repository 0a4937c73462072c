import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { PG_URL, testDatabases } from '../../../test/databases.ts';
import { testServer, type TestServer } from '../../../test/server.ts';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrate.ts';
import { systemClock } from '../../platform/clock.ts';
import { systemActor, type UserActor } from '../../kernel/access/actor.ts';
import { TLP2_MARKING_IDS } from '../../kernel/access/tlp.ts';
import { collectionUuid, TAXII_MEDIA } from '../taxii/taxii.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { KnowledgeService } from './knowledge.service.ts';

/** The definitions as OASIS publishes them (test/fixtures/tlp, copied unchanged). */
const published = ['tlp1', 'tlp2'].flatMap(
  (f) =>
    (
      JSON.parse(
        readFileSync(
          new URL(`../../../test/fixtures/tlp/${f}-marking-definitions.bundle.json`, import.meta.url),
          'utf8',
        ),
      ) as { objects: Array<Record<string, unknown>> }
    ).objects,
);
const RED = TLP2_MARKING_IDS.red;
const forgedRed = {
  type: 'marking-definition',
  spec_version: '2.1',
  id: RED,
  created: '2022-10-01T00:00:00.000Z',
  name: 'TLP:CLEAR',
  extensions: {
    'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d': {
      extension_type: 'property-extension',
      tlp_2_0: 'clear',
    },
  },
};
const pl: UserActor = { kind: 'user', userId: 'u', userName: 'u', org: 'PL', orgKind: 'member', role: 'analyst' };
const items = (objs: unknown[]) => objs.map((value, index) => ({ index, value }));
const anonymous = { kind: 'anonymous' } as const;

describe.each(testDatabases)('standard marking definitions on $name', (tdb) => {
  let database: Database;
  let svc: KnowledgeService;
  beforeEach(async () => {
    database = await tdb.open();
    svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  });
  afterEach(async () => database.close());

  const stored = async () =>
    svc.list({ reader: anonymous, scope: { kind: 'public' }, types: ['marking-definition'], versions: ['all'] });

  it('every store holds the TLP 1.0 and 2.0 definitions exactly as published, public and first', async () => {
    const rows = await stored();
    expect(rows.map((r) => r.json)).toEqual(published.map((o) => JSON.stringify(o)));
    expect(rows.every((r) => r.tlp === 'clear' && r.audience === '' && r.is_latest === 1)).toBe(true);
    expect(rows.map((r) => r.date_added)[0]).toBe('1970-01-01T00:00:00.000001Z');
  });

  it('refuses a forged definition under a standard id (same version or a new one), from users and system writers alike', async () => {
    for (const [who, opts] of [
      [pl, {}],
      [systemActor('import'), { asOrg: 'LT' }],
    ] as const) {
      const r = await svc.ingest(who, items([forgedRed, { ...forgedRed, modified: '2030-01-01T00:00:00.000Z' }]), opts);
      expect(r.accepted).toEqual([]);
      expect(r.rejected).toHaveLength(2);
      for (const x of r.rejected)
        expect(x.message).toMatch(
          /^marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1: id is the standard TLP:RED marking definition \(TLP 2\.0\)/,
        );
    }
    expect((await stored()).map((r) => r.json)).toEqual(published.map((o) => JSON.stringify(o)));
  });

  it("takes a copy exactly as published (key order aside) as a duplicate of the store's own", async () => {
    const copy = Object.fromEntries(Object.entries(published[8]!).reverse());
    const r = await svc.ingest(pl, items([copy, published[0]]));
    expect(r.duplicates.map((d) => d.id)).toEqual([RED, published[0]!.id]);
    expect(r.rejected).toEqual([]);
    expect(await stored()).toHaveLength(9);
  });

  it('refuses a definition that presents itself as TLP under another id', async () => {
    const fake = { ...forgedRed, id: `marking-definition--${randomUUID()}`, name: 'TLP:RED' };
    const fake1 = { ...published[3]!, id: `marking-definition--${randomUUID()}` };
    const statement = {
      type: 'marking-definition',
      spec_version: '2.1',
      id: `marking-definition--${randomUUID()}`,
      created: '2024-01-01T00:00:00.000Z',
      definition_type: 'statement',
      definition: { statement: 'Copyright' },
    };
    const r = await svc.ingest(pl, items([fake, fake1, statement]));
    expect(r.rejected.map((x) => x.index)).toEqual([0, 1]);
    for (const x of r.rejected)
      expect(x.message).toMatch(/id a TLP marking definition must be one of the standard TLP 1\.0 or 2\.0 ones/);
    expect(r.accepted.map((a) => a.id)).toEqual([statement.id]);
  });

  it('refuses an object under the id of the TLP 2.0 extension definition', async () => {
    const ext = {
      type: 'extension-definition',
      spec_version: '2.1',
      id: 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d',
      created: '2022-01-01T00:00:00.000Z',
      modified: '2022-01-01T00:00:00.000Z',
      created_by_ref: `identity--${randomUUID()}`,
      name: 'TLP 2.0',
      schema: 'x',
      version: '1.0.0',
      extension_types: ['property-extension'],
    };
    const r = await svc.ingest(pl, items([ext]));
    expect(r.rejected.map((x) => x.message)).toEqual([
      `${ext.id}: id is the OASIS TLP 2.0 extension definition, which the TLP 2.0 markings name; no one may store another object under its id`,
    ]);
  });
});

describe.each(testDatabases)('standard marking definitions over TAXII on $name', (tdb) => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer({ db: tdb });
  });
  afterEach(async () => s.close());
  const PUBLIC = `/taxii2/alliance/collections/${collectionUuid('public')}`;

  it('the public collection serves the genuine TLP:RED after a forgery was posted, and the forger is told why', async () => {
    const token = await s.token('PL');
    const post = await s.app.inject({
      method: 'POST',
      url: `/taxii2/alliance/collections/${collectionUuid('alliance')}/objects/`,
      headers: { accept: TAXII_MEDIA, 'content-type': TAXII_MEDIA, authorization: `Bearer ${token}` },
      payload: JSON.stringify({ objects: [forgedRed] }),
    });
    expect(post.statusCode).toBe(202);
    expect(post.json()).toMatchObject({
      success_count: 0,
      failure_count: 1,
      failures: [{ id: RED, message: expect.stringMatching(/standard TLP:RED marking definition/) as unknown }],
    });
    const got = await s.app.inject({ url: `${PUBLIC}/objects/${RED}/`, headers: { accept: TAXII_MEDIA } });
    expect(got.statusCode).toBe(200);
    expect(got.body).toBe(`{"more":false,"objects":[${JSON.stringify(published[8])}]}`);
    const all = await s.app.inject({
      url: `${PUBLIC}/objects/?match[type]=marking-definition`,
      headers: { accept: TAXII_MEDIA },
    });
    expect(all.json<{ objects: unknown[] }>().objects).toEqual(published);
  });
});

describe.each(['sqlite', 'postgres'] as const)('010-well-known-markings upgrade (%s)', (name) => {
  it('replaces a forgery stored before the upgrade with the genuine definition', async () => {
    const schema = `t_wk_${randomUUID().slice(0, 8)}`;
    const old =
      name === 'sqlite'
        ? await openDatabase({ sqliteFile: ':memory:', migrateUntil: '003-objects-clustered' })
        : await openDatabase({ url: PG_URL, pgSchema: schema, poolSize: 2, migrateUntil: '003-objects-clustered' });
    try {
      await old.db
        .insertInto('objects')
        .values({
          id: RED,
          type: 'marking-definition',
          spec_version: '2.1',
          version: '2022-10-01T00:00:00.000000000Z',
          added_us: 1_700_000_000_000_000,
          date_added: '2023-11-14T22:13:20.000000Z',
          author: 'PL',
          tlp: 'clear',
          audience: '',
          is_latest: 1,
          json: JSON.stringify(forgedRed),
        })
        .execute();
      await migrate(old.db as unknown as Kysely<unknown>, old.dialect);
      const rows = await old.db.selectFrom('objects').select(['json', 'author']).where('id', '=', RED).execute();
      expect(rows).toEqual([{ json: JSON.stringify(published[8]), author: '--' }]);
    } finally {
      await old.close();
      if (name === 'postgres') {
        const pg = await import('pg');
        const c = new pg.default.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`drop schema if exists "${schema}" cascade`);
        await c.end();
      }
    }
  });
});
