import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { openDatabase, type Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import { BundleScanner } from '../stix/bundle-scanner.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { KnowledgeService } from './knowledge.service.ts';
import type { RawItem } from './knowledge.ts';

/** Random JSON, random text and mutated STIX objects fed to the import path: never a crash, never a half-write. */
describe('import path fuzzing', () => {
  let database: Database;
  let svc: KnowledgeService;
  beforeAll(async () => {
    database = await openDatabase({ sqliteFile: ':memory:' });
    svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  });
  afterAll(async () => database.close());

  const stixish = fc.record(
    {
      type: fc.oneof(
        fc.constantFrom('indicator', 'malware', 'x-custom', 'relationship', 'identity', 'bundle'),
        fc.string(),
      ),
      spec_version: fc.oneof(fc.constant('2.1'), fc.string(), fc.integer()),
      id: fc.oneof(
        fc.constant(`indicator--${randomUUID()}`),
        fc.string(),
        fc.uuid().map((u) => `malware--${u}`),
      ),
      created: fc.oneof(
        fc.constant('2024-01-01T00:00:00.000Z'),
        fc.string(),
        fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
      ),
      modified: fc.oneof(fc.constant('2024-01-01T00:00:00.000Z'), fc.string()),
      name: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
      pattern: fc.string(),
      pattern_type: fc.constant('stix'),
      valid_from: fc.constant('2024-01-01T00:00:00Z'),
      object_marking_refs: fc.array(
        fc.oneof(fc.string(), fc.constant('marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1')),
      ),
      extra: fc.jsonValue({ maxDepth: 4 }),
    },
    { requiredKeys: [] },
  );

  it('random values never throw and every item is accounted for exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(fc.jsonValue({ maxDepth: 5 }), stixish), { maxLength: 20 }),
        async (values) => {
          const before = await svc.count({
            reader: { kind: 'system', name: 'fuzz' },
            scope: { kind: 'all' },
            versions: ['all'],
          });
          const items: RawItem[] = values.map((value, index) => ({ index, value }));
          const r = await svc.ingest(systemActor('fuzz'), items, { asOrg: 'PL' });
          expect(r.accepted.length + r.duplicates.length + r.rejected.length).toBe(values.length);
          const after = await svc.count({
            reader: { kind: 'system', name: 'fuzz' },
            scope: { kind: 'all' },
            versions: ['all'],
          });
          expect(after - before).toBe(r.accepted.length);
          for (const x of r.rejected) expect(x.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random text through the streaming scanner either yields items or throws a clear Error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.jsonValue().map((v) => JSON.stringify(v)),
          fc.string({ unit: fc.constantFrom('{', '}', '[', ']', '"', '\\', ',', ':', 'a', ' ') }),
        ),
        (text) => {
          const s = new BundleScanner({ maxObjectBytes: 1000, maxDepth: 10 });
          try {
            s.push(text);
            s.end();
          } catch (e) {
            expect(e).toBeInstanceOf(Error);
            expect((e as Error).message.length).toBeGreaterThan(0);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
