import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../../../test/databases.ts';
import { systemClock } from '../../platform/clock.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { KnowledgeService } from './knowledge.service.ts';

const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: 'u',
  userName: 'u',
  org,
  orgKind: ORGANISATIONS.find((o) => o.code === org)!.kind,
  role: 'analyst',
});
const id = (n: number) => `tool--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** One element: an id among a few, a version among a few, and a name (same id+version, other name = conflict). */
const element = fc.record({
  n: fc.integer({ min: 0, max: 12 }),
  v: fc.integer({ min: 1, max: 4 }),
  name: fc.constantFrom('a', 'b'),
});
const tool = (e: { n: number; v: number; name: string }) => ({
  type: 'tool',
  spec_version: '2.1',
  id: id(e.n),
  created: '2024-01-01T00:00:00.000Z',
  modified: `2024-01-0${e.v}T00:00:00.000Z`,
  name: e.name,
});

/**
 * Writes trail reads by one batch (KnowledgeService.ingestWithin), so a batch sees the one before it
 * from memory: whatever the batch size, an import must decide and store exactly what one batch would.
 */
describe.each(testDatabases)('ingest outcome does not depend on batch boundaries ($name)', (tdb) => {
  it('versions, duplicates, conflicts and foreign ids across batches', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(element, { minLength: 1, maxLength: 40 }),
        fc.array(element, { maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        async (elements, foreign, batchSize) => {
          const outcomes = [];
          for (const size of [batchSize, 100_000]) {
            const database = await tdb.open();
            try {
              await new OrganisationRepository(database.db).seed();
              const svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
              // Another member owns some ids already.
              if (foreign.length > 0)
                await svc.ingest(
                  actor('LT'),
                  foreign.map((e, index) => ({ index, value: tool({ ...e, n: e.n + 100 }) })),
                  { batchSize: size },
                );
              const mixed = elements.map((e, i) =>
                i % 5 === 4 && foreign.length > 0 ? { ...e, n: foreign[i % foreign.length]!.n + 100 } : e,
              );
              const r = await svc.ingest(
                actor('PL'),
                mixed.map((e, index) => ({ index, value: tool(e) })),
                { batchSize: size },
              );
              const stored = await svc.list({
                reader: { kind: 'system', name: 't' },
                scope: { kind: 'all' },
                versions: ['all'],
              });
              outcomes.push({
                accepted: r.accepted.map((a) => a.index),
                duplicates: r.duplicates.map((d) => d.index),
                rejected: r.rejected.map((x) => [x.index, x.message]),
                stored: stored.map((s) => [s.id, s.version, s.author, s.is_latest, s.json]).sort(),
                addedIncreasing: stored.every((s, i) => i === 0 || s.added_us > stored[i - 1]!.added_us),
              });
            } finally {
              await database.close();
            }
          }
          expect(outcomes[0]).toEqual(outcomes[1]);
          expect(outcomes[0]!.addedIncreasing).toBe(true);
        },
      ),
      { numRuns: tdb.name === 'postgres' ? 25 : 60 },
    );
  });
});
