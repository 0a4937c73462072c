import { afterEach, describe, expect, it } from 'vitest';
import { postgresDatabase, sqliteFileStore, testDatabases, type TestDatabase } from '../../../test/databases.ts';
import { startServer, type Running } from '../../../test/stream-fixture.ts';
import { readerOf } from '../../kernel/access/actor.ts';
import { formatMicros } from '../stix/stix.ts';
import { indicator, peer, readable, stored, until, userOf, write } from './federation.fixtures.ts';

/** Fast retries and polls, so that a test waits for federation in milliseconds, not seconds. */
const ENV = {
  BULWARK_FEDERATION_POLL_MS: '300',
  BULWARK_FEDERATION_RETRY_BASE_MS: '50',
  BULWARK_FEDERATION_RETRY_MAX_MS: '300',
  BULWARK_EVENTS_POLL_MS: '50',
};
const stores: TestDatabase[] = testDatabases.some((d) => d.name === 'postgres')
  ? [sqliteFileStore, postgresDatabase]
  : [sqliteFileStore];
const SYSTEM = { kind: 'system', name: 't' } as const;

describe.each(stores)('deletions and revocations between nodes ($name)', (tdb) => {
  const nodes: Running[] = [];
  const node = async () => {
    const n = await startServer({ database: await tdb.open(), env: ENV });
    nodes.push(n);
    return n;
  };
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
  });

  it("an author's deletion reaches the peers that pulled the version, and the peers of those peers", async () => {
    const [a, b, c] = [await node(), await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const one = indicator('del-one');
    const two = [indicator('del-two'), indicator('del-two', '2026-02-01T00:00:00.000Z')];
    const kept = indicator('del-kept');
    await write(a.services, pl.actor, [one, kept], { tlp: 'green' });
    for (const v of two) await write(a.services, pl.actor, [v], { tlp: 'green' });
    await peer(b, a, 'LT'); // b pulls from a
    await peer(c, b, 'US'); // c pulls from b only: what it holds of a's came through b
    const ids = [one.id, two[0]!.id, kept.id] as string[];
    const versions = async (n: Running) => (await stored(n.services, ids)).map((r) => `${r.id}|${r.version}`).sort();
    await until(
      'b and c to hold 4 versions',
      async () => (await versions(b)).length === 4 && (await versions(c)).length === 4,
    );

    // PL deletes `one` whole and the newer version of `two` (TAXII DELETE, as the author).
    const del = (id: string, versions: Parameters<typeof a.services.knowledge.remove>[1]['versions']) =>
      a.services.knowledge.remove(pl.actor, {
        reader: readerOf(pl.actor),
        scope: { kind: 'all' },
        ids: [id],
        versions,
      });
    expect(await del(one.id as string, ['all'])).toBe(1);
    expect(await del(two[0]!.id as string, ['last'])).toBe(1);
    const want = await versions(a);
    expect(want).toHaveLength(2);
    await until('the deletions on b and c', async () => {
      const [vb, vc] = [await versions(b), await versions(c)];
      return vb.length === 2 && vc.length === 2;
    });
    expect(await versions(b)).toEqual(want);
    expect(await versions(c)).toEqual(want);
    // The older version of `two` is the latest again on every node, and readable there.
    for (const n of [a, b, c]) {
      const latest = await readable(n.services, 'US', [two[0]!.id as string]);
      expect(latest.map((r) => (JSON.parse(r.json) as { modified: string }).modified)).toEqual([
        '2026-01-01T00:00:00.000Z',
      ]);
    }
    // Later pulls change nothing; nothing was refused on the way.
    await new Promise((r) => setTimeout(r, 700));
    expect(await versions(b)).toEqual(want);
    expect(await versions(c)).toEqual(want);
    for (const n of [b, c]) expect((await n.services.federation.peers.list(SYSTEM))[0]).toMatchObject({ refused: 0 });
  });

  it('a revoked incident leaves the lists of the peers that pulled it; a deleted one too', async () => {
    const [a, b] = [await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const report = (title: string) =>
      a.services.intel.incidents.report(pl.actor, {
        title,
        description: 'a federated incident',
        category: 'cyber',
        occurredAt: '2026-01-01T00:00:00Z',
        affectedMembers: ['PL'],
        tlp: 'amber',
      });
    const revoked = await report('to be revoked');
    const deleted = await report('to be deleted');
    const lt = await userOf(b.services, 'LT');
    await peer(b, a, 'LT');
    const listed = async () =>
      (await b.services.intel.incidents.list(lt.actor, { limit: 50 })).items.map((i) => i.title).sort();
    await until('both incidents on b', async () => (await listed()).length === 2);

    const { object } = await a.services.knowledge.get(pl.actor, revoked.id);
    await write(a.services, pl.actor, [{ ...object, modified: '2099-01-01T00:00:00.000Z', revoked: true }], {
      tlp: 'amber',
    });
    await a.services.knowledge.remove(pl.actor, {
      reader: readerOf(pl.actor),
      scope: { kind: 'all' },
      ids: [deleted.id],
      versions: ['all'],
    });
    await until('neither incident listed on b', async () => (await listed()).length === 0);
    const [held] = await readable(b.services, 'LT', [revoked.id]);
    expect(JSON.parse(held!.json)).toMatchObject({ revoked: true });
    expect(await stored(b.services, [deleted.id])).toEqual([]);
  });

  it('a node cannot make a peer drop or revoke an object of an author it is not trusted for', async () => {
    const [a, h, b] = [await node(), await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const x = indicator('victim');
    await write(a.services, pl.actor, [x], { tlp: 'green' });
    await peer(b, a, 'US'); // a: trusted for any author
    await until('x on b', async () => (await stored(b.services, [x.id as string])).length === 1);

    // h speaks for EE only. Its EE user writes a revoked version under x's id (h never held x), and
    // its operator forges deletions of x in h's own store: one in PL's name, one in EE's.
    const ee = await userOf(h.services, 'EE');
    await write(h.services, ee.actor, [{ ...x, modified: '2099-01-01T00:00:00.000Z', revoked: true }], {
      tlp: 'green',
    });
    const version = (await stored(a.services, [x.id as string]))[0]!.version;
    const forged = (author: string, at: number) => ({
      added_us: at,
      date_added: formatMicros(at),
      id: x.id as string,
      type: 'indicator',
      version,
      author,
      tlp: 'green',
      audience: '',
      json: JSON.stringify({
        type: 'indicator',
        spec_version: '2.1',
        id: x.id,
        created: x.created,
        modified: x.modified,
      }),
      origin: '',
    });
    const now = Date.now() * 1000;
    await h.services.knowledge.repo.db
      .insertInto('object_deletions')
      .values([forged('PL', now + 1), forged('EE', now + 2)])
      .execute();
    const id = await peer(b, h, 'US', { authors: ['EE'] });
    await until('b to take h’s page', async () => {
      const p = (await b.services.federation.peers.list(SYSTEM)).find((q) => q.id === id)!;
      return p.refused + p.duplicates + p.received >= 3;
    });
    const p = (await b.services.federation.peers.list(SYSTEM)).find((q) => q.id === id)!;
    // The revoked version under PL's id and the deletion in PL's name are refused; the one in EE's name deletes nothing.
    expect(p).toMatchObject({ refused: 2, received: 0, duplicates: 1 });
    const left = await stored(b.services, [x.id as string]);
    expect(left.map((r) => `${r.author}|${r.is_latest}`)).toEqual(['PL|1']);
    expect(JSON.parse(left[0]!.json)).not.toHaveProperty('revoked');
  });
});
