import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { testDatabases } from '../../../test/databases.ts';
import type { Database } from '../../platform/db/database.ts';
import { systemClock } from '../../platform/clock.ts';
import type { UserActor } from '../../kernel/access/actor.ts';
import { ORGANISATIONS } from '../sharing/organisations.ts';
import type { Tlp } from '../../kernel/access/tlp.ts';
import { nameUuid } from '../stix/stix.ts';
import { KnowledgeRepository } from './knowledge.repository.ts';
import { KnowledgeService } from './knowledge.service.ts';
import type { IngestReport } from './knowledge.ts';

const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: `u-${org}`,
  userName: org,
  org,
  orgKind: ORGANISATIONS.find((o) => o.code === org)!.kind,
  role: 'analyst',
});
const items = (objs: unknown[]) => objs.map((value, index) => ({ index, value }));
/** A domain-name SCO: its id is computable by anyone from its value (here a name-based UUID stands for STIX's UUIDv5). */
const domain = (value: string, extra: Record<string, unknown> = {}) => ({
  type: 'domain-name',
  spec_version: '2.1',
  id: `domain-name--${nameUuid(value)}`,
  value,
  ...extra,
});
const indicator = (id: string, modified: string, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id,
  created: '2024-01-01T00:00:00.000Z',
  modified,
  pattern: "[ipv4-addr:value = '1.2.3.4']",
  pattern_type: 'stix',
  valid_from: '2024-01-01T00:00:00Z',
  ...extra,
});
/** What a write answers, without the date_added a version of an unversioned object is given. */
const answer = (r: IngestReport) => ({
  accepted: r.accepted.map((a) => a.index),
  duplicates: r.duplicates.map((d) => d.index),
  rejected: r.rejected.map((x) => ({ index: x.index, message: x.message.replace(/^[a-z-]+--[0-9a-f-]+: /, '') })),
});

describe.each(testDatabases)('each organisation holds its own observables on $name', (tdb) => {
  let database: Database;
  let svc: KnowledgeService;
  beforeEach(async () => {
    database = await tdb.open();
    svc = new KnowledgeService(new KnowledgeRepository(database), systemClock);
  });
  afterEach(async () => database.close());
  const write = (org: string, objs: unknown[], tlp: Tlp = 'amber') =>
    svc.ingest(actor(org), items(objs), { defaultTlp: tlp });

  it('a write of an observable answers the same whether or not another organisation holds it (hidden or not)', async () => {
    const held = `held-${randomUUID()}.example`;
    const fresh = `fresh-${randomUUID()}.example`;
    await write('PL', [domain(held)], 'red');
    await write('PL', [domain(`${held}.x`)], 'clear');
    // LT probes: the same SCO, the same id with other content, and again (its own duplicate).
    const probe = (v: string) => [
      domain(v),
      domain(v),
      { ...domain(v), resolves_to_refs: [`ipv4-addr--${randomUUID()}`] },
    ];
    const onHeld = answer(await write('LT', probe(held)));
    const onReadable = answer(await write('LT', probe(`${held}.x`)));
    const onFresh = answer(await write('LT', probe(fresh)));
    expect(onHeld).toEqual(onFresh);
    expect(onReadable).toEqual(onFresh);
    expect(onFresh.accepted).toEqual([0]);
    expect(onFresh.duplicates).toEqual([1]);
    expect(onFresh.rejected[0]!.message).toMatch(/a different object with the same id and version/);
  });

  it("reads present each copy a reader may read; by id, the reader's own copy first", async () => {
    const v = `shared-${randomUUID()}.example`;
    const id = domain(v).id;
    await write('PL', [domain(v, { x_by: 'PL' })], 'green');
    await write('LT', [domain(v, { x_by: 'LT' })], 'red');
    await write('EE', [domain(v, { x_by: 'EE' })], 'green');
    const reader = (org: string) => ({ kind: 'org' as const, org, orgKind: 'member' as const });
    const authors = async (org: string) =>
      (await svc.list({ reader: reader(org), scope: { kind: 'all' }, ids: [id] })).map((r) => r.author);
    expect(await authors('DE')).toEqual(['PL', 'EE']);
    expect(await authors('LT')).toEqual(['PL', 'LT', 'EE']);
    expect(await svc.count({ reader: reader('DE'), scope: { kind: 'all' }, ids: [id], versions: ['all'] })).toBe(2);
    expect((await svc.get(actor('EE'), id)).object.x_by).toBe('EE');
    expect((await svc.get(actor('LT'), id)).object.x_by).toBe('LT');
    expect((await svc.get(actor('DE'), id)).object.x_by).toBe('PL');
    // LT removes its copy: the others stay, each still the latest of its author.
    expect(
      await svc.remove(actor('LT'), { reader: reader('LT'), scope: { kind: 'all' }, ids: [id], versions: ['all'] }),
    ).toBe(1);
    const left = await svc.list({
      reader: { kind: 'system', name: 't' },
      scope: { kind: 'all' },
      ids: [id],
      versions: ['all'],
    });
    expect(left.map((r) => [r.author, r.is_latest])).toEqual([
      ['PL', 1],
      ['EE', 1],
    ]);
  });

  it('a foreign SDO id answers "belongs to another organisation" for every hidden version, whatever the content', async () => {
    const id = `indicator--${randomUUID()}`;
    const v1 = indicator(id, '2024-01-01T00:00:00.000Z', { name: 'first' });
    await write('PL', [v1], 'green');
    // Readable to LT: its copy of v1 is a duplicate.
    expect(answer(await write('LT', [v1])).duplicates).toEqual([0]);
    // PL narrows: v1 is no longer LT's to read, so comparing with it would confirm its content.
    await write('PL', [indicator(id, '2024-02-01T00:00:00.000Z', { name: 'narrowed' })], 'red');
    const r = answer(await write('LT', [v1, { ...v1, name: 'other' }, indicator(id, '2024-03-01T00:00:00.000Z')]));
    expect(r.accepted).toEqual([]);
    expect(r.duplicates).toEqual([]);
    expect(r.rejected.map((x) => x.message)).toEqual(
      [0, 1, 2].map(() => `id: belongs to another organisation; only its author may add versions`),
    );
  });
});
