import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { ManualClock, userOf } from '../council/council.fixtures.ts';
import { createOutlook, type Outlook } from '../outlook/outlook.module.ts';
import { MOBILISATION, WAR_SET } from '../outlook/outlook.fixtures.ts';
import { testSources } from './sources.fixtures.ts';
import { confidenceOf } from './signpost-link.service.ts';
import { CLAIM_NOT_QUOTED } from '../outlook/proposed-observation.service.ts';

const STATEMENT =
  'MOSCOW (Wire) — Defence Minister Andrei Belousov said on Monday that a new call-up of reservists would begin ' +
  'in the spring. "The mobilisation will start in March," Belousov stressed.';

describe.each(testDatabases)('claims linked to outlook signposts on $name', (tdb) => {
  let database: Database;
  let s: ReturnType<typeof testSources>;
  let o: Outlook;
  const pl = userOf('PL');
  const lt = userOf('LT');
  const ua = userOf('UA');
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00.000Z'));
    const base = testSources(database, clock);
    o = createOutlook({
      database,
      knowledge: base.knowledge,
      clock,
      log: silentLogger,
      notifier: { nudge: () => undefined },
    });
    s = testSources(database, clock, { outlook: o });
  });
  afterEach(async () => {
    await database.close();
  });

  const setOf = async (tlp: 'amber' | 'amber+strict' = 'amber') => {
    const set = await o.scenarios.create(lt, { ...WAR_SET, tlp });
    await o.scenarios.addSignpost(lt, set.id, MOBILISATION);
    return set.id;
  };
  const claimOf = (d: { claims: Array<{ text: string; start: number }> }) =>
    d.claims.find((c) => c.text === 'The mobilisation will start in March')!.start;

  it('proposes an observation to the set author, who accepts it with the document as evidence', async () => {
    const set = await setOf();
    const doc = await s.documents.create(pl, { text: STATEMENT, tlp: 'green', credibility: 2 });
    const link = await s.signposts.link(pl, doc.id, {
      claim: claimOf(doc),
      set,
      signpost: 'mobilisation',
      observed: true,
    });
    expect(link).toMatchObject({ set, signpost: 'mobilisation', observed: true, by: 'PL' });
    const [p] = (await o.proposals.list(lt, set)).items;
    expect(p).toMatchObject({
      id: link.proposal,
      origin: 'claim',
      question: doc.id,
      status: 'proposed',
      observed: true,
    });
    expect(p!.note).toContain('by Andrei Belousov');
    expect(p!.note).toContain('(F2): "The mobilisation will start in March"');
    const created = await o.proposals.accept(lt, set, link.proposal);
    const got = await o.scenarios.get(lt, set);
    const obs = got.observations.find((x) => x.id === created.id)!;
    expect(obs).toMatchObject({ signpost: 'mobilisation', observed: true, confidence: 0.9, evidence: [doc.id] });
    expect((await o.proposals.list(lt, set)).items[0]!.status).toBe('accepted');
    // the same claim and signpost twice is refused
    await expect(
      s.signposts.link(pl, doc.id, { claim: claimOf(doc), set, signpost: 'mobilisation', observed: true }),
    ).rejects.toThrow('already linked');
  });

  it('is no wider than both the document and the set', async () => {
    const set = await setOf();
    // PL's own AMBER+STRICT document: the set's author LT may not read it, so nothing is proposed
    const own = await s.documents.create(pl, { text: STATEMENT, tlp: 'amber+strict' });
    await expect(
      s.signposts.link(pl, own.id, { claim: claimOf(own), set, signpost: 'mobilisation', observed: true }),
    ).rejects.toThrow('set: its author LT may not read this document');
    expect((await o.proposals.list(lt, set)).items).toEqual([]);
    // LT's own set PL may not read: not found
    const hidden = await setOf('amber+strict');
    const doc = await s.documents.create(pl, { text: STATEMENT, tlp: 'green' });
    await expect(
      s.signposts.link(pl, doc.id, { claim: claimOf(doc), set: hidden, signpost: 'mobilisation', observed: true }),
    ).rejects.toThrow('not found');
    // a document the linker may not read: not found
    await expect(
      s.signposts.link(lt, own.id, { claim: claimOf(own), set, signpost: 'mobilisation', observed: true }),
    ).rejects.toThrow('not found');
    // a link is seen only by readers of both: UA reads the GREEN document but not the AMBER set
    await s.signposts.link(pl, doc.id, { claim: claimOf(doc), set, signpost: 'mobilisation', observed: false });
    expect(await s.signposts.list(pl, doc.id)).toHaveLength(1);
    expect(await s.signposts.list(lt, doc.id)).toHaveLength(1);
    expect(await s.signposts.list(ua, doc.id)).toEqual([]);
    await expect(s.signposts.list(lt, own.id)).rejects.toThrow('not found');
    // deleting the document takes its link, and its pending proposal no longer shows to the set's author
    expect((await o.proposals.list(lt, set)).items).toHaveLength(1);
    await s.documents.delete(pl, doc.id);
    expect((await o.proposals.list(lt, set)).items).toEqual([]);
    expect(
      await database.db
        .selectFrom('sources_signpost_links' as never)
        .selectAll()
        .execute(),
    ).toEqual([]);
  });

  it('quotes the claim in the observation only when every reader of the set may read the document', async () => {
    // LT's GREEN set is read by partners (UA); PL's AMBER document is not: the note every set reader sees
    // must not carry the claim's text, speaker or title.
    const set = (await o.scenarios.create(lt, { ...WAR_SET, tlp: 'green' })).id;
    await o.scenarios.addSignpost(lt, set, MOBILISATION);
    const doc = await s.documents.create(pl, { text: STATEMENT, tlp: 'amber' });
    const link = await s.signposts.link(pl, doc.id, {
      claim: claimOf(doc),
      set,
      signpost: 'mobilisation',
      observed: true,
    });
    const created = await o.proposals.accept(lt, set, link.proposal);
    for (const reader of [lt, ua]) {
      const obs = (await o.scenarios.get(reader, set)).observations.find((x) => x.id === created.id)!;
      expect(obs.note).toBe(CLAIM_NOT_QUOTED);
      expect(JSON.stringify(obs)).not.toContain('Belousov');
    }
    expect((await o.scenarios.get(ua, set)).observations.find((x) => x.id === created.id)!.evidence).toEqual([]);
  });

  it('refuses a wrong claim or signpost naming the field', async () => {
    const set = await setOf();
    const doc = await s.documents.create(pl, { text: STATEMENT, tlp: 'green' });
    await expect(
      s.signposts.link(pl, doc.id, { claim: 1, set, signpost: 'mobilisation', observed: true }),
    ).rejects.toThrow('claim: is not the start of a claim');
    await expect(
      s.signposts.link(pl, doc.id, { claim: claimOf(doc), set, signpost: 'nope', observed: true }),
    ).rejects.toThrow('signpost: is not a signpost');
    expect(confidenceOf(1)).toBe(1);
    expect(confidenceOf(null)).toBe(0.5);
  });
});
