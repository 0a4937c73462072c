import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { canRead, type Reader } from '../../kernel/access/releasability.ts';
import { TLP_LEVELS, TLP2_MARKING_IDS, type Tlp } from '../../kernel/access/tlp.ts';
import { canonicalJson, versionKeyOf } from '../stix/stix.ts';
import { scanBundleFile } from '../stix/bundle.reader.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { KnowledgeService, toReleasable } from './knowledge.service.ts';
import { PreparePool } from './prepare-pool.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';

const ICS = 'test/fixtures/stix-bundles/ics-attack-18.1.json';
const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: 'u',
  userName: 'u',
  org,
  orgKind: ORGANISATIONS.find((o) => o.code === org)!.kind,
  role: 'analyst',
});

function indicator(
  id = `indicator--${randomUUID()}`,
  modified = '2024-01-01T00:00:00.000Z',
  extra: Record<string, unknown> = {},
) {
  return {
    type: 'indicator',
    spec_version: '2.1',
    id,
    created: '2024-01-01T00:00:00.000Z',
    modified,
    pattern: "[ipv4-addr:value = '1.2.3.4']",
    pattern_type: 'stix',
    valid_from: '2024-01-01T00:00:00Z',
    ...extra,
  };
}
const items = (objs: unknown[]) => objs.map((value, index) => ({ index, value }));

describe.each(testDatabases)('knowledge store on $name', (tdb) => {
  let database: Database;
  let svc: KnowledgeService;
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed(); // audiences name organisations of the store
    svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  });
  afterEach(async () => database.close());

  it('imports ATT&CK for ICS and returns every object equal, with strictly increasing date_added', async () => {
    const original = (JSON.parse(readFileSync(ICS, 'utf8')) as { objects: Array<Record<string, unknown>> }).objects;
    const report = await svc.ingest(actor('US'), scanBundleFile(ICS), { defaultTlp: 'clear' });
    expect(report.rejected).toEqual([]);
    expect(report.accepted.length + report.duplicates.length).toBe(original.length);
    const rows = await svc.list({
      reader: { kind: 'org', org: 'UA', orgKind: 'partner' },
      scope: { kind: 'author', org: 'US' },
      versions: ['all'],
    });
    expect(rows.length).toBe(report.accepted.length);
    const byId = new Map(rows.map((r) => [r.id, JSON.parse(r.json) as unknown]));
    for (const o of original) expect(canonicalJson(byId.get(o.id as string))).toBe(canonicalJson(o));
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.added_us).toBeGreaterThan(rows[i - 1]!.added_us);
    expect(rows[0]!.date_added).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it('keeps versions, reports duplicates, rejects a changed object under the same version', async () => {
    const id = `indicator--${randomUUID()}`;
    const r1 = await svc.ingest(
      actor('PL'),
      items([indicator(id), indicator(id, '2024-02-01T00:00:00Z', { name: 'v2' })]),
    );
    expect(r1.accepted).toHaveLength(2);
    const r2 = await svc.ingest(
      actor('PL'),
      items([indicator(id), indicator(id, '2024-01-01T00:00:00.000Z', { name: 'changed' })]),
    );
    expect(r2.duplicates).toHaveLength(1);
    expect(r2.rejected[0]!.message).toMatch(/same id and version/);
    const latest = await svc.get(actor('PL'), id);
    expect(latest.object.name).toBe('v2');
    expect(
      await svc.count({
        reader: { kind: 'system', name: 't' },
        scope: { kind: 'author', org: 'PL' },
        versions: ['all'],
      }),
    ).toBe(2);
    const r3 = await svc.ingest(actor('LT'), items([indicator(id, '2024-03-01T00:00:00Z')]));
    expect(r3.rejected[0]!.message).toMatch(/another organisation/);
  });

  it('stores any text exactly, prepared on the worker thread (UTF-8 bytes) or in line (strings) (property)', async () => {
    const pool = new PreparePool();
    const text = fc.string({
      unit: fc.constantFrom('a', 'Z', ' ', '\\', '"', '\t', '\n', '\r', '\u0000', 'é', 'ł', '😀', '\u2028', '\ud800'),
      maxLength: 40,
    });
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(text, { minLength: 300, maxLength: 300 }), fc.boolean(), async (names, threaded) => {
          const objs = names.map((name) => indicator(undefined, undefined, { name, description: `${name}\\${name}` }));
          const s = threaded ? new KnowledgeService(new KnowledgeRepository(database), systemClock, pool) : svc;
          const r = await s.ingest(
            actor('DE'),
            objs.map((o, index) => ({ index, text: JSON.stringify(o) })),
          );
          expect(r.accepted).toHaveLength(300);
          const rows = await svc.list({
            reader: { kind: 'system', name: 't' },
            scope: { kind: 'all' },
            ids: objs.map((o) => o.id),
          });
          const byId = new Map(rows.map((row) => [row.id, row.json]));
          for (const o of objs) expect(byId.get(o.id)).toBe(JSON.stringify(o));
        }),
        { numRuns: 4 },
      );
    } finally {
      await pool.close();
    }
  });

  it('stores JSON given as UTF-8 bytes as its text, in a small write as in a bulk one', async () => {
    const repo = new KnowledgeRepository(database);
    for (const n of [3, 250]) {
      const objs = Array.from({ length: n }, (_, i) =>
        indicator(undefined, undefined, { name: `n\\"${i}\t é 😀 \u2028` }),
      );
      const base = Date.now() * 1000 + n * 10_000;
      await database.db.transaction().execute((trx) =>
        repo.insertRows(
          trx,
          objs.map((o, i) => ({
            id: o.id,
            type: o.type,
            spec_version: '2.1',
            version: versionKeyOf(o),
            added_us: base + i,
            date_added: '2024-01-01T00:00:00.000000Z',
            author: 'DE',
            tlp: 'green',
            audience: '',
            is_latest: 1,
            json: new TextEncoder().encode(JSON.stringify(o)),
          })),
        ),
      );
      const rows = await svc.list({
        reader: { kind: 'system', name: 't' },
        scope: { kind: 'all' },
        ids: objs.map((o) => o.id),
      });
      expect(new Map(rows.map((r) => [r.id, r.json]))).toEqual(new Map(objs.map((o) => [o.id, JSON.stringify(o)])));
    }
  });

  it('rejects bad objects with the id and property, and stores the good ones of the same write', async () => {
    const good = indicator();
    const report = await svc.ingest(
      actor('EE'),
      items([
        good,
        { ...indicator(), created: '2024-01-01T00:00:00' },
        { ...indicator(), id: 'indicator--not-a-uuid' },
        { ...indicator(), object_marking_refs: ['nonsense'] },
        'just a string',
      ]),
    );
    expect(report.accepted.map((a) => a.id)).toEqual([good.id]);
    expect(report.rejected.map((r) => r.message).join('\n')).toMatch(
      /created must be a UTC timestamp[\s\S]*id must be[\s\S]*object_marking_refs[\s\S]*must be a JSON object/,
    );
  });

  it('maps TLP 1.0 and 2.0 markings and defaults the rest', async () => {
    const white = indicator(undefined, undefined, {
      object_marking_refs: ['marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9'],
    });
    const red = indicator(undefined, undefined, { object_marking_refs: [TLP2_MARKING_IDS.red] });
    const none = indicator();
    await svc.ingest(actor('FR'), items([white, red, none]), { defaultTlp: 'green' });
    const rows = await svc.list({ reader: { kind: 'system', name: 't' }, scope: { kind: 'author', org: 'FR' } });
    expect(Object.fromEntries(rows.map((r) => [r.id, r.tlp]))).toEqual({
      [white.id]: 'clear',
      [red.id]: 'red',
      [none.id]: 'green',
    });
  });

  it('list, get and count agree with the pure releasability policy (property)', async () => {
    const orgs = ['PL', 'LT', 'US', 'UA', 'GE'];
    const objArb = fc.record({
      author: fc.constantFrom(...orgs),
      tlp: fc.constantFrom(...TLP_LEVELS),
      audience: fc.subarray(orgs, { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(objArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom(...orgs),
        async (objs, readerOrg) => {
          const written: Array<{ id: string; author: string; tlp: Tlp; audience: string[] }> = [];
          for (const o of objs) {
            const obj = indicator();
            await svc.ingest(actor(o.author), items([obj]), { defaultTlp: o.tlp, audience: o.audience });
            written.push({ id: obj.id, author: o.author, tlp: o.tlp, audience: o.audience });
          }
          const reader: Reader = {
            kind: 'org',
            org: readerOrg,
            orgKind: readerOrg === 'UA' || readerOrg === 'GE' ? 'partner' : 'member',
          };
          const expected = new Set(written.filter((w) => canRead(reader, w)).map((w) => w.id));
          const ids = written.map((w) => w.id);
          const listed = await svc.list({ reader, scope: { kind: 'all' }, ids });
          expect(new Set(listed.map((r) => r.id))).toEqual(expected);
          for (const r of listed) expect(canRead(reader, toReleasable(r))).toBe(true);
          expect(await svc.count({ reader, scope: { kind: 'all' }, ids })).toBe(expected.size);
          for (const w of written) {
            const got = await svc.get(actor(readerOrg), w.id).then(
              () => true,
              () => false,
            );
            expect(got).toBe(expected.has(w.id));
          }
          const anon = await svc.list({ reader: { kind: 'anonymous' }, scope: { kind: 'all' }, ids });
          expect(anon.every((r) => r.tlp === 'clear')).toBe(true);
        },
      ),
      { numRuns: tdb.name === 'sqlite' ? 40 : 15 },
    );
  });
});
