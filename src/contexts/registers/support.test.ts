import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  SUPPORT_STATUSES,
  advance,
  summarise,
  transitionProblem,
  type SummaryCell,
  type SupportEntry,
} from './support.ts';
import { hasAtMostTwoPlaces, isCurrency, toMinor, fromMinor } from './money.ts';
import { fundingGaps, latestPerAreaAndSector, type HumanitarianNeed } from './humanitarian.ts';
import { isArea } from './codes.ts';
import { overlaps } from './diplomacy.ts';

describe('support status machine (api.md: forward only, any → cancelled, nothing after cancelled)', () => {
  const allowed: Array<[string, string]> = [
    ['pledged', 'allocated'],
    ['pledged', 'delivered'],
    ['allocated', 'delivered'],
    ['pledged', 'cancelled'],
    ['allocated', 'cancelled'],
    ['delivered', 'cancelled'],
  ];
  it('allows exactly the forward steps, skipped steps and cancelling', () => {
    for (const from of SUPPORT_STATUSES)
      for (const to of SUPPORT_STATUSES) {
        const ok = allowed.some(([a, b]) => a === from && b === to);
        expect(transitionProblem(from, to) === undefined, `${from} → ${to}`).toBe(ok);
      }
  });
  it('says why a move is refused', () => {
    expect(transitionProblem('allocated', 'pledged')).toMatch(/forward only/);
    expect(transitionProblem('delivered', 'delivered')).toMatch(/already delivered/);
    expect(transitionProblem('cancelled', 'delivered')).toMatch(/cancelled/);
    expect(transitionProblem('cancelled', 'cancelled')).toMatch(/cancelled/);
  });
  it('keeps the history when advancing', () => {
    const e = { status: 'pledged', modified: 'a', history: [{ status: 'pledged', at: 't0', by: 'u' }] } as SupportEntry;
    const n = advance(e, 'delivered', 't1', 'v', 'b');
    expect(n.status).toBe('delivered');
    expect(n.history).toEqual([
      { status: 'pledged', at: 't0', by: 'u' },
      { status: 'delivered', at: 't1', by: 'v' },
    ]);
    expect(e.history).toHaveLength(1);
  });
  it('no sequence of allowed moves ever goes back or leaves cancelled', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SUPPORT_STATUSES), { maxLength: 12 }), (moves) => {
        const rank = { pledged: 0, allocated: 1, delivered: 2, cancelled: 3 };
        let s: (typeof SUPPORT_STATUSES)[number] = 'pledged';
        for (const m of moves) {
          if (transitionProblem(s, m) !== undefined) continue;
          expect(rank[m]).toBeGreaterThan(rank[s]);
          s = m;
        }
      }),
    );
  });
});

describe('support summary', () => {
  const cell = (c: Partial<SummaryCell>): SummaryCell => ({
    avenue: 'financial',
    provider: 'PL',
    currency: 'EUR',
    status: 'pledged',
    entries: 1,
    minor: 100,
    ...c,
  });
  it('counts every entry, amounts under the current status, cancelled nowhere, per currency', () => {
    const s = summarise([
      cell({ minor: 150 }),
      cell({ status: 'delivered', minor: 1_000 }),
      cell({ status: 'cancelled', minor: 99_999 }),
      cell({ currency: 'USD', status: 'allocated', minor: 5 }),
      cell({ currency: '', minor: 0 }),
      cell({ avenue: 'training', provider: 'DE', minor: 1 }),
    ]);
    expect(s.byAvenue).toEqual([
      {
        avenue: 'financial',
        entries: 5,
        amounts: [
          { currency: 'EUR', pledged: 1.5, allocated: 0, delivered: 10 },
          { currency: 'USD', pledged: 0, allocated: 0.05, delivered: 0 },
        ],
      },
      { avenue: 'training', entries: 1, amounts: [{ currency: 'EUR', pledged: 0.01, allocated: 0, delivered: 0 }] },
    ]);
    expect(s.byProvider.map((p) => [p.provider, p.entries])).toEqual([
      ['DE', 1],
      ['PL', 5],
    ]);
  });
});

describe('money and codes', () => {
  it('accepts at most two decimal places and keeps sums exact in hundredths', () => {
    expect(hasAtMostTwoPlaces(12.34)).toBe(true);
    expect(hasAtMostTwoPlaces(1e12)).toBe(true);
    expect(hasAtMostTwoPlaces(0.125)).toBe(false);
    expect(hasAtMostTwoPlaces(Number.NaN)).toBe(false);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e14 }), (minor) => {
        expect(toMinor(fromMinor(minor))).toBe(minor);
        expect(hasAtMostTwoPlaces(fromMinor(minor))).toBe(true);
      }),
    );
  });
  it('knows ISO 4217 currencies and ISO 3166 areas', () => {
    expect(isCurrency('EUR') && isCurrency('UAH') && isCurrency('USD')).toBe(true);
    expect(isCurrency('ABC') || isCurrency('eur')).toBe(false);
    expect(isArea('UA') && isArea('UA-14') && isArea('PL-14')).toBe(true);
    expect(isArea('XX') || isArea('UA-99') || isArea('ua')).toBe(false);
  });
});

describe('humanitarian summary', () => {
  const need = (n: Partial<HumanitarianNeed>): HumanitarianNeed =>
    ({
      id: 'n1',
      author: 'PL',
      area: 'UA',
      sector: 'food',
      peopleInNeed: 10,
      peopleReached: null,
      fundingRequired: null,
      fundingReceived: null,
      asOf: '2025-01-01T00:00:00.000Z',
      ...n,
    }) as HumanitarianNeed;
  it('keeps the latest asOf per area and sector', () => {
    const latest = latestPerAreaAndSector([
      need({ id: 'a', asOf: '2025-01-01T00:00:00.000Z' }),
      need({ id: 'b', asOf: '2025-03-01T00:00:00.000Z' }),
      need({ id: 'c', sector: 'health' }),
      need({ id: 'd', area: 'UA-14' }),
    ]);
    expect(latest.map((n) => n.id)).toEqual(['b', 'c', 'd']);
  });
  it('gives the gap to support only where needs and support share a country and currency', () => {
    const latest = [
      need({ fundingRequired: { value: 100, currency: 'USD' }, fundingReceived: { value: 30, currency: 'USD' } }),
      need({ id: 'x', area: 'UA-14', sector: 'wash', fundingRequired: { value: 50.5, currency: 'USD' } }),
      need({ id: 'y', area: 'MD', fundingRequired: { value: 10, currency: 'EUR' } }),
    ];
    const gaps = fundingGaps(latest, [
      { recipient: 'UA', currency: 'USD', pledged: 20, allocated: 10, delivered: 5.25 },
      { recipient: 'UA', currency: 'EUR', pledged: 1, allocated: 0, delivered: 0 },
    ]);
    expect(gaps).toEqual([
      {
        country: 'UA',
        currency: 'USD',
        required: 150.5,
        received: 30,
        unmet: 120.5,
        supportPledged: 20,
        supportAllocated: 10,
        supportDelivered: 5.25,
        uncovered: 85.25,
      },
    ]);
  });
});

describe('diplomatic events in a period', () => {
  it('overlap when they start before its end and end after its start', () => {
    const e = { startedAt: '2022-07-22', endedAt: '2023-07-17' };
    expect(overlaps(e, '2023-01-01', '2023-02-01')).toBe(true);
    expect(overlaps(e, '2023-08-01', undefined)).toBe(false);
    expect(overlaps({ startedAt: '2014-09-05', endedAt: null }, '2014-09-01', '2014-09-30')).toBe(true);
  });
});
