/**
 * A briefing's data and the rules that do not depend on where it comes from: its release (the most
 * restrictive TLP it holds, and the audience every object it holds allows), the hash of the data, and
 * the period. Pure.
 */
import { createHash } from 'node:crypto';
import { mostRestrictive, type Tlp } from '../../kernel/access/tlp.ts';
import { canonicalJson } from '../stix/stix.ts';
import type { SupportSummary } from '../registers/support.ts';
import type { DiplomaticEvent } from '../registers/diplomacy.ts';
import type { FundingGap, HumanitarianNeed } from '../registers/humanitarian.ts';

/** The longest period one briefing covers (a year, leap day included). */
export const MAX_PERIOD_DAYS = 366;

export const FORMATS = ['markdown', 'html', 'pdf'] as const;
export type Format = (typeof FORMATS)[number];

export interface Count {
  key: string;
  n: number;
}

/** What the outlook context supplies (scenario probabilities, their change, posture by member). */
export interface OutlookSection {
  scenarios: Array<{ name: string; probability: number; change: number }>;
  posture: Array<{ member: string; posture: string }>;
}

export interface SupportLine {
  id: string;
  provider: string;
  recipient: string;
  avenue: string;
  description: string;
  amount: { value: number; currency: string } | null;
  status: string;
  pledgedAt: string;
}

export interface BriefingData {
  title: string;
  from: string;
  to: string;
  org: string;
  situation: {
    incidents: number;
    byCategory: Count[];
    byMember: Count[];
    /** Located incidents, for the map. */
    points: Array<{ lat: number; lon: number; category: string }>;
    campaigns: Array<{ id: string; name: string; status: string; incidents: number; created: string }>;
  };
  treaty: {
    /** Article 5 status of the period's located incidents (treaty engine), by outcome. */
    article5: Count[];
    decisions: Array<{ id: string; title: string; status: string; decidedAt: string }>;
    open: Array<{ id: string; title: string; procedure: string; silenceEndsAt: string | null }>;
  };
  /** null when no outlook context is wired (the section then says so). */
  outlook: OutlookSection | null;
  support: { summary: SupportSummary; inPeriod: SupportLine[] };
  diplomacy: { inPeriod: DiplomaticEvent[]; record: DiplomaticEvent[] };
  humanitarian: { items: HumanitarianNeed[]; gaps: FundingGap[] };
}

/** The release of one object a briefing holds. */
export interface Held {
  id: string;
  modified: string;
  author: string;
  tlp: Tlp;
  audience: readonly string[];
}

export interface Release {
  tlp: Tlp;
  /** Organisations that may read every object held (empty: no named audience restricts it). */
  audience: string[];
}

/**
 * The briefing's release: the most restrictive TLP of what it holds; and, where objects are restricted
 * to named organisations (an audience, or AMBER+STRICT/RED held by their author alone), the organisations
 * every one of them allows: the intersection of each restricted object's readers (its audience and author).
 */
export function releaseOf(held: Iterable<Held>): Release {
  let tlp: Tlp = 'clear';
  let audience: Set<string> | undefined;
  for (const h of held) {
    tlp = mostRestrictive(tlp, h.tlp);
    if (h.tlp === 'clear') continue;
    const readers =
      h.audience.length > 0
        ? [...h.audience, h.author]
        : h.tlp === 'amber+strict' || h.tlp === 'red'
          ? [h.author]
          : undefined;
    if (!readers) continue;
    audience = audience ? new Set(readers.filter((r) => audience!.has(r))) : new Set(readers);
  }
  return { tlp, audience: audience ? [...audience].sort() : [] };
}

/**
 * sha256 of the data the briefing was made from: its content and the version (id and modified) of every
 * object it holds, in canonical JSON. The same data gives the same hash; the time it was made is not in it.
 */
export function hashOf(data: BriefingData, held: readonly Held[]): string {
  const versions = held.map((h) => `${h.id}@${h.modified}`).sort();
  return createHash('sha256').update(canonicalJson({ data, versions })).digest('hex');
}

/** Why a period is refused (field and message), or undefined. */
export function periodProblem(from: string, to: string): { field: string; message: string } | undefined {
  const a = Date.parse(from);
  const b = Date.parse(to);
  if (b < a) return { field: 'to', message: 'must not be before from' };
  if (b - a > MAX_PERIOD_DAYS * 86_400_000)
    return { field: 'to', message: `the period is longer than a year (${MAX_PERIOD_DAYS} days)` };
  return undefined;
}
