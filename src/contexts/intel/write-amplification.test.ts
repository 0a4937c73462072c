import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testServer, type TestServer } from '../../../test/server.ts';
import { MAX_REASONS, REASON_CHARS } from './correlation.ts';
import { MAX_OBSERVABLE_CHARS } from './incident.schema.ts';

/** Bytes of row data in the store (SQLite's dbstat: the payload of every table and index). */
function storedBytes(s: TestServer): number {
  const row = s.services.database.sqlite!.prepare('select sum(payload) as n from dbstat').get() as { n: number };
  return row.n;
}

/**
 * The largest incident the API accepts: 200 URL observables filling the limit on their total length,
 * 20 narratives of 2,000 characters, a 20,000-character description. `shared` makes every report
 * carry the same observables (the worst case for correlation: each new one links to all before it).
 */
function maximal(seed: number, shared: boolean): Record<string, unknown> {
  const url = (i: number) =>
    `https://evil-${shared ? 0 : seed}-${String(i).padStart(3, '0')}.example/`.padEnd(MAX_OBSERVABLE_CHARS / 200, 'p');
  const word = (i: number, k: number) => `w${(seed * 7919 + i * 104729 + k * 31) % 9973}`;
  return {
    title: `maximal ${seed}`,
    description: 'd'.repeat(20_000),
    category: 'cyber',
    occurredAt: '2026-03-02T08:00:00Z',
    affectedMembers: ['PL', 'LT'],
    tlp: 'green',
    location: { lat: 54.69, lon: 25.28 },
    observables: Array.from({ length: 200 }, (_, i) => ({ type: 'url', value: url(i) })),
    narratives: Array.from({ length: 20 }, (_, i) =>
      Array.from({ length: 400 }, (_, k) => word(i, k))
        .join(' ')
        .slice(0, 2000),
    ),
  };
}

describe('write amplification of an incident report (SQLite)', () => {
  let s: TestServer;
  let token: string;
  beforeEach(async () => {
    s = await testServer();
    token = await s.token('PL');
  });
  afterEach(async () => s.close());
  const post = (body: unknown) =>
    s.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: JSON.stringify(body),
    });

  // What a report must cost: its incident SDO (the whole report), one SCO and one relationship per
  // observable (the report's observables again), the index rows of each observable (the row, its
  // primary key, the lookup index: three more copies of each value), the narratives' signatures. About
  // 6 bytes stored per byte posted; 8 leaves room for B-tree overhead and none for copies per link.
  const FACTOR = 8;

  it('stores at most 8 bytes per byte posted, however many earlier reports share its observables', async () => {
    const before = storedBytes(s);
    let posted = 0;
    for (let i = 0; i < 6; i++) {
      const payload = maximal(i, true);
      posted += JSON.stringify(payload).length;
      const res = await post(payload);
      expect(res.statusCode, res.body).toBe(201);
    }
    const links = await s.services.database.db.selectFrom('intel_links').select('reasons').execute();
    expect(links).toHaveLength(15); // every pair: the values are shared, so each report linked to all before it
    expect((storedBytes(s) - before) / posted).toBeLessThan(FACTOR);
  });

  it('keeps a bounded list of reasons on each link and its announcement, and no copy of the narratives', async () => {
    for (let i = 0; i < 3; i++) expect((await post(maximal(i, true))).statusCode).toBe(201);
    const links = await s.services.database.db.selectFrom('intel_links').select('reasons').execute();
    expect(links.length).toBe(3);
    for (const l of links) {
      const reasons = JSON.parse(l.reasons) as string[];
      expect(reasons.length).toBeLessThanOrEqual(MAX_REASONS);
      expect(reasons.at(-1)).toMatch(/^and \d+ more reasons$/);
      for (const r of reasons) expect(r.length).toBeLessThanOrEqual(REASON_CHARS);
    }
    // The index keeps the narratives' signatures, not a second copy of their text (the incident holds it).
    const copies = await s.services.database.db.selectFrom('intel_narratives').select(['text', 'signature']).execute();
    expect(copies).toHaveLength(60);
    expect(copies.every((n) => n.text === '' && n.signature.length > 0)).toBe(true);
    const events = await s.services.database.db
      .selectFrom('outbox')
      .select(['event', 'payload'])
      .where('event', '=', 'correlation.found')
      .execute();
    // The third report's two links share a release: one announcement lists both (link-announcements.ts).
    expect(events.length).toBe(2);
    for (const e of events) {
      const named = (JSON.parse(e.payload) as { links?: unknown[] }).links?.length ?? 0;
      expect(e.payload.length).toBeLessThan((1 + named) * (MAX_REASONS * (REASON_CHARS + 8) + 1000));
    }
  });

  it('refuses reports over the size limits with a 400 naming the field, and bodies over 1 MiB with 413', async () => {
    const over = maximal(0, false);
    (over.observables as Array<{ value: string }>)[0]!.value += 'x';
    const res = await post(over);
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toMatchObject({ field: 'observables' });
    expect(res.json().error.message).toContain('100,000 characters');
    const long = await post({ ...maximal(1, false), narratives: ['n'.repeat(2001)] });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.field).toBe('narratives.0');
    const huge = await post({ ...maximal(2, false), padding: 'x'.repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    expect(await s.services.database.db.selectFrom('intel_incidents').select('id').execute()).toEqual([]);
    expect((await post(maximal(3, false))).statusCode).toBe(201);
  });
});
