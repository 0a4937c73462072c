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
import { MOBILISATION, WAR_SET } from './outlook.fixtures.ts';

const TITLE = 'QUESTIONMARKER8W: will a new mobilisation wave be announced?';

/**
 * An observation proposed from a resolved question carries what the question says into the set; the set's
 * readers must learn nothing of a question they may not read.
 */
describe.each(testDatabases)('proposed observations on $name', (tdb) => {
  let database: Database;
  let o: Outlook;
  const pl = userOf('PL');
  const us = userOf('US');
  const lt = userOf('LT');
  const ltAdmin: UserActor = { ...lt, userId: 'lt-admin', userName: 'lt-admin', role: 'admin' };
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    const clock = new ManualClock(Date.parse('2026-06-01T08:00:00.000Z'));
    const knowledge = new KnowledgeService(new KnowledgeRepository(database), clock);
    o = createOutlook({ database, knowledge, clock, log: silentLogger, notifier: { nudge: () => undefined } });
    await o.start();
  });
  afterEach(async () => database.close());

  const setUp = async () => {
    const set = await o.scenarios.create(pl, { ...WAR_SET, tlp: 'green' });
    await o.scenarios.addSignpost(pl, set.id, MOBILISATION);
    // LT's question is released to PL alone.
    const q = await o.questions.create(lt, {
      title: TITLE,
      resolutionCriteria: 'An official decree.',
      closesAt: '2026-07-01T00:00:00Z',
      tlp: 'red',
      audience: ['PL'],
      signpost: { set: set.id, key: 'mobilisation' },
    });
    await o.questions.resolve(ltAdmin, q.id, { outcome: 'yes' });
    return { set, q };
  };

  it("accepting does not copy a question's title into a set read more widely than the question", async () => {
    const { set, q } = await setUp();
    const [p] = (await o.proposals.list(pl, set.id)).items;
    await o.proposals.accept(pl, set.id, p!.id);
    expect(JSON.stringify(await o.scenarios.get(us, set.id))).not.toContain('QUESTIONMARKER8W');
    expect(JSON.stringify(await o.scenarios.get(us, set.id))).not.toContain(q.id);
    // The set's author, who reads the question, still sees it cited.
    expect(JSON.stringify(await o.scenarios.get(pl, set.id))).toContain(q.id);
  });

  it("a question's link to a signpost is shown only to readers of the set, and exported only when they all are", async () => {
    // PL's set is released to LT; LT asks a GREEN question about one of its signposts.
    const set = await o.scenarios.create(pl, { ...WAR_SET, tlp: 'amber', audience: ['LT'] });
    await o.scenarios.addSignpost(pl, set.id, MOBILISATION);
    const q = await o.questions.create(lt, {
      title: 'Will a new mobilisation wave be announced by July?',
      resolutionCriteria: 'An official decree.',
      closesAt: '2026-07-01T00:00:00Z',
      tlp: 'green',
      signpost: { set: set.id, key: 'mobilisation' },
    });
    expect((await o.questions.get(lt, q.id)).signpost).toEqual({ set: set.id, key: 'mobilisation' });
    expect((await o.questions.get(pl, q.id)).signpost).toEqual({ set: set.id, key: 'mobilisation' });
    expect((await o.questions.get(us, q.id)).signpost).toBeNull();
    const listed = (await o.questions.list(us, { limit: 50 })).items.find((x) => x.id === q.id);
    expect(listed?.signpost).toBeNull();
    // The STIX form is released with the question: it names no signpost that some of its readers may not read.
    const stix = await database.db.selectFrom('objects').select('json').where('id', '=', q.id).execute();
    expect(stix.length).toBeGreaterThan(0);
    for (const r of stix) expect(String(r.json)).not.toContain('signpost_ref');
  });
});
