import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { silentLogger } from '../../platform/log.ts';
import { noopNotifier } from '../../platform/events/outbox.ts';
import { eventOfRow, mayReceive } from '../../platform/events/event.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { KnowledgeRepository } from '../knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../knowledge/knowledge.service.ts';
import { createIntel, type Intel } from './intel.module.ts';
import { CorrelationService } from './correlation.service.ts';
import { DEFAULT_CORRELATION } from './correlation.ts';
import type { CreateIncidentInput } from './incident.schema.ts';
import type { Incident } from './incident.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';

const org = (code: string) => ORGANISATIONS.find((o) => o.code === code)!;
const actor = (code: string): UserActor => ({
  kind: 'user',
  userId: `u-${code}`,
  userName: code,
  org: code,
  orgKind: org(code).kind,
  role: 'analyst',
});
const input = (over: Partial<CreateIncidentInput> = {}): CreateIncidentInput => ({
  title: 'Botnet flood',
  description: 'd',
  category: 'cyber',
  occurredAt: '2026-02-10T10:00:00Z',
  affectedMembers: ['EE'],
  tlp: 'green',
  observables: [{ type: 'ipv4-addr', value: '192.0.2.1' }],
  ...over,
});
const CODES = ['PL', 'LT', 'LV', 'EE', 'RO', 'FI', 'US', 'UA', 'GE'];

describe.each(testDatabases)('intel store on $name', (tdb) => {
  let database: Database;
  let intel: Intel;
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed(); // audiences name organisations of the store
    const knowledge = new KnowledgeService(new KnowledgeRepository(database), systemClock);
    intel = createIntel({ database, knowledge, clock: systemClock, log: silentLogger, notifier: noopNotifier });
    await intel.start();
  });
  afterEach(async () => database.close());

  it('indexes, versions and correlates; a changed incident drops links it no longer has', async () => {
    const a = await intel.incidents.report(
      actor('EE'),
      input({ actor: { name: 'Ghost Writer', kind: 'intrusion-set' } }),
    );
    const b = await intel.incidents.report(
      actor('LV'),
      input({
        observables: [{ type: 'ipv4-addr', value: '192.0.2.1' }],
        actor: { name: 'ghost-writer', kind: 'intrusion-set' },
      }),
    );
    const links = await intel.incidents.correlations(actor('EE'), a.id);
    expect(links).toHaveLength(1);
    expect(links[0]!.reasons).toEqual(['same actor ghost-writer', 'shared ipv4-addr 192.0.2.1']);
    expect(links[0]!.score).toBeCloseTo(0.75, 3);
    await intel.incidents.update(actor('LV'), b.id, { observables: [], actor: null });
    expect(await intel.incidents.correlations(actor('EE'), a.id)).toEqual([]);
    expect((await intel.incidents.history(actor('EE'), b.id)).items).toHaveLength(2);
    const pending = await database.db.selectFrom('intel_incidents').select('pending').execute();
    expect(pending.every((p) => p.pending === 0)).toBe(true);
    const counts = await database.db
      .selectFrom('intel_value_counts')
      .selectAll()
      .where('kind', '=', 'ipv4-addr')
      .execute();
    expect(counts.map((c) => Number(c.incidents))).toEqual([1]);
  });

  it('catches up on incidents left uncorrelated (crash between commit and correlation)', async () => {
    const a = await intel.incidents.report(actor('EE'), input());
    const b = await intel.incidents.report(actor('EE'), input());
    await database.db.deleteFrom('intel_links').execute();
    await database.db.updateTable('intel_incidents').set({ pending: 1 }).where('id', '=', b.id).execute();
    expect(await intel.correlation.catchUp()).toBe(1);
    expect((await intel.incidents.correlations(actor('EE'), a.id)).map((l) => l.id)).toEqual([b.id]);
  });

  it('correlates a batch in parts of bounded links, the event loop turning between incidents', async () => {
    const made: Incident[] = [];
    for (const code of ['PL', 'LT', 'LV', 'EE']) made.push(await intel.incidents.report(actor(code), input()));
    await database.db.deleteFrom('intel_links').execute();
    // One link per transaction at most: each incident's three links are written alone; a turn after every step.
    const c = new CorrelationService(intel.repo, systemClock, noopNotifier, silentLogger, DEFAULT_CORRELATION, {
      linksPerWrite: 1,
      sliceMs: 0,
    });
    let turns = 0;
    let done = false;
    const tick = () => {
      if (done) return;
      turns++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const results = await Promise.all(made.map((m) => c.correlate(m.id)));
    done = true;
    expect(results.map((r) => r.links.length)).toEqual([3, 3, 3, 3]);
    // A turn after each incident's lookup and between the four parts (SQLite answers without yielding).
    expect(turns).toBeGreaterThanOrEqual(made.length + 3);
    for (const m of made) expect(await intel.incidents.correlations(actor('EE'), m.id)).toHaveLength(3);
  });

  it('property: correlations and link events never refer to an incident the reader cannot read', async () => {
    const release = fc.record({
      author: fc.constantFrom(...CODES),
      tlp: fc.constantFrom(...TLP_LEVELS),
      audience: fc.subarray(CODES, { maxLength: 3 }),
      shared: fc.boolean(),
    });
    let seen = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(release, { minLength: 2, maxLength: 5 }), async (specs) => {
        await database.db.deleteFrom('intel_links').execute();
        await database.db.deleteFrom('outbox').execute();
        const made: Incident[] = [];
        for (const s of specs) {
          const obs = s.shared
            ? [{ type: 'domain-name' as const, value: `shared-${seen}.example` }]
            : [{ type: 'domain-name' as const, value: `own-${made.length}-${seen}.example` }];
          made.push(
            await intel.incidents.report(
              actor(s.author),
              input({ tlp: s.tlp, audience: s.audience, observables: obs }),
            ),
          );
        }
        seen++;
        const events = (
          await database.db.selectFrom('outbox').selectAll().where('event', '=', 'correlation.found').execute()
        ).map((r) => eventOfRow({ ...r, event_id: r.seq }));
        for (const code of CODES) {
          const reader = { kind: 'org' as const, org: code, orgKind: org(code).kind };
          const readable = new Set(made.filter((m) => canRead(reader, m)).map((m) => m.id));
          for (const m of made) {
            if (!readable.has(m.id)) {
              await expect(intel.incidents.correlations(actor(code), m.id)).rejects.toThrow(/not found/);
              continue;
            }
            const items = await intel.incidents.correlations(actor(code), m.id);
            for (const i of items) expect(readable.has(i.id)).toBe(true);
            // complete: every readable incident sharing the value is linked
            const spec = specs[made.indexOf(m)]!;
            if (spec.shared)
              expect(items.length).toBe(
                made.filter((o, k) => o.id !== m.id && specs[k]!.shared && readable.has(o.id)).length,
              );
          }
          for (const e of events.filter((x) => mayReceive(reader, x))) {
            const ids = (JSON.parse(e.payload) as { incidents: string[] }).incidents;
            for (const id of ids) expect(readable.has(id)).toBe(true);
          }
          const campaigns = await intel.picture.campaigns(actor(code), 50);
          for (const c of campaigns) for (const id of c.incidents) expect(readable.has(id)).toBe(true);
          const pic = await intel.picture.picture(actor(code), undefined);
          expect(pic.total).toBe(readable.size + (await countOthers(code, made)));
        }
      }),
      { numRuns: tdb.name === 'sqlite' ? 25 : 6 },
    );
    async function countOthers(code: string, made: Array<{ id: string }>): Promise<number> {
      const reader = { kind: 'org' as const, org: code, orgKind: org(code).kind };
      const all = await database.db.selectFrom('intel_incidents').select(['id', 'author', 'tlp', 'audience']).execute();
      const mine = new Set(made.map((m) => m.id));
      return all.filter(
        (r) =>
          !mine.has(r.id) &&
          canRead(reader, {
            author: r.author,
            tlp: r.tlp as 'red',
            audience: r.audience === '' ? [] : r.audience.slice(1, -1).split(','),
          }),
      ).length;
    }
  });
});
