/**
 * Resolution across documents: an entity found in a new text is compared with stored entities that share a
 * candidate key (gazetteer key, folded name, Double Metaphone key of a surname). Scores are in [0, 1] with the
 * evidence that produced them. At or above AUTO_MERGE, and clearly ahead of any other candidate, the new
 * mentions join the stored entity (a `same-as` link keeping score and evidence); between REVIEW and AUTO_MERGE,
 * or when two candidates are close, a new entity is made and the pair goes to the review queue. Two people
 * whose first names differ are never candidates of each other.
 */
import { fold, phoneticKeys, similarity, words } from './fold.ts';
import { firstNamesAgree } from './extract.ts';
import type { EntityKind } from './gazetteer.ts';
import { nearMiss } from './fold.ts';

export const AUTO_MERGE = 0.85;
export const REVIEW = 0.6;
/** Roles too common to count as shared context. */
const GENERIC_ROLES = new Set(['mr', 'mrs', 'ms', 'miss', 'dr', 'sir']);

export interface Profile {
  kind: EntityKind;
  key?: string | undefined;
  /** Folded aliases. */
  folds: string[];
  roles: string[];
  /** Gazetteer keys of organisations named in the same texts. */
  orgs: string[];
}

export interface Scored {
  score: number;
  evidence: string[];
}

/** Candidate keys stored for an entity and looked up for a new one. */
export function candidateKeys(p: Pick<Profile, 'kind' | 'key' | 'folds'>): string[] {
  const keys = new Set<string>();
  if (p.key !== undefined) keys.add(`g:${p.key}`);
  for (const f of p.folds) {
    if (f === '') continue;
    keys.add(`f:${p.kind}:${f}`);
    const w = words(f);
    if (p.kind === 'person') for (const k of phoneticKeys(w[w.length - 1]!)) keys.add(`dm:${k}`);
  }
  return [...keys];
}

export function score(a: Profile, b: Profile): Scored {
  if (a.kind !== b.kind) return { score: 0, evidence: ['different kinds'] };
  if (a.key !== undefined && a.key === b.key) return { score: 1, evidence: [`same gazetteer entry ${a.key}`] };
  if (a.key !== undefined && b.key !== undefined) return { score: 0, evidence: ['different gazetteer entries'] };
  if (a.kind !== 'person') {
    const same = a.folds.find((f) => b.folds.includes(f));
    return same ? { score: 0.95, evidence: [`same name "${same}"`] } : { score: 0, evidence: [] };
  }
  return personScore(a, b);
}

function personScore(a: Profile, b: Profile): Scored {
  let best: Scored = { score: 0, evidence: [] };
  for (const x of a.folds)
    for (const y of b.folds) {
      const s = namePair(x, y);
      if (s.score < 0) return { score: 0, evidence: s.evidence };
      if (s.score > best.score) best = s;
    }
  if (best.score === 0) return best;
  const evidence = [...best.evidence];
  let bonus = 0;
  const role = a.roles.find((r) => !GENERIC_ROLES.has(r) && b.roles.includes(r));
  if (role) {
    bonus += 0.1;
    evidence.push(`same role word "${role}"`);
  }
  const org = a.orgs.find((o) => b.orgs.includes(o));
  if (org) {
    bonus += 0.1;
    evidence.push(`co-mentioned ${org}`);
  }
  return { score: best.score >= 1 ? 1 : Math.min(0.99, best.score + bonus), evidence };
}

/** Score of two folded names; negative when they name two different people (same surname, other first name). */
function namePair(x: string, y: string): Scored {
  if (x === y) return { score: words(x).length >= 2 ? 1 : 0.7, evidence: [`same name "${x}"`] };
  const wx = words(x);
  const wy = words(y);
  const sx = wx[wx.length - 1]!;
  const sy = wy[wy.length - 1]!;
  if (!nearMiss(sx, sy)) return { score: 0, evidence: [] };
  const sim = similarity(sx, sy);
  const surname = sx === sy ? `same surname "${sx}"` : `surname "${sx}" ~ "${sy}" (Jaro-Winkler ${sim.toFixed(2)})`;
  if (wx.length >= 2 && wy.length >= 2) {
    if (!firstNamesAgree(wx[0]!, wy[0]!))
      return { score: -1, evidence: [`different first names "${wx[0]}" / "${wy[0]}"`] };
    return { score: 0.8 + 0.2 * similarity(x, y), evidence: [surname, `first name "${wx[0]}" ~ "${wy[0]}"`] };
  }
  return { score: 0.55 + 0.15 * sim, evidence: [surname, 'one of them is a surname alone'] };
}

export type Decision =
  | { kind: 'merge'; into: string; score: number; evidence: string[] }
  | { kind: 'new'; review: Array<{ other: string; score: number; evidence: string[] }> };

/** What to do with a new entity given scored candidates. */
export function decide(candidates: ReadonlyArray<{ id: string } & Scored>): Decision {
  const ranked = [...candidates]
    .filter((c) => c.score >= REVIEW)
    .sort((p, q) => q.score - p.score || p.id.localeCompare(q.id));
  const [first, second] = ranked;
  if (first && first.score >= AUTO_MERGE && (!second || first.score - second.score >= 0.15))
    return { kind: 'merge', into: first.id, score: first.score, evidence: first.evidence };
  return {
    kind: 'new',
    review: ranked.slice(0, 5).map((c) => ({ other: c.id, score: c.score, evidence: c.evidence })),
  };
}

/** The profile of an extracted entity. */
export function profileOf(
  e: { kind: EntityKind; key?: string; mentions: Array<{ text: string }>; roles: string[] },
  orgs: string[],
): Profile {
  const folds = [...new Set(e.mentions.map((m) => fold(m.text)).filter((f) => f !== ''))];
  return { kind: e.kind, key: e.key, folds, roles: e.roles, orgs };
}
