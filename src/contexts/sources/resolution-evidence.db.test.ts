import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import { OrganisationRepository } from '../sharing/organisation.repository.ts';
import { userOf } from '../council/council.fixtures.ts';
import { testSources } from './sources.fixtures.ts';

const HIDDEN =
  'BRUSSELS (Wire) — NATO Deputy Secretary General Mircea Geoană said on Tuesday that the North Atlantic ' +
  'Alliance would not send troops to Ukraine. "There is no formal request," Geoana stressed in Vilnius.';
const OWN = 'Deputy Secretary General Mircea Geoanna said NATO was ready.';

/**
 * Entity resolution spans every document, but what a reader sees of an entity is only what its readable
 * documents support: the `same-as` links and review candidates it is shown must not quote names, roles or
 * organisations that only hidden documents hold, nor show a merge whose other side it cannot read.
 */
describe.each(testDatabases)('resolution evidence on $name', (tdb) => {
  let database: Database;
  let s: ReturnType<typeof testSources>;
  const pl = userOf('PL');
  const lt = userOf('LT');
  beforeEach(async () => {
    database = await tdb.open();
    await new OrganisationRepository(database.db).seed();
    s = testSources(database, systemClock);
  });
  afterEach(async () => database.close());

  it('a merge into an entity only hidden documents support shows nothing of them', async () => {
    await s.documents.create(pl, { text: HIDDEN, tlp: 'red' });
    const own = await s.documents.create(lt, { text: OWN, tlp: 'amber', audience: ['LT'] });
    const person = own.entities.find((e) => e.kind === 'person')!;
    const ent = await s.entities.get(lt, person.id);
    const text = JSON.stringify(ent).toLowerCase();
    // The hidden spelling (and the hidden document's very existence) stays hidden.
    expect(text).not.toContain('geoana');
    expect(text).not.toContain('geoană');
    expect(ent.sameAs).toEqual([]);
    expect(ent.aliases).toEqual(['Mircea Geoanna']);
  });

  it('a merge the reader can see both sides of keeps evidence from what it reads', async () => {
    await s.documents.create(pl, { text: HIDDEN, tlp: 'green' });
    const own = await s.documents.create(lt, { text: OWN, tlp: 'amber', audience: ['LT'] });
    const person = own.entities.find((e) => e.kind === 'person')!;
    const ent = await s.entities.get(lt, person.id);
    expect(ent.sameAs).toHaveLength(1);
    expect(ent.sameAs[0]!.evidence.join(' ')).toContain('geoana');
  });
});
