import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { userOf } from '../council/council.fixtures.ts';
import { testSources } from './sources.fixtures.ts';
import type { CreateDocumentInput } from './sources.schema.ts';

const WIRE =
  'BRUSSELS (Wire) — NATO Deputy Secretary General Mircea Geoană said on Tuesday that the North Atlantic ' +
  'Alliance would not send troops to Ukraine. "There is no formal request," Geoana stressed in Vilnius.';
const FOLLOW_UP =
  'VILNIUS — Deputy Secretary General Mircea Geoana told reporters that NATO was watching the border. ' +
  '"We are ready," Geoanna added.';
const KALLAS_A = 'Foreign Minister Kaja Kallas said in Tallinn that the sanctions must continue.';
const KALLAS_B = 'Former commissioner Siim Kallas said in Tallinn that the budget was balanced.';

describe.each(testDatabases)('open sources on $name', (tdb) => {
  let database: Database;
  let s: ReturnType<typeof testSources>;
  let nudges: number;
  const pl = userOf('PL');
  const lt = userOf('LT');
  const ua = userOf('UA');
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    nudges = 0;
    s = testSources(database, systemClock, { onNudge: () => void nudges++ });
  });
  afterEach(async () => {
    await database.close();
  });
  const post = (actor = pl, over: Partial<CreateDocumentInput> = {}) =>
    s.documents.create(actor, { text: WIRE, tlp: 'amber', ...over });

  it('stores a press text with one person, one alliance, places, claims and a document.created event', async () => {
    const d = await post();
    expect(d.language).toBe('en');
    expect(d.grade).toBe('F6');
    const geoana = d.entities.find((e) => e.name === 'Mircea Geoană')!;
    expect(geoana.aliases.sort()).toEqual(['Geoana', 'Mircea Geoană']);
    const nato = d.entities.find((e) => e.name === 'NATO')!;
    expect(nato.mentions.map((m) => m.text)).toEqual(['NATO', 'North Atlantic Alliance']);
    expect(d.claims.find((c) => c.text === 'There is no formal request')?.speaker).toBe(geoana.id);
    const events = await database.db.selectFrom('outbox').select(['event', 'object_id', 'tlp']).execute();
    expect(events).toEqual([{ event: 'document.created', object_id: d.id, tlp: 'amber' }]);
    expect(nudges).toBe(1);
  });

  it('resolves across documents: spellings join, near-namesakes stay apart', async () => {
    const a = await post();
    const b = await post(pl, { text: FOLLOW_UP });
    const id = a.entities.find((e) => e.name === 'Mircea Geoană')!.id;
    expect(b.entities.find((e) => e.aliases.includes('Geoanna'))?.id).toBe(id);
    const ent = await s.entities.get(pl, id);
    expect(ent.aliases.sort()).toEqual(['Geoana', 'Geoanna', 'Mircea Geoana', 'Mircea Geoană']);
    expect(ent.documents).toHaveLength(2);
    expect(ent.sameAs[0]?.evidence.length).toBeGreaterThan(0);
    expect(ent.claims.map((c) => c.text)).toContain('We are ready');
    const k1 = await post(pl, { text: KALLAS_A });
    const k2 = await post(pl, { text: KALLAS_B });
    expect(k1.entities.find((e) => e.kind === 'person')!.id).not.toBe(k2.entities.find((e) => e.kind === 'person')!.id);
    const found = await s.entities.search(pl, { q: 'KALLAS', limit: 50 });
    expect(found.items.map((e) => e.name).sort()).toEqual(['Kaja Kallas', 'Siim Kallas']);
    const diacritics = await s.entities.search(pl, { q: 'geoană', limit: 50 });
    expect(diacritics.items.map((e) => e.id)).toEqual([id]);
  });

  it('what only unreadable documents support does not exist for a reader (search included)', async () => {
    const red = await post(pl, { tlp: 'red' });
    const id = red.entities.find((e) => e.name === 'Mircea Geoană')!.id;
    await expect(s.documents.get(lt, red.id)).rejects.toThrow('not found');
    await expect(s.entities.get(lt, id)).rejects.toThrow('not found');
    expect((await s.entities.search(lt, { q: 'geoana', limit: 50 })).items).toEqual([]);
    expect((await s.documents.list(lt, { limit: 50 })).items).toEqual([]);
    // LT's own document names him by surname: LT sees only the alias its documents support.
    const own = await post(lt, {
      text: 'Deputy Secretary General Mircea Geoana said NATO was ready.',
      tlp: 'amber',
      audience: ['LT'],
    });
    const seen = own.entities.find((e) => e.kind === 'person')!;
    expect(seen.aliases).toEqual(['Mircea Geoana']);
    const ent = await s.entities.get(lt, seen.id);
    expect(ent.documents.map((d) => d.id)).toEqual([own.id]);
    expect(ent.claims.every((c) => c.document === own.id)).toBe(true);
    // A partner never reads amber without audience.
    const amber = await post(pl, { tlp: 'amber' });
    await expect(s.documents.get(ua, amber.id)).rejects.toThrow('not found');
  });

  it('releasability property: every entity a reader finds is backed by a document it may read', async () => {
    const tlps = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
    const texts = [WIRE, FOLLOW_UP, KALLAS_A, KALLAS_B];
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            author: fc.constantFrom('PL', 'LT', 'UA'),
            tlp: fc.constantFrom(...tlps),
            text: fc.constantFrom(...texts),
            aud: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        fc.constantFrom('PL', 'LT', 'UA', 'US'),
        async (docs, readerOrg) => {
          const created = [];
          for (const d of docs)
            created.push(
              await post(userOf(d.author), { text: d.text, tlp: d.tlp, ...(d.aud ? { audience: ['US'] } : {}) }),
            );
          const reader = userOf(readerOrg);
          const readable = new Set((await s.documents.list(reader, { limit: 500 })).items.map((x) => x.id));
          const found = await s.entities.search(reader, { q: '', limit: 500 });
          for (const e of found.items) {
            const ent = await s.entities.get(reader, e.id);
            for (const d of ent.documents) expect(readable.has(d.id)).toBe(true);
            for (const a of ent.aliasesSeen) for (const d of a.documents) expect(readable.has(d)).toBe(true);
          }
          for (const c of created) await s.documents.delete(userOf(c.author), c.id);
          expect((await s.entities.search(reader, { q: '', limit: 500 })).items).toEqual([]);
        },
      ),
      { numRuns: 8 },
    );
  });

  it('exports a document as a STIX report with identities and locations, under its release', async () => {
    const d = await post(pl, { tlp: 'amber', audience: ['PL', 'LT'], credibility: 2 });
    const stix = async (org: string) =>
      (
        await s.knowledge.list({
          reader: { kind: 'org', org, orgKind: 'member' },
          scope: { kind: 'all' },
          versions: ['last'],
        })
      )
        .map((r) => JSON.parse(r.json) as Record<string, unknown>)
        .filter((o) => ['report', 'identity', 'location'].includes(o.type as string));
    const lt = await stix('LT');
    const report = lt.find((o) => o.type === 'report')!;
    expect(report.id).toBe(d.id);
    expect(Object.values(report.extensions as object)[0]).toMatchObject({ grade: 'F2', language: 'en' });
    const names = lt.filter((o) => o.type !== 'report').map((o) => o.name);
    expect(names).toEqual(expect.arrayContaining(['Mircea Geoană', 'NATO', 'Ukraine', 'Unattributed source']));
    expect(lt.find((o) => o.name === 'Ukraine')).toMatchObject({ type: 'location', country: 'UA' });
    expect(await stix('FR')).toEqual([]);
    await s.documents.delete(pl, d.id);
    expect(await stix('PL')).toEqual([]);
  });

  it('deleting a document removes what only it supported', async () => {
    const a = await post();
    const b = await post(pl, { text: FOLLOW_UP });
    const id = a.entities.find((e) => e.name === 'Mircea Geoană')!.id;
    await s.documents.delete(pl, b.id);
    expect((await s.entities.get(pl, id)).aliases.sort()).toEqual(['Geoana', 'Mircea Geoană']);
    expect((await s.entities.search(pl, { q: 'geoanna', limit: 5 })).items).toEqual([]);
    await expect(s.documents.delete(lt, a.id)).rejects.toThrow();
    await s.documents.delete(pl, a.id);
    await expect(s.entities.get(pl, id)).rejects.toThrow('not found');
    const left = await database.db
      .selectFrom('sources_mentions' as never)
      .selectAll()
      .execute();
    expect(left).toEqual([]);
  });

  it('merges and splits by hand are per organisation and recorded with who made them; merge then split restores', async () => {
    const k1 = await post(pl, { text: KALLAS_A, tlp: 'green' });
    const k2 = await post(pl, { text: KALLAS_B, tlp: 'green' });
    const kaja = k1.entities.find((e) => e.kind === 'person')!.id;
    const siim = k2.entities.find((e) => e.kind === 'person')!.id;
    const merged = await s.entities.merge(pl, kaja, siim);
    expect(merged.aliases.sort()).toEqual(['Kaja Kallas', 'Siim Kallas']);
    expect(merged.edits[0]).toMatchObject({ op: 'merge', by: 'pl-analyst' });
    expect((await s.entities.get(lt, kaja)).aliases).toEqual(['Kaja Kallas']); // LT's view is untouched
    const found = await s.entities.search(pl, { q: 'kallas', limit: 50 });
    expect(found.items.map((e) => [e.id, e.aliases.sort()])).toEqual([[kaja, ['Kaja Kallas', 'Siim Kallas']]]);
    expect((await s.entities.search(lt, { q: 'kallas', limit: 50 })).items).toHaveLength(2);
    await expect(s.entities.get(pl, siim)).rejects.toThrow('not found');
    const split = await s.entities.split(pl, kaja, 'Siim Kallas');
    expect(split.aliases).toEqual(['Kaja Kallas']);
    expect((await s.entities.get(pl, siim)).aliases).toEqual(['Siim Kallas']);
    expect((await s.entities.search(pl, { q: 'siim', limit: 50 })).items.map((e) => e.id)).toEqual([siim]);
    await expect(s.entities.split(pl, kaja, 'Nobody')).rejects.toThrow('alias: is not an alias');
  });

  it('review queue: accepting merges, rejecting keeps apart, each for its own organisation', async () => {
    await post(pl, { tlp: 'green' });
    await post(pl, { tlp: 'green', text: 'Deputy Secretary General Geoanu warned that the drills would go on.' });
    const [item] = await s.entities.review(pl);
    expect(item).toMatchObject({ otherName: 'Mircea Geoană', entityName: 'Geoanu' });
    expect(item!.score).toBeGreaterThanOrEqual(0.6);
    expect(item!.score).toBeLessThan(0.85);
    expect(item!.evidence.join(' ')).toContain('surname alone');
    expect(await s.entities.review(lt)).toHaveLength(1);
    const accepted = await s.entities.merge(pl, item!.other, item!.entity);
    expect(accepted.aliases).toContain('Geoanu');
    expect(await s.entities.review(pl)).toEqual([]);
    const kept = await s.entities.reject(lt, item!.entity, item!.other);
    expect(kept.aliases).toEqual(['Geoanu']);
    expect(kept.edits.at(-1)).toMatchObject({ op: 'reject', by: 'lt-analyst', other: item!.other });
    expect(await s.entities.review(lt)).toEqual([]);
    expect(await s.entities.review(ua)).toHaveLength(1); // others' decisions are their own
    await expect(s.entities.reject(lt, item!.entity, item!.entity)).rejects.toThrow('other: is the entity itself');
  });

  it('refuses bad input naming the problem, storing nothing', async () => {
    await expect(post(pl, { text: '   ' })).rejects.toThrow('text: is empty');
    await expect(post(pl, { text: 'a\u0000b' })).rejects.toThrow('text: holds NUL');
    await expect(post(pl, { text: undefined, html: '<div>'.repeat(2000) })).rejects.toThrow('html: nests');
    await expect(post(pl, { audience: [] })).rejects.toThrow('audience');
    await expect(post(pl, { source: 'source--nope' })).rejects.toThrow('source source--nope not found');
    expect(
      await database.db
        .selectFrom('sources_documents' as never)
        .selectAll()
        .execute(),
    ).toEqual([]);
  });
});
