/**
 * Support to partners (api.md, Registers): avenues, the status machine of an entry, and the summary of
 * what a reader may read. Pure: no I/O, time comes in as values.
 */
import type { Tlp } from '../../kernel/access/tlp.ts';
import { fromMinor, type Money } from './money.ts';

export const AVENUES = [
  'financial',
  'humanitarian',
  'non-lethal-equipment',
  'military-equipment',
  'training',
  'cyber-defence',
  'energy',
  'reconstruction',
  'other',
] as const;
export type Avenue = (typeof AVENUES)[number];

export const SUPPORT_STATUSES = ['pledged', 'allocated', 'delivered', 'cancelled'] as const;
export type SupportStatus = (typeof SUPPORT_STATUSES)[number];

/** The statuses an amount counts under in a summary (cancelled counts nowhere). */
export const COUNTED = ['pledged', 'allocated', 'delivered'] as const;
export type Counted = (typeof COUNTED)[number];

/** Source grading on the NATO Admiralty code: reliability A-F and credibility 1-6, written together ("B2"). */
export const GRADE_PATTERN = /^[A-F][1-6]$/;

export interface StatusStep {
  status: SupportStatus;
  at: string;
  by: string;
}

export interface SupportEntry {
  id: string;
  /** The provider: the organisation that wrote the entry. */
  provider: string;
  recipient: string;
  avenue: Avenue;
  description: string;
  amount: Money | null;
  pledgedAt: string;
  status: SupportStatus;
  source: string | null;
  sourceGrade: string | null;
  tlp: Tlp;
  audience: string[];
  createdBy: string;
  created: string;
  modified: string;
  history: StatusStep[];
}

const ORDER: Record<SupportStatus, number> = { pledged: 0, allocated: 1, delivered: 2, cancelled: 3 };

/**
 * Why moving from `from` to `to` is refused, or undefined when it is allowed. Forward only: pledged →
 * allocated → delivered (a step may be skipped); any status but cancelled → cancelled. The same status
 * again, a step back, or anything after cancelled is refused.
 */
export function transitionProblem(from: SupportStatus, to: SupportStatus): string | undefined {
  if (from === 'cancelled') return 'the entry is cancelled; a cancelled entry never changes again';
  if (to === from) return `the entry is already ${from}`;
  if (to === 'cancelled') return undefined;
  if (ORDER[to] < ORDER[from]) return `status moves forward only: ${from} cannot go back to ${to}`;
  return undefined;
}

/** The entry after a status change at `at` by `by` (call only when transitionProblem is undefined). */
export function advance(e: SupportEntry, to: SupportStatus, at: string, by: string, modified: string): SupportEntry {
  return { ...e, status: to, modified, history: [...e.history, { status: to, at, by }] };
}

/** One row of the derived summary table: what entries of one release class hold under one status. */
export interface SummaryCell {
  avenue: Avenue;
  provider: string;
  /** '' for entries without an amount. */
  currency: string;
  status: SupportStatus;
  entries: number;
  /** Sum of amounts in hundredths. */
  minor: number;
}

export interface Amounts {
  currency: string;
  pledged: number;
  allocated: number;
  delivered: number;
}

export interface SupportSummary {
  byAvenue: Array<{ avenue: Avenue; entries: number; amounts: Amounts[] }>;
  byProvider: Array<{ provider: string; entries: number; amounts: Amounts[] }>;
}

/**
 * The summary of api.md from the cells a reader may read: `entries` counts every entry (cancelled
 * too); an amount counts under its entry's current status, cancelled nowhere. Sorted by key, then currency.
 */
export function summarise(cells: readonly SummaryCell[]): SupportSummary {
  const by = (key: (c: SummaryCell) => string) => {
    const groups = new Map<string, { entries: number; amounts: Map<string, Amounts> }>();
    for (const c of cells) {
      const k = key(c);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { entries: 0, amounts: new Map() }));
      g.entries += c.entries;
      if (c.currency === '' || c.status === 'cancelled') continue;
      let a = g.amounts.get(c.currency);
      if (!a) g.amounts.set(c.currency, (a = { currency: c.currency, pledged: 0, allocated: 0, delivered: 0 }));
      a[c.status] += c.minor;
    }
    return [...groups]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, g]) => ({
        key: k,
        entries: g.entries,
        amounts: [...g.amounts.values()]
          .sort((a, b) => (a.currency < b.currency ? -1 : 1))
          .map((a) => ({
            currency: a.currency,
            pledged: fromMinor(a.pledged),
            allocated: fromMinor(a.allocated),
            delivered: fromMinor(a.delivered),
          })),
      }));
  };
  return {
    byAvenue: by((c) => c.avenue).map(({ key, ...r }) => ({ avenue: key as Avenue, ...r })),
    byProvider: by((c) => c.provider).map(({ key, ...r }) => ({ provider: key, ...r })),
  };
}
