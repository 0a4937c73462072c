import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { canRead, encodeAudience, type Releasable } from '../../kernel/access/releasability.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { commonFor, linkReaders, readableIn, readersOf } from './correlation.ts';
import { CorrelationQueries } from './correlation.repository.ts';

const codes = ['PL', 'LT', 'US', 'UA', 'FI'] as const;
const release = fc.record({
  author: fc.constantFrom(...codes),
  tlp: fc.constantFrom(...TLP_LEVELS),
  audience: fc.oneof(fc.constant([] as string[]), fc.uniqueArray(fc.constantFrom(...codes), { minLength: 1 })),
});
const kindOf = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
const readsAll = (readers: readonly string[], r: Releasable) =>
  readers.every((o) => canRead({ kind: 'org', org: o, orgKind: kindOf.get(o)! }, r));

describe('commonFor', () => {
  it('decides over the link readers only; a link nobody reads is common', () => {
    const x: Releasable = { author: 'LT', tlp: 'green', audience: [] };
    const y: Releasable = { author: 'US', tlp: 'red', audience: [] };
    expect(linkReaders(x, y)).toEqual(['US']);
    expect(commonFor(linkReaders(x, y), 2, 2)).toBe(false);
    expect(commonFor(linkReaders(x, y), 3, 2)).toBe(true);
    expect(commonFor(linkReaders(y, { ...y, author: 'PL' }), 0, 2)).toBe(true);
    expect(linkReaders(x, x)).toEqual(readersOf(x));
  });
});

/** The count commonFor decides on: carriers every reader of the link reads, in the store's SQL and in memory. */
describe.each(testDatabases)('readable carriers of a value on $name', (tdb) => {
  let database: Database;
  beforeEach(async () => {
    database = await tdb.open();
  });
  afterEach(async () => database.close());

  it('counts exactly the carriers every reader reads, whatever else carries the value', async () => {
    const queries = new CorrelationQueries(database.db);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(release, { minLength: 1, maxLength: 12 }),
        release,
        release,
        fc.integer({ min: 1, max: 6 }),
        async (carriers, x, y, cap) => {
          const norm = `v${run++}.example`;
          await database.db
            .insertInto('intel_incidents')
            .values(
              carriers.map((c, i) => ({
                id: `incident--${norm}-${i}`,
                author: c.author,
                tlp: c.tlp,
                audience: encodeAudience(c.audience),
                category: 'cyber',
                title: 't',
                occurred_at: '2026-01-01T00:00:00.000Z',
                iso_week: '2026-W01',
                lat: null,
                lon: null,
                members: ',PL,',
                actor: null,
                created_at: '2026-01-01T00:00:00.000Z',
                modified: '2026-01-01T00:00:00.000Z',
                pending: 0,
              })),
            )
            .execute();
          await database.db
            .insertInto('intel_observables')
            .values(
              carriers.map((_, i) => ({
                incident_id: `incident--${norm}-${i}`,
                kind: 'domain-name',
                norm_value: norm,
                value: norm,
              })),
            )
            .execute();
          const readers = linkReaders(x, y);
          const expected = readers.length === 0 ? 0 : carriers.filter((c) => readsAll(readers, c)).length;
          expect(await queries.readableCarriers('domain-name', norm, readers, cap)).toBe(Math.min(cap, expected));
          // The in-memory count over the carriers' releases, used while there are few of them, agrees.
          expect(
            readableIn(
              readers,
              carriers.map((c) => ({ ...c, incidents: 1 })),
            ),
          ).toBe(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
