import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { sqliteFileStore, testDatabases } from '../../../test/databases.ts';
import { testServer, type TestServer } from '../../../test/server.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { appendToOutbox } from '../../platform/events/outbox.ts';
import { OutboxRepository } from '../../platform/events/outbox.repository.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { canRead, type Reader, type Releasable } from '../../kernel/access/releasability.ts';
import { TLP_LEVELS, TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { collectionUuid, TAXII_MEDIA } from '../taxii/taxii.ts';
import { KnowledgeRepository, type VersionMatch } from './knowledge.repository.ts';
import { KnowledgeService } from './knowledge.service.ts';

const kindOf = (org: string) => ORGANISATIONS.find((o) => o.code === org)!.kind;
const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: `u-${org}`,
  userName: org,
  org,
  orgKind: kindOf(org),
  role: 'analyst',
});
const orgReader = (org: string): Reader => ({ kind: 'org', org, orgKind: kindOf(org) });
const modifiedAt = (i: number) => `2024-01-${String(i + 1).padStart(2, '0')}T00:00:00.000Z`;
const indicator = (id: string, i: number) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: modifiedAt(0),
  modified: modifiedAt(i),
  name: `v${i}`,
  pattern: "[ipv4-addr:value = '1.2.3.4']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
});

/** The rule, in plain TypeScript: a version is visible when its own release and the current (latest) one both allow it. */
function visible(reader: Reader, versions: readonly Releasable[]): number[] {
  const current = versions.at(-1)!;
  return versions.flatMap((v, i) => (canRead(reader, v) && canRead(reader, current) ? [i] : []));
}

describe.each(testDatabases)('older versions after narrowing on $name', (tdb) => {
  let database: Database;
  let svc: KnowledgeService;
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed(); // audiences name organisations of the store
    svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  });
  afterEach(async () => database.close());
  const write = (id: string, i: number, tlp: Tlp, audience: string[] = []) =>
    svc.ingest(actor('PL'), [{ index: 0, value: indicator(id, i) }], { defaultTlp: tlp, audience });
  const names = async (reader: Reader, id: string, v: VersionMatch, scope: 'all' | 'public' = 'all') =>
    (await svc.list({ reader, scope: { kind: scope }, ids: [id], versions: [v] })).map(
      (r) => (JSON.parse(r.json) as { name: string }).name,
    );

  it('narrowing hides every older version; widening shows the wide ones again, never a narrower one', async () => {
    const id = `indicator--${randomUUID()}`;
    await write(id, 1, 'clear');
    await write(id, 2, 'green');
    await write(id, 3, 'red');
    for (const v of ['all', 'first', 'last', { key: '2024-01-02T00:00:00.000000000Z' }] as const) {
      expect(await names(orgReader('LT'), id, v)).toEqual([]);
      expect(await names({ kind: 'anonymous' }, id, v, 'public')).toEqual([]);
    }
    expect(await svc.count({ reader: orgReader('LT'), scope: { kind: 'all' }, ids: [id], versions: ['all'] })).toBe(0);
    expect(await names(orgReader('PL'), id, 'all')).toEqual(['v1', 'v2', 'v3']);
    await write(id, 4, 'green');
    expect(await names(orgReader('LT'), id, 'all')).toEqual(['v1', 'v2', 'v4']);
    expect(await names(orgReader('LT'), id, 'first')).toEqual(['v1']);
    expect(await names({ kind: 'anonymous' }, id, 'all', 'public')).toEqual([]);
    await write(id, 5, 'clear');
    // The first version the public collection holds is v1; v3 (red) never reappears.
    expect(await names({ kind: 'anonymous' }, id, 'all', 'public')).toEqual(['v1', 'v5']);
    expect(await names(orgReader('UA'), id, 'all')).toEqual(['v1', 'v2', 'v4', 'v5']);
  });

  it('every version list, first, last and count follow the rule (property: random narrowing and widening)', async () => {
    const orgs = ['PL', 'LT', 'US', 'UA'];
    const step = fc.record({
      tlp: fc.constantFrom(...TLP_LEVELS),
      audience: fc.subarray(['LT', 'US', 'UA'], { maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 6 }), async (steps) => {
        const id = `indicator--${randomUUID()}`;
        const written: Releasable[] = [];
        for (const [i, s] of steps.entries()) {
          await write(id, i + 1, s.tlp, s.audience);
          written.push({ author: 'PL', tlp: s.tlp, audience: s.audience });
          for (const reader of [...orgs.map(orgReader), { kind: 'anonymous' } as const]) {
            const want = visible(reader, written).map((k) => `v${k + 1}`);
            expect(await names(reader, id, 'all')).toEqual(want);
            expect(await names(reader, id, 'first')).toEqual(want.slice(0, 1));
            expect(await names(reader, id, 'last')).toEqual(
              want.at(-1) === `v${written.length}` ? [`v${written.length}`] : [],
            );
            expect(await svc.count({ reader, scope: { kind: 'all' }, ids: [id], versions: ['all'] })).toBe(want.length);
            for (const [k] of written.entries()) {
              expect(await names(reader, id, { key: `${modifiedAt(k + 1).slice(0, -1)}000000Z` })).toEqual(
                want.includes(`v${k + 1}`) ? [`v${k + 1}`] : [],
              );
            }
          }
        }
      }),
      { numRuns: tdb.name === 'sqlite' ? 30 : 8 },
    );
  });

  it('a stream replayed from the start withholds events about an object the reader may no longer read', async () => {
    const id = `indicator--${randomUUID()}`;
    const outbox = new OutboxRepository(database.db, database.dialect);
    const announce = async (event: string, tlp: Tlp) => {
      await database.db
        .transaction()
        .execute((trx) =>
          appendToOutbox(
            trx,
            [{ event, objectId: id, author: 'PL', tlp, audience: [], payload: {} }],
            new Date().toISOString(),
          ),
        );
      await outbox.assignIds(10);
    };
    const other = `incident--${randomUUID()}`;
    await database.db
      .transaction()
      .execute((trx) =>
        appendToOutbox(
          trx,
          [{ event: 'x.created', objectId: other, author: 'PL', tlp: 'green', audience: [], payload: {} }],
          new Date().toISOString(),
        ),
      );
    await write(id, 1, 'green');
    await announce('incident.created', 'green');
    const replayed = async (org: string) =>
      (await outbox.replay(orgReader(org), 0, undefined, 100)).map(
        (e) => `${e.event} ${e.objectId === id ? 'id' : 'other'}`,
      );
    expect(await replayed('LT')).toEqual(['x.created other', 'incident.created id']);
    await write(id, 2, 'red');
    await announce('incident.updated', 'red');
    expect(await replayed('LT')).toEqual(['x.created other']);
    expect(await replayed('PL')).toEqual(['x.created other', 'incident.created id', 'incident.updated id']);
    await write(id, 3, 'green');
    await announce('incident.updated', 'green');
    expect(await replayed('LT')).toEqual(['x.created other', 'incident.created id', 'incident.updated id']);
  });
});

describe('older versions after narrowing over TAXII (SQLite file store, pages read on the reader thread)', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await testServer({ db: sqliteFileStore });
  });
  afterEach(async () => s.close());

  it('match[version]=all|first, /versions/ and the manifest serve no version of a narrowed object', async () => {
    const [pl, lt] = [await s.token('PL'), await s.token('LT')];
    const base = `/taxii2/alliance/collections/${collectionUuid('alliance')}`;
    const id = `indicator--${randomUUID()}`;
    const h = (t: string) => ({ accept: TAXII_MEDIA, authorization: `Bearer ${t}` });
    const post = async (i: number, tlp: Tlp) => {
      const r = await s.app.inject({
        method: 'POST',
        url: `${base}/objects/`,
        headers: { ...h(pl), 'content-type': TAXII_MEDIA },
        payload: JSON.stringify({ objects: [{ ...indicator(id, i), object_marking_refs: [TLP2_MARKING_IDS[tlp]] }] }),
      });
      expect(r.json()).toMatchObject({ success_count: 1 });
    };
    await post(1, 'green');
    await post(2, 'red');
    const get = async (url: string, token: string) =>
      (await s.app.inject({ url, headers: h(token) })).json<Record<string, unknown[] | undefined>>();
    for (const v of ['all', 'first']) {
      expect((await get(`${base}/objects/?match[id]=${id}&match[version]=${v}`, lt)).objects ?? []).toEqual([]);
      expect((await get(`${base}/objects/?match[type]=indicator&match[version]=${v}`, lt)).objects ?? []).toEqual([]);
      expect((await get(`${base}/manifest/?match[id]=${id}&match[version]=${v}`, lt)).objects ?? []).toEqual([]);
      expect((await get(`${base}/objects/?match[id]=${id}&match[version]=${v}`, pl)).objects).toHaveLength(
        v === 'all' ? 2 : 1,
      );
    }
    expect(
      (await s.app.inject({ url: `${base}/objects/${id}/versions/`, headers: h(lt) })).json<{ versions?: unknown[] }>()
        .versions ?? [],
    ).toEqual([]);
    expect((await s.app.inject({ url: `${base}/objects/${id}/?match[version]=all`, headers: h(lt) })).statusCode).toBe(
      404,
    );
  });
});
