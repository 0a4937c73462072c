import { MEMBERS, ORGANISATIONS, PARTNERS, type Organisation } from '../sharing/organisations.ts';

/**
 * The membership timeline of the North Atlantic Treaty: who was a Party on a given date.
 * Pure data and functions; dates are ISO calendar dates (YYYY-MM-DD) compared as strings.
 */
export const TREATY_IN_FORCE = '1949-08-24';

export interface PartyStatus {
  code: string;
  name: string;
  /** `party` on the date; `acceding-later` a member today that had not yet acceded; `partner` never a Party. */
  status: 'party' | 'acceding-later' | 'partner' | 'unknown';
  joined: string | null;
}

const byCode = new Map<string, Organisation>(ORGANISATIONS.map((o) => [o.code, o]));

/** Calendar date of an ISO date or date-time (UTC); throws on anything else. */
export function calendarDate(value: string): string {
  // Fast path for the common UTC forms (YYYY-MM-DD and YYYY-MM-DDThh:mm:ss[.sss]Z).
  if ((value.length === 10 || (value.endsWith('Z') && value[10] === 'T')) && Number.isFinite(Date.parse(value)))
    return value.slice(0, 10);
  const t = Date.parse(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t)) throw new RangeError(`not an ISO date: ${value}`);
  return new Date(t).toISOString().slice(0, 10);
}

export function organisation(code: string): Organisation | undefined {
  return byCode.get(code);
}

/** True when `code` was a Party to the Treaty on `date` (from its accession date on; none before entry into force). */
export function isPartyOn(code: string, date: string): boolean {
  const o = byCode.get(code);
  return o !== undefined && o.kind === 'member' && o.joined !== null && o.joined <= date && date >= TREATY_IN_FORCE;
}

export function partyStatus(code: string, date: string): PartyStatus {
  const o = byCode.get(code);
  if (!o) return { code, name: code, status: 'unknown', joined: null };
  if (o.kind === 'partner') return { code, name: o.name, status: 'partner', joined: null };
  return { code, name: o.name, status: isPartyOn(code, date) ? 'party' : 'acceding-later', joined: o.joined };
}

/** The Parties on a date, in accession order then by code. */
export function partiesOn(date: string): Organisation[] {
  return MEMBERS.filter((m) => isPartyOn(m.code, date));
}

/** Partners on a date: partner organisations, and today's members that had not yet acceded. */
export function partnersOn(date: string): Organisation[] {
  return [...PARTNERS, ...MEMBERS.filter((m) => !isPartyOn(m.code, date))];
}

/** The distinct accession dates, ascending: the days on which the membership changed. */
export function accessionDates(): string[] {
  return [...new Set(MEMBERS.map((m) => m.joined).filter((d): d is string => d !== null))].sort();
}
