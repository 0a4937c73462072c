import { afterEach, describe, expect, it } from 'vitest';
import { postgresDatabase, sqliteFileStore, testDatabases, type TestDatabase } from '../../../test/databases.ts';
import { startServer, type Running } from '../../../test/stream-fixture.ts';
import { TLP_LEVELS } from '../../kernel/access/tlp.ts';
import { canRead } from '../../kernel/access/releasability.ts';
import { organisationIdentityId } from '../sharing/identity.ts';
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

describe.each(stores)('three nodes on loopback ($name)', (tdb) => {
  const nodes: Running[] = [];
  const node = async () => {
    const n = await startServer({ database: await tdb.open(), env: ENV });
    nodes.push(n);
    return n;
  };
  afterEach(async () => {
    for (const n of nodes.splice(0)) await n.stop();
  });

  it('each node receives exactly what its peer user may read, for every TLP and audience, and applies the table to its own users', async () => {
    const [a, b, c] = [await node(), await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const cases = TLP_LEVELS.flatMap((tlp) =>
      [undefined, ['LT'], ['UA']].map((audience) => ({
        tlp,
        audience,
        obj: indicator(`rel-${tlp}-${audience?.[0] ?? 'none'}`),
      })),
    );
    for (const x of cases)
      await write(a.services, pl.actor, [x.obj], { tlp: x.tlp, ...(x.audience ? { audience: x.audience } : {}) });
    await peer(b, a, 'LT'); // b pulls as a member (LT)
    await peer(c, a, 'UA'); // c pulls as a partner (UA)
    const ids = cases.map((x) => x.obj.id as string);
    const may = (org: string, kind: 'member' | 'partner') =>
      cases
        .filter((x) =>
          canRead({ kind: 'org', org, orgKind: kind }, { author: 'PL', tlp: x.tlp, audience: x.audience ?? [] }),
        )
        .map((x) => x.obj.id as string)
        .sort();
    const holds = async (n: Running) => (await stored(n.services, ids)).map((r) => r.id).sort();
    await until(
      'b and c to catch up',
      async () =>
        (await holds(b)).length === may('LT', 'member').length &&
        (await holds(c)).length === may('UA', 'partner').length,
    );
    await new Promise((r) => setTimeout(r, 400)); // nothing more arrives
    expect(await holds(b)).toEqual(may('LT', 'member'));
    expect(await holds(c)).toEqual(may('UA', 'partner'));
    // The author, TLP and audience travelled: node b keeps them and applies the table to its own users.
    const rows = await stored(b.services, ids);
    for (const r of rows) {
      const x = cases.find((k) => k.obj.id === r.id)!;
      expect({ author: r.author, tlp: r.tlp, audience: r.audience }).toEqual({
        author: 'PL',
        tlp: x.tlp,
        audience: x.tlp === 'clear' || !x.audience ? '' : `,${x.audience.join(',')},`,
      });
      expect((JSON.parse(r.json) as { created_by_ref: string }).created_by_ref).toBe(organisationIdentityId('PL'));
    }
    const onB = (org: string) => readable(b.services, org, ids).then((r) => r.map((x) => x.id).sort());
    const expectOnB = (org: string, kind: 'member' | 'partner') =>
      cases
        .filter((x) => rows.some((r) => r.id === x.obj.id))
        .filter((x) =>
          canRead({ kind: 'org', org, orgKind: kind }, { author: 'PL', tlp: x.tlp, audience: x.audience ?? [] }),
        )
        .map((x) => x.obj.id as string)
        .sort();
    expect(await onB('US')).toEqual(expectOnB('US', 'member'));
    expect(await onB('LT')).toEqual(expectOnB('LT', 'member'));
    expect(await onB('UA')).toEqual(expectOnB('UA', 'partner'));
    const [state] = await b.services.federation.peers.list({ kind: 'system', name: 't' });
    expect(state).toMatchObject({ state: 'connected', received: may('LT', 'member').length, refused: 0 });
    expect(state!.cursor).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
  });

  it('a peer trusted for some authors only: anything else is refused and counted; another author is never overwritten', async () => {
    const [a, b] = [await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const lt = await userOf(a.services, 'LT');
    await write(a.services, pl.actor, [indicator('pl-1'), indicator('pl-2')], { tlp: 'amber' });
    await write(a.services, lt.actor, [indicator('lt-1')], { tlp: 'amber' });
    // On b, EE already holds an object under the id a's LT will claim next.
    const ee = await userOf(b.services, 'EE');
    await write(b.services, ee.actor, [indicator('clash')], { tlp: 'amber' });
    await write(a.services, lt.actor, [indicator('clash', '2026-02-01T00:00:00.000Z')], { tlp: 'amber' });
    const id = await peer(b, a, 'US', { authors: ['LT'] });
    const ids = ['pl-1', 'pl-2', 'lt-1', 'clash'].map((s) => indicator(s).id as string);
    await until('b to pull', async () => {
      const [p] = await b.services.federation.peers.list({ kind: 'system', name: 't' });
      return p!.received === 1 && p!.refused === 3;
    });
    const held = await stored(b.services, ids);
    expect(held.map((r) => `${r.id}|${r.author}`).sort()).toEqual(
      [`${indicator('lt-1').id as string}|LT`, `${indicator('clash').id as string}|EE`].sort(),
    );
    const [p] = await b.services.federation.peers.list({ kind: 'system', name: 't' });
    expect(p).toMatchObject({ id, received: 1, refused: 3 });
    expect(p!.lastError).toMatch(/refused/);
  });

  it('a narrowing reaches the peer: older, wider versions are no longer readable there', async () => {
    const [a, b] = [await node(), await node()];
    const pl = await userOf(a.services, 'PL');
    const v1 = indicator('narrow');
    await write(a.services, pl.actor, [v1], { tlp: 'amber' });
    await peer(b, a, 'LT');
    const ids = [v1.id as string];
    await until('v1 on b', async () => (await readable(b.services, 'US', ids)).length === 1);
    await write(a.services, pl.actor, [indicator('narrow', '2026-03-01T00:00:00.000Z')], {
      tlp: 'amber',
      audience: ['PL'],
    });
    await until('the narrowing on b', async () => (await stored(b.services, ids)).length === 2);
    expect(await readable(b.services, 'US', ids)).toEqual([]);
    expect(await readable(b.services, 'LT', ids)).toEqual([]);
    const versions = await stored(b.services, ids);
    const latest = versions.find((v) => v.is_latest === 1)!;
    expect({ author: latest.author, tlp: latest.tlp, audience: latest.audience }).toEqual({
      author: 'PL',
      tlp: 'amber',
      audience: ',PL,',
    });
    // Nothing of the narrowed version's content reached b: the new version carries b's own copy.
    expect((JSON.parse(latest.json) as { name: string }).name).toBe('indicator narrow');
    expect(JSON.parse(latest.json)).toMatchObject({ modified: '2026-03-01T00:00:00.000Z' });
  });

  it('a ring of three converges with every object exactly once on each node, and nothing is echoed back', async () => {
    const [a, b, c] = [await node(), await node(), await node()];
    const orgs = ['PL', 'LT', 'EE'];
    const ring = [a, b, c];
    for (let i = 0; i < 3; i++) {
      const u = await userOf(ring[i]!.services, orgs[i]!);
      await write(ring[i]!.services, u.actor, [indicator(`ring-${i}-a`), indicator(`ring-${i}-b`)], { tlp: 'green' });
    }
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) if (i !== j) await peer(ring[i]!, ring[j]!, 'US', { name: `to-${j}` });
    const ids = [0, 1, 2].flatMap((i) => [indicator(`ring-${i}-a`).id, indicator(`ring-${i}-b`).id]) as string[];
    await until('convergence', async () => {
      for (const n of ring) if ((await stored(n.services, ids)).length !== 6) return false;
      return true;
    });
    await new Promise((r) => setTimeout(r, 600));
    for (const [i, n] of ring.entries()) {
      const rows = await stored(n.services, ids);
      expect(rows).toHaveLength(6);
      expect(new Set(rows.map((r) => r.id)).size).toBe(6);
      expect(rows.filter((r) => r.author === orgs[i]).length).toBe(2);
      // What a node sent was never offered back to it by the peer that received it.
      const peers = await n.services.federation.peers.list({ kind: 'system', name: 't' });
      expect(peers.reduce((sum, p) => sum + p.received, 0)).toBe(4);
      expect(peers.reduce((sum, p) => sum + p.refused, 0)).toBe(0);
    }
    // Echo suppression: b's feed, asked for by a, holds nothing b received from a.
    const aNode = await a.services.federation.feed.nodeId();
    const asA = (await userOf(b.services, 'US')).actor;
    const page = await b.services.federation.feed.page(asA, { afterUs: 0, limit: 100, requester: aNode });
    const sent = ((JSON.parse(page.body) as { objects?: Array<{ id: string }> }).objects ?? []).map((o) => o.id);
    expect(sent).toEqual(expect.arrayContaining(ids.slice(2, 4)));
    expect(sent.filter((x) => ids.slice(0, 2).includes(x))).toEqual([]);
  });

  it('versions of the same observable from two authors are kept side by side on every node', async () => {
    const [a, b] = [await node(), await node()];
    const domain = {
      type: 'domain-name',
      spec_version: '2.1',
      id: 'domain-name--3c3e1d6b-5b8e-5b0e-9a39-6f3f3c2a1b00',
      value: 'evil.example',
    };
    await write(a.services, (await userOf(a.services, 'PL')).actor, [domain], { tlp: 'green' });
    await write(b.services, (await userOf(b.services, 'LT')).actor, [domain], { tlp: 'amber' });
    await peer(b, a, 'US');
    await peer(a, b, 'US');
    const both = async (n: Running) =>
      (await stored(n.services, [domain.id])).map((r) => `${r.author}:${r.tlp}`).sort();
    await until('both copies on both nodes', async () => (await both(a)).length === 2 && (await both(b)).length === 2);
    expect(await both(a)).toEqual(['LT:amber', 'PL:green']);
    expect(await both(b)).toEqual(['LT:amber', 'PL:green']);
  });
});
