import { describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { testDatabases } from '../../../../test/databases.ts';
import { incidentRow } from '../../../../test/intel-rows.ts';
import { migrate } from '../migrate.ts';
import { CorrelationQueries } from '../../../contexts/intel/correlation.repository.ts';

const incident = (id: string, author: string, tlp: string) => incidentRow(id, { author, tlp });

/** A store made before 104 keeps its narrative band keys, each with its incident's release and a slot. */
describe.each(testDatabases)('104-band-releases upgrade, on $name', (tdb) => {
  it('gives every band row its release and a slot, counts the slots, and the bounded read finds them', async () => {
    const old = await tdb.open({ migrateUntil: '103-federation-received-ranges' });
    const db = old.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
    try {
      const ids = ['incident--a', 'incident--b', 'incident--c', 'incident--d'];
      await db
        .insertInto('intel_incidents')
        .values([
          incident(ids[0]!, 'LT', 'green'),
          incident(ids[1]!, 'LT', 'green'),
          incident(ids[2]!, 'LT', 'amber'),
          incident(ids[3]!, 'US', 'green'),
        ])
        .execute();
      await db
        .insertInto('intel_bands')
        .values(ids.flatMap((id) => ['k1', 'k2'].map((k) => ({ band_key: k, incident_id: id }))))
        .execute();

      await migrate(db as unknown as Kysely<unknown>, old.dialect);

      const bands = await db
        .selectFrom('intel_bands')
        .select(['band_key', 'incident_id', 'author', 'tlp', 'audience', 'slot'])
        .where('band_key', '=', 'k1')
        .orderBy('incident_id')
        .execute();
      expect(bands.map((b) => ({ ...b, slot: Number(b.slot) }))).toEqual([
        { band_key: 'k1', incident_id: ids[0], author: 'LT', tlp: 'green', audience: '', slot: 1 },
        { band_key: 'k1', incident_id: ids[1], author: 'LT', tlp: 'green', audience: '', slot: 2 },
        { band_key: 'k1', incident_id: ids[2], author: 'LT', tlp: 'amber', audience: '', slot: 1 },
        { band_key: 'k1', incident_id: ids[3], author: 'US', tlp: 'green', audience: '', slot: 1 },
      ]);
      const counts = await db
        .selectFrom('intel_band_releases')
        .select(['author', 'tlp', 'n'])
        .where('band_key', '=', 'k2')
        .orderBy('author')
        .orderBy('tlp')
        .execute();
      expect(counts.map((c) => ({ ...c, n: Number(c.n) }))).toEqual([
        { author: 'LT', tlp: 'amber', n: 1 },
        { author: 'LT', tlp: 'green', n: 2 },
        { author: 'US', tlp: 'green', n: 1 },
      ]);
      const queries = new CorrelationQueries(old.db);
      const us = { id: ids[3]!, author: 'US', tlp: 'green', audience: '' };
      expect((await queries.bandCarriers(['k1', 'k2'], us, 200, 25)).sort()).toEqual(ids.slice(0, 3));
      // The newest carrier of each release only (the incident's own release is read one further, past itself).
      expect((await queries.bandCarriers(['k1', 'k2'], us, 200, 1)).sort()).toEqual(ids.slice(1, 3));
      const lt = { id: ids[1]!, author: 'LT', tlp: 'green', audience: '' };
      expect((await queries.bandCarriers(['k1', 'k2'], lt, 200, 1)).sort()).toEqual([ids[0], ids[2], ids[3]]);
      if (tdb.name === 'sqlite') {
        // Bounded: the releases of the keys outside, then one range of the index by release and slot for each.
        const q = queries.bandCarriersQuery(['k1', 'k2'], lt, 200, 1).compile();
        const plan = old
          .sqlite!.prepare(`explain query plan ${q.sql}`)
          .all(...q.parameters)
          .map((r) => (r as { detail: string }).detail);
        const r = plan.findIndex((d) => d.startsWith('SEARCH r '));
        const b = plan.findIndex((d) => d.includes('intel_bands_release_slot') && d.includes('slot>?'));
        expect(r, plan.join('\n')).toBeGreaterThanOrEqual(0);
        expect(b, plan.join('\n')).toBeGreaterThan(r);
      }
    } finally {
      await old.close();
    }
  });
});
