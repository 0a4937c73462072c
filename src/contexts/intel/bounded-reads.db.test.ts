import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { silentLogger } from '../../platform/log.ts';
import { noopNotifier } from '../../platform/events/outbox.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { KnowledgeRepository, type ObjectQuery } from '../knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { createIntel, type Intel } from './intel.module.ts';
import { HISTORY_CHUNK } from './incident.service.ts';
import { TTP_CHUNK } from './picture.service.ts';

const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: `u-${org}`,
  userName: org,
  org,
  orgKind: 'member',
  role: 'analyst',
});

/**
 * Reads whose memory grew with what other members stored: the technique list parsed every attack
 * pattern (up to 20,000 objects of up to the object limit each) at once, and an incident's history
 * every version at once. Each now reads a chunk at a time; the repository records the largest read.
 */
class MeasuredRepository extends KnowledgeRepository {
  largest = 0;
  override async list(q: ObjectQuery, executor?: Parameters<KnowledgeRepository['list']>[1]) {
    const rows = await super.list(q, executor);
    this.largest = Math.max(this.largest, rows.length);
    return rows;
  }
}

describe.each(testDatabases)('bounded reads on $name', (tdb) => {
  let database: Database;
  let repo: MeasuredRepository;
  let knowledge: KnowledgeService;
  let intel: Intel;
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    repo = new MeasuredRepository(database);
    knowledge = new KnowledgeService(repo, systemClock);
    intel = createIntel({ database, knowledge, clock: systemClock, log: silentLogger, notifier: noopNotifier });
    await intel.start();
  });
  afterEach(async () => database.close());

  it('searches techniques a chunk at a time and still finds the last one stored', async () => {
    const n = TTP_CHUNK * 3 + 5;
    const now = new Date().toISOString();
    const patterns = Array.from({ length: n }, (_, k) => ({
      type: 'attack-pattern',
      spec_version: '2.1',
      id: `attack-pattern--${randomUUID()}`,
      created: now,
      modified: now,
      name: `Technique ${k}`,
      external_references: [{ source_name: 'test', external_id: `T${String(k).padStart(4, '0')}` }],
    }));
    await knowledge.ingest(
      actor('LT'),
      patterns.map((value, index) => ({ index, value })),
      { defaultTlp: 'green' },
    );
    repo.largest = 0;
    const found = await intel.picture.ttps(actor('PL'), `T${String(n - 1).padStart(4, '0')}`, 10);
    expect(found.map((t) => t.name)).toEqual([`Technique ${n - 1}`]);
    expect(repo.largest).toBeLessThanOrEqual(TTP_CHUNK);
    expect((await intel.picture.ttps(actor('PL'), undefined, 500)).length).toBe(n);
  });

  it("returns an incident's newest versions, says how many older ones it left out, and reads in chunks", async () => {
    const lt = actor('LT');
    const inc = await intel.incidents.report(lt, {
      title: 'v0',
      description: 'd',
      category: 'cyber',
      occurredAt: '2026-02-10T10:00:00Z',
      affectedMembers: ['LT'],
      tlp: 'green',
    });
    const edits = HISTORY_CHUNK + 8;
    for (let k = 1; k <= edits; k++) await intel.incidents.update(lt, inc.id, { title: `v${k}` });
    repo.largest = 0;
    const all = await intel.incidents.history(lt, inc.id, 500);
    expect(all.items.map((i) => i.title)).toEqual(Array.from({ length: edits + 1 }, (_, k) => `v${k}`));
    expect(all.olderVersions).toBe(0);
    expect(repo.largest).toBeLessThanOrEqual(HISTORY_CHUNK);
    const newest = await intel.incidents.history(actor('PL'), inc.id, 3);
    expect(newest.items.map((i) => i.title)).toEqual([`v${edits - 2}`, `v${edits - 1}`, `v${edits}`]);
    expect(newest.olderVersions).toBe(edits - 2);
  });
});
