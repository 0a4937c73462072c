/**
 * Humanitarian needs by area and sector (api.md, Registers), the latest per area and sector, and the
 * gap between stated needs and the humanitarian support recorded for the same country. Pure.
 */
import type { Tlp } from '../../kernel/access/tlp.ts';
import { countryOf } from './codes.ts';
import { fromMinor, toMinor, type Money } from './money.ts';

export const SECTORS = ['shelter', 'food', 'health', 'wash', 'protection', 'education', 'energy', 'other'] as const;
export type Sector = (typeof SECTORS)[number];

export interface HumanitarianNeed {
  id: string;
  author: string;
  area: string;
  sector: Sector;
  peopleInNeed: number;
  peopleReached: number | null;
  fundingRequired: Money | null;
  fundingReceived: Money | null;
  asOf: string;
  source: string;
  tlp: Tlp;
  audience: string[];
  createdBy: string;
  created: string;
  modified: string;
}

/** The latest `asOf` per area and sector (ties: the later id), sorted by area then sector. */
export function latestPerAreaAndSector(needs: readonly HumanitarianNeed[]): HumanitarianNeed[] {
  const best = new Map<string, HumanitarianNeed>();
  for (const n of needs) {
    const k = `${n.area}|${n.sector}`;
    const b = best.get(k);
    if (!b || n.asOf > b.asOf || (n.asOf === b.asOf && n.id > b.id)) best.set(k, n);
  }
  return [...best.values()].sort((a, b) =>
    a.area === b.area ? (a.sector < b.sector ? -1 : 1) : a.area < b.area ? -1 : 1,
  );
}

/** Humanitarian support to a country in one currency, by status (what the reader may read). */
export interface SupportTotals {
  recipient: string;
  currency: string;
  pledged: number;
  allocated: number;
  delivered: number;
}

export interface FundingGap {
  country: string;
  currency: string;
  /** Sums over the latest needs of the country's areas and sectors stating funding in this currency. */
  required: number;
  received: number;
  /** required − received (never below 0). */
  unmet: number;
  /** Humanitarian support recorded for the country in this currency, by current status. */
  supportPledged: number;
  supportAllocated: number;
  supportDelivered: number;
  /** unmet − everything pledged, allocated or delivered (never below 0): what no one has offered yet. */
  uncovered: number;
}

/**
 * The gap to support where both exist: per country and currency in which the latest needs state a
 * funding requirement and humanitarian support is recorded. Amounts are never converted.
 */
export function fundingGaps(latest: readonly HumanitarianNeed[], support: readonly SupportTotals[]): FundingGap[] {
  const need = new Map<string, { required: number; received: number }>();
  for (const n of latest) {
    if (!n.fundingRequired) continue;
    const cur = n.fundingRequired.currency;
    const k = `${countryOf(n.area)}|${cur}`;
    const g = need.get(k) ?? { required: 0, received: 0 };
    g.required += toMinor(n.fundingRequired.value);
    if (n.fundingReceived?.currency === cur) g.received += toMinor(n.fundingReceived.value);
    need.set(k, g);
  }
  const out: FundingGap[] = [];
  for (const s of support) {
    const g = need.get(`${s.recipient}|${s.currency}`);
    if (!g) continue;
    const unmet = Math.max(0, g.required - g.received);
    const offered = toMinor(s.pledged) + toMinor(s.allocated) + toMinor(s.delivered);
    out.push({
      country: s.recipient,
      currency: s.currency,
      required: fromMinor(g.required),
      received: fromMinor(g.received),
      unmet: fromMinor(unmet),
      supportPledged: s.pledged,
      supportAllocated: s.allocated,
      supportDelivered: s.delivered,
      uncovered: fromMinor(Math.max(0, unmet - offered)),
    });
  }
  return out.sort((a, b) =>
    a.country === b.country ? (a.currency < b.currency ? -1 : 1) : a.country < b.country ? -1 : 1,
  );
}
