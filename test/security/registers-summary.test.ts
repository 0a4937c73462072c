import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { testServer, type TestServer } from '../server.ts';
import { ORGANISATIONS } from '../../src/contexts/sharing/organisations.ts';
import { canRead, type Reader } from '../../src/kernel/access/releasability.ts';
import { TLP_LEVELS } from '../../src/kernel/access/tlp.ts';
import type { UserActor } from '../../src/kernel/access/actor.ts';
import { AVENUES, SUPPORT_STATUSES, type SupportEntry } from '../../src/contexts/registers/support.ts';

/**
 * Summary property test (issue 17): random entries by random providers, TLP levels, audiences, amounts
 * and status histories; every reader's summary equals the sums over exactly the entries it may read
 * (canRead), computed here independently of the service's derived totals table.
 */
const PROVIDERS = ['PL', 'LT', 'DE', 'UA'] as const;
const READERS = ['PL', 'LT', 'DE', 'UA', 'FR', 'GE'] as const;
const KIND = new Map(ORGANISATIONS.map((o) => [o.code, o.kind]));
const actor = (org: string): UserActor => ({
  kind: 'user',
  userId: `u-${org}`,
  userName: `user-${org}`,
  org,
  orgKind: KIND.get(org)!,
  role: 'analyst',
});
const reader = (org: string): Reader => ({ kind: 'org', org, orgKind: KIND.get(org)! });

const entryArb = fc.record({
  provider: fc.constantFrom(...PROVIDERS),
  recipient: fc.constantFrom('UA', 'MD'),
  avenue: fc.constantFrom(...AVENUES.slice(0, 3)),
  amount: fc.option(
    fc.record({ cents: fc.integer({ min: 0, max: 10_000_000 }), currency: fc.constantFrom('EUR', 'USD') }),
    { nil: undefined },
  ),
  tlp: fc.constantFrom(...TLP_LEVELS),
  audience: fc.subarray([...READERS], { maxLength: 2 }),
  status: fc.constantFrom('pledged' as const, 'allocated' as const),
  then: fc.option(fc.constantFrom('delivered' as const, 'cancelled' as const), { nil: undefined }),
});

type Totals = Record<string, { entries: number; amounts: Record<string, Record<string, number>> }>;

function expected(entries: readonly SupportEntry[], org: string, recipient?: string) {
  const byAvenue: Totals = {};
  const byProvider: Totals = {};
  for (const e of entries) {
    if (recipient && e.recipient !== recipient) continue;
    if (!canRead(reader(org), { author: e.provider, tlp: e.tlp, audience: e.audience })) continue;
    for (const [table, key] of [
      [byAvenue, e.avenue],
      [byProvider, e.provider],
    ] as const) {
      const g = (table[key] ??= { entries: 0, amounts: {} });
      g.entries++;
      if (e.amount && e.status !== 'cancelled') {
        const a = (g.amounts[e.amount.currency] ??= { pledged: 0, allocated: 0, delivered: 0 });
        a[e.status] = Math.round((a[e.status]! + e.amount.value) * 100) / 100;
      }
    }
  }
  const shape = (t: Totals, name: string) =>
    Object.keys(t)
      .sort()
      .map((k) => ({
        [name]: k,
        entries: t[k]!.entries,
        amounts: Object.keys(t[k]!.amounts)
          .sort()
          .map((c) => ({ currency: c, ...t[k]!.amounts[c] })),
      }));
  return { byAvenue: shape(byAvenue, 'avenue'), byProvider: shape(byProvider, 'provider') };
}

describe('support summaries count only what each reader may read', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await testServer();
  });
  afterAll(async () => server.close());

  it('each reader’s totals equal the sum over the entries it may read', { timeout: 120_000 }, async () => {
    const made: SupportEntry[] = [];
    const support = server.services.registers.support;
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 6 }), async (specs) => {
        for (const s of specs) {
          let e = await support.create(actor(s.provider), {
            recipient: s.recipient,
            avenue: s.avenue,
            description: 'random entry',
            ...(s.amount ? { amount: { value: s.amount.cents / 100, currency: s.amount.currency } } : {}),
            pledgedAt: '2025-01-01T00:00:00.000Z',
            status: s.status,
            tlp: s.tlp,
            ...(s.audience.length > 0 ? { audience: s.audience } : {}),
          });
          if (s.then)
            e = await support.patch(actor(s.provider), e.id, { status: s.then, at: '2025-02-01T00:00:00.000Z' });
          made.push(e);
        }
        for (const org of READERS) {
          expect(await support.summary(reader(org)), org).toEqual(expected(made, org));
          expect(await support.summary(reader(org), 'MD'), `${org} MD`).toEqual(expected(made, org, 'MD'));
        }
      }),
      { numRuns: 25 },
    );
    expect(SUPPORT_STATUSES).toContain('cancelled');
  });
});
