import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sqliteFileStore } from '../../../test/databases.ts';
import type { Database } from './database.ts';
import { ReadPool } from './read-pool.ts';
import { KnowledgeRepository, type ObjectQuery } from '../../contexts/knowledge/knowledge.repository.ts';
import { KnowledgeService } from '../../contexts/knowledge/knowledge.service.ts';
import { OrganisationRepository } from '../../contexts/sharing/organisation.repository.ts';
import { systemActor } from '../../kernel/access/actor.ts';
import type { Reader } from '../../kernel/access/releasability.ts';
import { systemClock } from '../clock.ts';

const TYPES = ['indicator', 'malware', 'tool'] as const;
const ORGS = ['PL', 'LT', 'US', 'UA'] as const;
const TLPS = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
const TLP_IDS: Record<string, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

function object(i: number, type: string, tlp: string): Record<string, unknown> {
  const id = `${type}--00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
  const base = {
    type,
    spec_version: '2.1',
    id,
    created: '2024-01-01T00:00:00.000Z',
    modified: '2024-01-01T00:00:00.000Z',
    object_marking_refs: [TLP_IDS[tlp]!],
  };
  if (type === 'indicator')
    return {
      ...base,
      name: `i${i}`,
      pattern: "[ipv4-addr:value = '10.0.0.1']",
      pattern_type: 'stix',
      valid_from: '2024-01-01T00:00:00Z',
    };
  if (type === 'malware') return { ...base, name: `m${i}`, is_family: false };
  return { ...base, name: `t${i}` };
}

describe('reader threads (SQLite file store)', () => {
  let database: Database | undefined;
  afterEach(async () => {
    await database?.close();
    database = undefined;
  });

  it(
    'answer every page exactly as the calling thread would, for random readers and filters',
    { timeout: 60_000 },
    async () => {
      database = await sqliteFileStore.open();
      expect(database.readPool).toBeDefined();
      await new OrganisationRepository(database.db).seed();
      const withPool = new KnowledgeRepository(database);
      const inThread = new KnowledgeRepository({ ...database, readPool: undefined });
      const svc = new KnowledgeService(withPool, systemClock);
      for (const [n, org] of ORGS.entries()) {
        const items = Array.from({ length: 60 }, (_, k) => {
          const i = n * 100 + k;
          return { index: k, value: object(i, TYPES[i % TYPES.length]!, TLPS[i % TLPS.length]!) };
        });
        const audience = org === 'LT' ? ['PL'] : [];
        expect((await svc.ingest(systemActor('test'), items, { asOrg: org, audience })).accepted).toHaveLength(60);
      }
      const first = (
        await inThread.listPage({ reader: { kind: 'system', name: 't' }, scope: { kind: 'all' }, limit: 1 })
      )[0]!.added_us;
      const reader = fc.oneof(
        fc.constant<Reader>({ kind: 'anonymous' }),
        fc.record({
          kind: fc.constant('org' as const),
          org: fc.constantFrom(...ORGS),
          orgKind: fc.constantFrom('member' as const, 'partner' as const),
        }),
      );
      const query = fc.record({
        reader,
        scope: fc.constantFrom<ObjectQuery['scope']>(
          { kind: 'all' },
          { kind: 'public' },
          { kind: 'author', org: 'LT' },
        ),
        types: fc.subarray([...TYPES]),
        ids: fc.option(
          fc.subarray(
            Array.from(
              { length: 12 },
              (_, k) => object((k * 37) % 400, TYPES[((k * 37) % 400) % TYPES.length]!, 'clear').id as string,
            ),
          ),
          { nil: undefined },
        ),
        specVersions: fc.option(fc.constantFrom(['2.1'], ['2.0'], ['2.0', '2.1']), { nil: undefined }),
        versions: fc.option(
          fc.subarray<ObjectQuery['versions'] extends readonly (infer V)[] | undefined ? V : never>(
            ['last', 'first', 'all', { key: 'nope' }],
            { minLength: 1 },
          ),
          { nil: undefined },
        ),
        addedAfterUs: fc.integer({ min: 0, max: 240 }).map((k) => first + k - 1),
        limit: fc.integer({ min: 1, max: 120 }),
      });
      await fc.assert(
        fc.asyncProperty(query, fc.integer({ min: 0, max: 130 }), async (raw, joinFirst) => {
          const q = Object.fromEntries(
            Object.entries(raw).filter(([, v]) => v !== undefined),
          ) as unknown as ObjectQuery;
          const frame = { room: 40, suffix: ']}' };
          const [a, b] = await Promise.all([
            withPool.listJoined(q, joinFirst, frame),
            inThread.listJoined(q, joinFirst, frame),
          ]);
          expect({ ...a, json: a.json.withPrefix('{"x":[').toString() }).toEqual({
            ...b,
            json: b.json.withPrefix('{"x":[').toString(),
          });
          // The page's memory goes back to the reader thread (detached here) and is filled again by later pages.
          const memory = a.json.buffer.buffer;
          a.json.release();
          expect(memory.byteLength).toBe(0);
        }),
        { numRuns: 150 },
      );
    },
  );

  it('see a write as soon as it is committed, report SQL errors, and keep serving after one', async () => {
    database = await sqliteFileStore.open();
    const pool = database.readPool!;
    await new OrganisationRepository(database.db).seed();
    const repo = new KnowledgeRepository(database);
    const svc = new KnowledgeService(repo, systemClock);
    const q: ObjectQuery = { reader: { kind: 'system', name: 't' }, scope: { kind: 'author', org: 'PL' }, limit: 1000 };
    for (let i = 0; i < 20; i++) {
      await svc.ingest(systemActor('test'), [{ index: 0, value: object(i, 'tool', 'green') }], { asOrg: 'PL' });
      const page = await repo.listJoined(q, 1000);
      expect(page.count).toBe(i + 1);
      expect(JSON.parse(`[${page.json.body.toString()}]`)).toHaveLength(i + 1);
    }
    await expect(pool.all({ sql: 'select * from no_such_table', parameters: [] })).rejects.toThrow(/no such table/);
    await expect(pool.all({ sql: 'delete from objects returning id', parameters: [] })).rejects.toThrow(
      /readonly|read-only/i,
    );
    expect(await pool.all({ sql: "select count(*) from objects where type = 'tool'", parameters: [] })).toEqual([[20]]);
    // Concurrent reads spread over the thread and all come back, each to its caller.
    const counts = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        pool.all({ sql: "select ? + count(*) from objects where type = 'tool'", parameters: [i] }),
      ),
    );
    expect(counts.map((r) => r[0]![0])).toEqual(Array.from({ length: 50 }, (_, i) => i + 20));
  });

  it(
    'fail only the read a thread held when the thread runs out of heap, and start a new thread for the next',
    { timeout: 120_000 },
    async () => {
      database = await sqliteFileStore.open();
      const file = database.describe.replace(/^sqlite:/, '');
      // A thread with a small heap, and a read whose rows outgrow it step by step: the thread is ended
      // (ERR_WORKER_OUT_OF_MEMORY), not the process.
      const pool = new ReadPool(file, 1, 1024, { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 8 });
      try {
        expect(await pool.all({ sql: 'select 1', parameters: [] })).toEqual([[1]]);
        const huge = pool.all({
          sql: "with recursive r(i) as (select 1 union all select i + 1 from r where i < 100000) select i, printf('%0200d', i) from r",
          parameters: [],
        });
        await expect(huge).rejects.toThrow(/memory/i);
        expect(await pool.all({ sql: 'select 2', parameters: [] })).toEqual([[2]]);
      } finally {
        await pool.close();
      }
    },
  );

  it('refuses reads once closed', async () => {
    database = await sqliteFileStore.open();
    const pool = database.readPool!;
    expect(await pool.all({ sql: 'select 1', parameters: [] })).toEqual([[1]]);
    await database.close();
    database = undefined;
    await expect(pool.all({ sql: 'select 1', parameters: [] })).rejects.toThrow(/closed/);
  });
});
