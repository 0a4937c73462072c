import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { silentLogger } from '../../platform/log.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { KnowledgeRepository } from '../knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { ManualClock, userOf } from '../council/council.fixtures.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { createOutlook, type Outlook } from './outlook.module.ts';
import { IMPACTS, MOBILISATION, WAR_SET } from './outlook.fixtures.ts';
import { Model } from './bayes.ts';

describe.each(testDatabases)('outlook on $name', (tdb) => {
  let database: Database;
  let clock: ManualClock;
  let o: Outlook;
  const pl = userOf('PL');
  const plAdmin: UserActor = { ...pl, userId: 'pl-admin', userName: 'pl-admin', role: 'admin' };
  const lt = userOf('LT');
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    clock = new ManualClock(Date.parse('2026-06-01T08:00:00.000Z'));
    const knowledge = new KnowledgeService(new KnowledgeRepository(database), clock);
    o = createOutlook({ database, knowledge, clock, log: silentLogger, notifier: { nudge: () => undefined } });
    await o.start();
  });
  afterEach(async () => {
    await database.close();
  });

  const outbox = async (id: string) =>
    (
      await database.db
        .selectFrom('outbox')
        .select(['event', 'tlp', 'author'])
        .where('object_id', '=', id)
        .orderBy('seq')
        .execute()
    ).map((r) => r.event);

  it('stores a set, computes from concurrent observations, and keeps every history entry', async () => {
    const set = await o.scenarios.create(pl, WAR_SET);
    await o.scenarios.addSignpost(pl, set.id, MOBILISATION);
    await o.scenarios.putImpacts(pl, set.id, IMPACTS);
    const inputs = Array.from({ length: 12 }, (_, i) => ({
      signpost: 'mobilisation',
      observed: i % 3 !== 0,
      confidence: 0.5 + (i % 6) / 10,
      observedAt: `2026-05-${String(12 - i).padStart(2, '0')}T00:00:00Z`,
    }));
    // concurrent writers queue on the set's row lock; none is lost
    await Promise.all(inputs.map((x) => o.scenarios.addObservation(pl, set.id, x)));
    const got = await o.scenarios.get(lt, set.id);
    expect(got.observations).toHaveLength(12);
    expect(got.history.map((h) => h.at)).toEqual([...got.history.map((h) => h.at)].sort());
    const model = new Model(WAR_SET.scenarios, { mobilisation: MOBILISATION.likelihoods });
    const expected = model.posterior(inputs);
    for (const s of got.scenarios) expect(Math.abs(s.probability - expected[s.key]!)).toBeLessThan(1e-9);
    const posture = await o.scenarios.posture(lt, set.id);
    for (const m of posture.members) {
      const direct = WAR_SET.scenarios.reduce(
        (a, s) => a + expected[s.key]! * IMPACTS[m.member as 'PL' | 'LT'][s.key as 'frozen'],
        0,
      );
      expect(Math.abs(m.expectedThreat - direct)).toBeLessThan(1e-9);
    }
    const events = await outbox(set.id);
    expect(events.filter((e) => e === 'outlook.updated')).toHaveLength(14);
    expect(events[0]).toBe('outlook.created');
    // the STIX form of every observation is in the store
    const stored = await database.db
      .selectFrom('objects')
      .select('id')
      .where('type', '=', 'bulwark-scenario-observation')
      .execute();
    expect(stored).toHaveLength(12);
  });

  it('a refused write leaves nothing behind (no row, no STIX object, no event)', async () => {
    const set = await o.scenarios.create(pl, WAR_SET);
    const before = await database.db.selectFrom('objects').select('id').execute();
    await expect(
      o.scenarios.addSignpost(pl, set.id, { ...MOBILISATION, likelihoods: { settlement: 0.5 } }),
    ).rejects.toMatchObject({ code: 'validation', field: 'likelihoods' });
    await expect(o.scenarios.putImpacts(pl, set.id, { PL: { frozen: 9 } })).rejects.toMatchObject({
      field: 'impacts.PL.frozen',
    });
    expect(await database.db.selectFrom('objects').select('id').execute()).toHaveLength(before.length);
    expect(await outbox(set.id)).toEqual(['outlook.created']);
    expect((await o.scenarios.get(pl, set.id)).signposts).toEqual([]);
  });

  it('a resolved question linked to a signpost proposes an observation to the set author, who accepts it', async () => {
    const set = await o.scenarios.create(pl, { ...WAR_SET, tlp: 'green' });
    await o.scenarios.addSignpost(pl, set.id, MOBILISATION);
    const q = await o.questions.create(lt, {
      title: 'Will a new mobilisation wave be announced by July?',
      resolutionCriteria: 'An official decree.',
      closesAt: '2026-07-01T00:00:00Z',
      tlp: 'green',
      signpost: { set: set.id, key: 'mobilisation' },
    });
    await o.questions.forecast(pl, q.id, { probabilities: { yes: 0.7, no: 0.3 }, rationale: 'Losses are high.' });
    const ltAdmin: UserActor = { ...lt, userId: 'lt-admin', userName: 'lt-admin', role: 'admin' };
    await expect(o.questions.resolve(plAdmin, q.id, { outcome: 'yes' })).rejects.toMatchObject({ code: 'forbidden' });
    const resolved = await o.questions.resolve(ltAdmin, q.id, { outcome: 'yes' });
    expect(resolved.scores).toEqual([
      { user: pl.userName, member: 'PL', brier: expect.closeTo(0.18, 12), log: expect.closeTo(Math.log(0.7), 12) },
    ]);
    const proposals = await o.proposals.list(pl, set.id);
    expect(proposals.items).toMatchObject([{ question: q.id, signpost: 'mobilisation', observed: true }]);
    await expect(o.proposals.list(lt, set.id)).rejects.toMatchObject({ code: 'forbidden' });
    const ob = await o.proposals.accept(pl, set.id, proposals.items[0]!.id);
    expect(ob.evidence).toEqual([q.id]);
    await expect(o.proposals.accept(pl, set.id, proposals.items[0]!.id)).rejects.toMatchObject({ code: 'conflict' });
    expect((await o.scenarios.get(pl, set.id)).observations).toHaveLength(1);
    expect(await outbox(set.id)).toContain('observation.proposed');
  });

  it('ACH evidence is replaced in place and removed', async () => {
    const a = await o.ach.create(pl, {
      title: 'Cable',
      hypotheses: [
        { key: 'a', title: 'A' },
        { key: 'b', title: 'B' },
      ],
      tlp: 'amber',
    });
    await o.ach.putEvidence(pl, a.id, {
      key: 'e1',
      title: 'one',
      credibility: 'high',
      relevance: 'high',
      ratings: { a: 'II', b: 'C' },
    });
    await o.ach.putEvidence(pl, a.id, {
      key: 'e2',
      title: 'two',
      credibility: 'low',
      relevance: 'low',
      ratings: { a: 'C', b: 'I' },
    });
    const replaced = await o.ach.putEvidence(
      pl,
      a.id,
      { key: 'e1', title: 'one', credibility: 'high', relevance: 'high', ratings: { a: 'C', b: 'C' } },
      true,
    );
    expect(replaced.evidence.map((e) => e.key)).toEqual(['e1', 'e2']);
    expect(replaced.hypotheses.map((h) => h.rank)).toEqual([1, 2]);
    expect(replaced.hypotheses[1]!.inconsistency).toBeCloseTo(-0.5, 12);
    const removed = await o.ach.removeEvidence(pl, a.id, 'e2');
    expect(removed.hypotheses.map((h) => h.rank)).toEqual([1, 1]);
    const { source: _s, diagnostic: _d, ...e1 } = replaced.evidence[0]!;
    await expect(o.ach.putEvidence(lt, a.id, { ...e1, key: 'x' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
