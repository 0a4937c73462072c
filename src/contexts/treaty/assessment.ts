import { AREA_CLAUSES as AREA_CLAUSES_LIST, type AreaClause, type Placement } from './geography.ts';
import { partyStatus } from './membership.ts';
import { isOrgCodeShape } from '../sharing/organisations.ts';
import * as T from './treaty-text.ts';

/**
 * Article 4 / Article 5 assessment of one incident, as a pure function of the incident and the
 * placement of its location on its date. Every answer carries reasons citing the treaty's words.
 */
export const TARGET_KINDS = ['territory', 'forces', 'vessel', 'aircraft'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const NATURES = ['armed-attack', 'cyber', 'hybrid', 'space'] as const;
export type Nature = (typeof NATURES)[number];

export interface AssessmentInput {
  /** Calendar date (YYYY-MM-DD) of the incident. */
  date: string;
  target: { party: string; kind: TargetKind };
  nature: Nature;
}

export interface Reason {
  rule: string;
  citation: string;
  text: string;
}

export interface Assessment {
  article5: 'covered' | 'not-covered' | 'council-decision';
  article4: 'available' | 'not-available';
  partyIsMember: boolean;
  inTreatyArea: boolean;
  area: AreaClause | null;
  reasons: Reason[];
}

export const CLAUSE_TEXT: Record<AreaClause, { citation: string; words: string; label: string }> = {
  'article-6-i-europe': {
    citation: T.CITE.art6i,
    words: 'on the territory of any of the Parties in Europe or North America',
    label: 'territory of a Party in Europe',
  },
  'article-6-i-north-america': {
    citation: T.CITE.art6i,
    words: 'on the territory of any of the Parties in Europe or North America',
    label: 'territory of a Party in North America',
  },
  'article-6-i-turkey': { citation: T.CITE.art6i, words: 'on the territory of Turkey', label: 'territory of Turkey' },
  'article-6-i-islands': {
    citation: T.CITE.art6i,
    words:
      'on the Islands under the jurisdiction of any of the Parties in the North Atlantic area north of the Tropic of Cancer',
    label: 'an island under a Party’s jurisdiction in the North Atlantic area north of the Tropic of Cancer',
  },
  'article-6-i-algerian-departments': {
    citation: T.CITE.art6i,
    words: 'on the Algerian Departments of France',
    label: 'the Algerian Departments of France (until Algerian independence, 3 July 1962)',
  },
  'article-6-ii-occupation-areas': {
    citation: T.CITE.art6ii,
    words:
      'any other area in Europe in which occupation forces of any of the Parties were stationed on the date when the Treaty entered into force',
    label: 'an area in Europe where occupation forces of the Parties were stationed on 24 August 1949',
  },
  'article-6-ii-mediterranean': {
    citation: T.CITE.art6ii,
    words: 'the Mediterranean Sea',
    label: 'the Mediterranean Sea',
  },
  'article-6-ii-north-atlantic': {
    citation: T.CITE.art6ii,
    words: 'the North Atlantic area north of the Tropic of Cancer',
    label: 'the North Atlantic area north of the Tropic of Cancer',
  },
};

const isTerritoryClause = (c: AreaClause): boolean => c.startsWith('article-6-i-');

function where(p: Placement): string {
  const t = p.territories[0];
  if (!t)
    return p.sea
      ? `The place lies at sea in ${p.sea === 'mediterranean' ? 'the Mediterranean Sea' : 'the North Atlantic area'}`
      : `The place lies outside every state's territory and outside the Article 6 sea areas`;
  return `The place lies ${t.territorialSea ? 'in the territorial sea (12 nautical miles) of' : 'in'} ${t.unit}${t.state ? ` (${t.state})` : ''}`;
}

/**
 * Reasons are immutable and depend on few inputs, so they are built once per distinct text and
 * shared between answers (bounded memo with numeric keys): assessing stays cheap at hundreds of
 * thousands a second.
 */
const memos = new Map<number, Map<number, Reason>>();
let memo = new Map<number, Reason>();
let memoOf = -1;
/** Selects the memo of one geography: its part numbers mean nothing in another. */
function useMemo(geographyId: number): void {
  if (geographyId === memoOf) return;
  let m = memos.get(geographyId);
  if (!m) {
    if (memos.size >= 16) memos.clear();
    m = new Map();
    memos.set(geographyId, m);
  }
  memo = m;
  memoOf = geographyId;
}
/** Keys are exact numbers; NaN (a party code outside A–Z pairs) builds the reason without memoising it. */
function reason(key: number, build: () => Reason): Reason {
  if (Number.isNaN(key)) return Object.freeze(build());
  let r = memo.get(key);
  if (!r) {
    if (memo.size >= 50_000) memo.clear();
    r = Object.freeze(build());
    memo.set(key, r);
  }
  return r;
}

/** 1–676 for a two-letter code, 0 for none, NaN otherwise (see reason). */
function codeNo(code: string | null | undefined): number {
  if (code === undefined || code === null) return 0;
  return isOrgCodeShape(code) ? (code.charCodeAt(0) - 65) * 26 + (code.charCodeAt(1) - 65) + 1 : Number.NaN;
}
/** YYYYMMDD of an ISO calendar date, without parsing. */
const dayNo = (d: string): number => {
  let n = 0;
  for (let i = 0; i < d.length; i++) {
    const c = d.charCodeAt(i) - 48;
    if (c >= 0 && c <= 9) n = n * 10 + c;
  }
  return n;
};
const KIND_NO: Record<TargetKind, number> = { territory: 0, forces: 1, vessel: 2, aircraft: 3 };
const CLAUSE_NO = new Map<AreaClause | null, number>([null, ...AREA_CLAUSES_LIST].map((c, i) => [c, i]));

export function assess(input: AssessmentInput, p: Placement): Assessment {
  const { date, target, nature } = input;
  const party = target.party;
  useMemo(p.geographyId);
  const pn = codeNo(party);
  const reasons: Reason[] = [];
  const st = partyStatus(party, date);
  const member = st.status === 'party';
  reasons.push(
    reason((pn * 1e8 + (member ? 0 : dayNo(date))) * 16 + 1, () => ({
      rule: 'membership',
      citation: T.CITE.art10,
      text: member
        ? `${st.name} (${st.code}) has been a Party to the North Atlantic Treaty since ${st.joined}.`
        : st.status === 'acceding-later'
          ? `${st.name} (${st.code}) was not a Party on ${date}: it acceded on ${st.joined}. Before its accession its territory, forces, vessels and aircraft are not protected by Article 5.`
          : `${st.name} (${st.code}) is not a Party to the North Atlantic Treaty${st.status === 'partner' ? ' (a partner of the Alliance)' : ''}; Article 5 protects the Parties only.`,
    })),
  );
  // Article 4 is open to any Party, at any time and wherever the threat arises.
  reasons.push(
    reason((pn * 2 + (member ? 1 : 0)) * 16 + 2, () =>
      member
        ? { rule: 'article-4', citation: T.CITE.art4, text: `${st.code} may request consultations: “${T.ARTICLE_4}”` }
        : {
            rule: 'article-4',
            citation: T.CITE.art4,
            text: `${st.code} cannot itself call for consultations; any Party that considers its own security threatened by the incident may (as eight Allies did on 24 February 2022): “${T.ARTICLE_4}”`,
          },
    ),
  );

  // Which clause of Article 6 the attack falls under, if any.
  const t0 = p.territories[0];
  // One number per distinct place text: the part hit (and whether at sea off it) with its clause, or the sea area.
  // The state is part of it: where(p) names it, and it changes with the date (e.g. Algeria before 1962).
  const placeKey = t0
    ? (((t0.part + 1) * 2 + (t0.territorialSea ? 1 : 0)) * 16 + CLAUSE_NO.get(t0.clause)!) * 1024 + codeNo(t0.state)
    : p.sea === 'mediterranean'
      ? 1
      : p.sea
        ? 2
        : 0;
  const kn = KIND_NO[target.kind];
  let clause: AreaClause | null = null;
  if (target.kind === 'territory') {
    const own = p.territories.find((t) => t.state === party);
    if (!own) {
      reasons.push(
        reason((placeKey * 1024 + pn) * 16 + 3, () => ({
          rule: 'territory',
          citation: T.CITE.art6i,
          text: `${where(p)}, not in the territory of ${st.code} (including its 12-nautical-mile territorial sea); an attack there is not an attack on ${st.code}'s territory.`,
        })),
      );
    } else if (own.clause === null) {
      reasons.push(
        reason(((placeKey * 1024 + pn) * 2 + (member ? 1 : 0)) * 16 + 4, () => ({
          rule: 'article-6-i',
          citation: T.CITE.art6i,
          text: `${where(p)}: territory of ${st.code}${member ? ' outside the areas of Article 6(i)' : ' that was not yet treaty territory'} — “${T.ARTICLE_6_I}”`,
        })),
      );
    } else clause = own.clause;
  } else {
    clause = p.area;
    if (clause === null)
      reasons.push(
        reason(placeKey * 16 + 5, () => ({
          rule: 'article-6-ii',
          citation: T.CITE.art6ii,
          text: `${where(p)}, outside the territories of Article 6(i), the Mediterranean Sea and the North Atlantic area north of the Tropic of Cancer: “${T.ARTICLE_6_II}”`,
        })),
      );
  }
  if (clause) {
    const c = CLAUSE_TEXT[clause];
    const cl = clause;
    reasons.push(
      reason((((placeKey * 16 + CLAUSE_NO.get(cl)!) * 4 + kn) * 1024 + (kn === 0 ? pn : 0)) * 16 + 6, () => {
        const what =
          target.kind === 'territory'
            ? `the territory of ${st.code}`
            : isTerritoryClause(cl)
              ? `${target.kind} of a Party in or over these territories`
              : `${target.kind} of a Party in or over this area`;
        return {
          rule: cl,
          citation: c.citation,
          text: `${where(p)}: ${c.label}. Article 6 covers an armed attack on ${what} — “…${c.words}…”.`,
        };
      }),
    );
  }
  const applies = member && clause !== null;

  let article5: Assessment['article5'] = 'not-covered';
  if (applies && nature === 'armed-attack') {
    article5 = 'covered';
    reasons.push(
      reason(pn * 16 + 7, () => ({
        rule: 'article-5',
        citation: T.CITE.art5,
        text: `An armed attack on ${st.code} here is an attack against all Parties: “${T.ARTICLE_5}”`,
      })),
    );
    reasons.push(CONSENSUS_REASON);
  } else if (applies && nature !== 'armed-attack') {
    article5 = 'council-decision';
    reasons.push(...COUNCIL_REASONS[nature]);
  } else {
    reasons.push(
      reason(((pn * 1e8 + (member ? 0 : dayNo(date))) * 4 + kn) * 16 + 8, () => ({
        rule: 'article-5',
        citation: T.CITE.art5,
        text: `Article 5 does not apply: ${!member ? `${st.code} was not a Party on ${date}` : target.kind === 'territory' ? 'the place attacked is outside the area that Article 6 defines' : `the ${target.kind} are outside the area that Article 6 defines`}.`,
      })),
    );
  }
  return {
    article5,
    article4: member ? 'available' : 'not-available',
    partyIsMember: member,
    inTreatyArea: p.area !== null,
    area: target.kind === 'territory' ? (clause ?? p.area) : p.area,
    reasons,
  };
}

const CONSENSUS_REASON: Reason = Object.freeze({ rule: 'consensus', citation: T.CITE.consensus, text: T.CONSENSUS });
const notArmed = (nature: Nature): Reason =>
  Object.freeze({
    rule: 'article-5',
    citation: T.CITE.art5,
    text: `A ${nature} attack is not by itself an “armed attack” in the words of Article 5; the North Atlantic Council decides case by case whether it amounts to one.`,
  });
const COUNCIL_REASONS: Record<Exclude<Nature, 'armed-attack'>, Reason[]> = {
  cyber: [
    Object.freeze({ rule: 'council-decision', citation: T.CITE.wales72, text: T.WALES_2014_72 }),
    Object.freeze({ rule: 'council-decision', citation: T.CITE.brussels2021, text: T.BRUSSELS_2021_CYBER }),
    notArmed('cyber'),
  ],
  space: [
    Object.freeze({ rule: 'council-decision', citation: T.CITE.brussels2021, text: T.BRUSSELS_2021_SPACE }),
    notArmed('space'),
  ],
  hybrid: [
    Object.freeze({ rule: 'council-decision', citation: T.CITE.washington13, text: T.WASHINGTON_2024_13 }),
    notArmed('hybrid'),
  ],
};
