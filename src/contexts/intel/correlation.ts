/**
 * Correlation scoring (pure). Each piece of evidence between two incidents has a weight w in
 * (0, 1); the link's score is the noisy-OR  score = 1 − Π (1 − w_i), so independent reasons add up
 * without ever passing 1. Weights:
 *   shared file hash 0.7 · shared URL 0.6 · shared domain, IP, e-mail, account, MAC 0.5 · shared AS 0.2
 *   narrative similarity s (≥ threshold) → 0.8 · s
 *   same attributed actor 0.5
 *   overlapping techniques → 0.4 · |A ∩ B| / |A ∪ B|
 *   time and place proximity (≤ 7 days and ≤ 500 km) 0.15, counted only beside another reason.
 * Links scoring at least STRONG_LINK form suggested campaigns.
 */
import { ORGANISATIONS } from '../sharing/organisations.ts';
import { canRead, type Releasable } from '../../kernel/access/releasability.ts';
import type { ObservableType } from './observable.ts';
import { NO_AUTHOR } from '../sharing/identity.ts';

export interface CorrelationSettings {
  /** A value carried by more incidents than this is "common" and no longer correlates. */
  commonThreshold: number;
  /** At most this many candidate incidents per lookup and per new incident. */
  maxCandidates: number;
  /**
   * At most this many links per release and per author of the other incidents are kept when an incident is
   * correlated, strongest first (`strongestLinks`): a surge of one claim links each report to a few of each
   * author's reports instead of to every one before it.
   */
  maxLinks: number;
  /** Narrative candidates: of each band key's carriers under each release, the newest this many are read. */
  narrativeCarriers: number;
  narrativeThreshold: number;
  proximityDays: number;
  proximityKm: number;
  strongLink: number;
}

export const DEFAULT_CORRELATION: CorrelationSettings = {
  commonThreshold: 50,
  maxCandidates: 200,
  maxLinks: 5,
  narrativeCarriers: 25,
  narrativeThreshold: 0.4,
  proximityDays: 7,
  proximityKm: 500,
  strongLink: 0.5,
};

export type Evidence =
  | { kind: 'observable'; type: ObservableType; value: string }
  | { kind: 'narrative'; similarity: number }
  | { kind: 'actor'; name: string }
  | { kind: 'ttps'; shared: string[]; jaccard: number }
  | { kind: 'proximity'; days: number; km: number }
  | { kind: 'common'; type: string; value: string };

const OBSERVABLE_WEIGHT: Record<ObservableType, number> = {
  file: 0.7,
  url: 0.6,
  'domain-name': 0.5,
  'ipv4-addr': 0.5,
  'ipv6-addr': 0.5,
  'email-addr': 0.5,
  'user-account': 0.5,
  'mac-addr': 0.5,
  'autonomous-system': 0.2,
  narrative: 0,
};

export function weightOf(e: Evidence): number {
  switch (e.kind) {
    case 'observable':
      return OBSERVABLE_WEIGHT[e.type];
    case 'narrative':
      return 0.8 * e.similarity;
    case 'actor':
      return 0.5;
    case 'ttps':
      return 0.4 * e.jaccard;
    case 'proximity':
      return 0.15;
    case 'common':
      return 0;
  }
}

export function reasonText(e: Evidence, s: CorrelationSettings = DEFAULT_CORRELATION): string {
  switch (e.kind) {
    case 'observable':
      return `shared ${e.type} ${e.value}`;
    case 'narrative':
      return `narrative ${Math.round(e.similarity * 100)}% similar`;
    case 'actor':
      return `same actor ${e.name}`;
    case 'ttps':
      return `shared techniques ${e.shared.join(', ')} (${Math.round(e.jaccard * 100)}% overlap)`;
    case 'proximity':
      return `within ${e.days} days and ${e.km} km`;
    case 'common':
      return `common value ${e.type} ${e.value} ignored (seen in more than ${s.commonThreshold} incidents)`;
  }
}

/**
 * A link keeps at most this many reasons, each at most REASON_CHARS long: two incidents sharing 200
 * values of 2 KB each once made a link (and its announcement) of 400 KB, copied again for every other
 * incident carrying them, so that one maximal report cost 50 times its size on disk. The score still
 * counts every piece of evidence; the values themselves are in the two incidents.
 */
export const MAX_REASONS = 10;
export const REASON_CHARS = 200;

function clip(text: string): string {
  return text.length <= REASON_CHARS ? text : `${text.slice(0, REASON_CHARS - 1)}…`;
}

/** Score and reasons of a candidate link; undefined when nothing but weak evidence links them. */
export function scoreLink(
  evidence: readonly Evidence[],
  s: CorrelationSettings = DEFAULT_CORRELATION,
): { score: number; reasons: string[] } | undefined {
  const strong = evidence.filter((e) => e.kind !== 'proximity' && e.kind !== 'common' && weightOf(e) > 0);
  if (strong.length === 0) return undefined;
  let miss = 1;
  for (const e of evidence) miss *= 1 - weightOf(e);
  const all = [...evidence]
    .map((e) => ({ w: weightOf(e), text: reasonText(e, s) }))
    .sort((a, b) => b.w - a.w || a.text.localeCompare(b.text))
    .map((r) => clip(r.text));
  const reasons =
    all.length <= MAX_REASONS
      ? all
      : [...all.slice(0, MAX_REASONS - 1), `and ${all.length - MAX_REASONS + 1} more reasons`];
  return { score: Math.round((1 - miss) * 1000) / 1000, reasons };
}

/** Great-circle distance in km (haversine, mean Earth radius). */
export function distanceKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371.0088 * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface PlaceTime {
  occurredAt: string;
  lat: number | null;
  lon: number | null;
}

export function proximity(
  a: PlaceTime,
  b: PlaceTime,
  s: CorrelationSettings = DEFAULT_CORRELATION,
): Evidence | undefined {
  if (a.lat === null || a.lon === null || b.lat === null || b.lon === null) return undefined;
  const days = Math.abs(Date.parse(a.occurredAt) - Date.parse(b.occurredAt)) / 86400000;
  const km = distanceKm({ lat: a.lat, lon: a.lon }, { lat: b.lat, lon: b.lon });
  if (days > s.proximityDays || km > s.proximityKm) return undefined;
  return { kind: 'proximity', days: Math.round(days * 10) / 10, km: Math.round(km) };
}

export function ttpOverlap(
  a: readonly string[],
  b: readonly string[],
  names: ReadonlyMap<string, string> = new Map(),
): Evidence | undefined {
  const sb = new Set(b);
  const shared = [...new Set(a)].filter((x) => sb.has(x));
  if (shared.length === 0) return undefined;
  const union = new Set([...a, ...b]).size;
  return { kind: 'ttps', shared: shared.map((x) => names.get(x) ?? x).sort(), jaccard: shared.length / union };
}

/** Canonical order of a link's two ends. */
export function linkEnds(x: string, y: string): [string, string] {
  return x < y ? [x, y] : [y, x];
}

/** The organisations that may read an object (over the alliance's organisation list). */
export function readersOf(r: Releasable): string[] {
  return ORGANISATIONS.filter((o) => canRead({ kind: 'org', org: o.code, orgKind: o.kind }, r)).map((o) => o.code);
}

/** The organisations that may read both incidents: the readers of a link between them, in alliance order. */
export function linkReaders(a: Releasable, b: Releasable): string[] {
  const rb = new Set(readersOf(b));
  return readersOf(a).filter((c) => rb.has(c));
}

/** An author code that matches no organisation: only the explicit audience reads such an event. */
export { NO_AUTHOR };

/**
 * Releasability of a link announcement: exactly the organisations that read BOTH incidents, as an
 * explicit audience at TLP:RED with an author that is no organisation. Undefined when nobody reads both.
 */
export function linkReleasability(a: Releasable, b: Releasable): Releasable | undefined {
  const both = linkReaders(a, b);
  if (both.length === 0) return undefined;
  return { author: NO_AUTHOR, tlp: 'red', audience: both };
}

/**
 * A value of incident X that more than `threshold` incidents carry in all is decided per link: it is common
 * for the link X–Y when more than `threshold` of its carriers are readable by EVERY organisation that reads the
 * link (`linkReaders`, those reading both X and Y), and for a link nobody reads. Hidden carriers therefore never
 * change a link, and a reader padding the count with its own incidents learns nothing of others'. `readable`
 * is that count (the caller may stop counting past `threshold`).
 */
export function commonFor(readers: readonly string[], readable: number, threshold: number): boolean {
  return readers.length === 0 || readable > threshold;
}

/** The incidents carrying one value that share one release (author, TLP, audience). */
export interface ReleaseClass extends Releasable {
  incidents: number;
}

/** How many of a value's carriers, given as ALL their release classes, every one of `readers` may read (none read for no readers). */
export function readableIn(readers: readonly string[], classes: readonly ReleaseClass[]): number {
  if (readers.length === 0) return 0;
  const orgs = ORGANISATIONS.filter((o) => readers.includes(o.code));
  let n = 0;
  for (const c of classes)
    if (orgs.every((o) => canRead({ kind: 'org', org: o.code, orgKind: o.kind }, c))) n += c.incidents;
  return n;
}
