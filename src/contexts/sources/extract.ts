/**
 * Extraction of one text: entities (people, organisations, places) with their mentions and the claims
 * attributed to them. Mentions of one entity are grouped within the text: a person named in full and later
 * by surname alone, or with a near-miss spelling of the surname, is one person; two people sharing a surname
 * stay two, and a bare surname goes to the one named most recently. Offsets are UTF-16 indices, end exclusive.
 */
import { findClaims, REPORTING_VERBS, type MentionIndex } from './claims.ts';
import { fold, nearMiss, words } from './fold.ts';
import type { EntityKind, Gazetteer } from './gazetteer.ts';
import { findMentions, spanOf, type RawMention } from './mentions.ts';
import { tokenize, type Token } from './tokens.ts';

export interface Mention {
  text: string;
  start: number;
  end: number;
}

export interface LocalEntity {
  kind: EntityKind;
  /** The fullest form seen. */
  name: string;
  /** Gazetteer key, when the gazetteer knows it. */
  key?: string;
  mentions: Mention[];
  /** Folded title words seen before the name ("deputy", "secretary", "general"). */
  roles: string[];
}

export interface LocalClaim {
  /** Index into `entities`, or null when no speaker was found. */
  speaker: number | null;
  text: string;
  start: number;
  end: number;
}

export interface Extraction {
  entities: LocalEntity[];
  claims: LocalClaim[];
}

export function extract(text: string, g: Gazetteer): Extraction {
  const { tokens, sentences } = tokenize(text);
  const raw = keepLikelyNames(tokens, findMentions(tokens, sentences, g));
  const cluster = clusterMentions(tokens, raw);
  const ix: MentionIndex = {
    startingAt: new Map(raw.map((m, k) => [m.from, k])),
    endingAt: new Map(raw.map((m, k) => [m.to, k])),
    list: raw,
  };
  const claims: LocalClaim[] = [];
  for (const c of findClaims(text, tokens, sentences, ix)) {
    let speaker: number | null = null;
    if (c.speaker?.mention === 'pronoun') speaker = lastPersonBefore(raw, cluster, tokens, c.start);
    else if (c.speaker) speaker = cluster[c.speaker.mention] ?? null;
    claims.push({ speaker, text: text.slice(c.start, c.end), start: c.start, end: c.end });
  }
  return { entities: buildEntities(text, tokens, raw, cluster, g), claims };
}

/** A lone unknown capitalised word is a name only when it speaks or was named before as someone's surname. */
function keepLikelyNames(tokens: readonly Token[], raw: RawMention[]): RawMention[] {
  const surnames: string[] = [];
  return raw.filter((m) => {
    if (m.roles[0] !== '?') {
      if (m.kind === 'person') {
        const w = words(fold(tokens[m.to - 1]!.text));
        if (w.length > 0) surnames.push(w[w.length - 1]!);
      }
      return true;
    }
    m.roles = [];
    const f = fold(tokens[m.from]!.text);
    const next = tokens[m.to] ? fold(tokens[m.to]!.text) : '';
    const prev = m.from > 0 ? fold(tokens[m.from - 1]!.text) : '';
    return REPORTING_VERBS.has(next) || REPORTING_VERBS.has(prev) || surnames.some((s) => nearMiss(s, f));
  });
}

/** Entity index of each mention. */
function clusterMentions(tokens: readonly Token[], raw: readonly RawMention[]): number[] {
  const out: number[] = [];
  const clusters: Array<{ kind: EntityKind; key?: string; folds: string[]; last: number }> = [];
  raw.forEach((m, k) => {
    const f = fold(
      tokens
        .slice(m.from, m.to)
        .map((t) => t.text)
        .join(' '),
    );
    const found = clusters.findIndex((c) => c.kind === m.kind && sameEntity(c, m.key, f));
    const best = found >= 0 && m.kind === 'person' ? mostRecentPerson(clusters, f) : found;
    if (best >= 0) {
      clusters[best]!.folds.push(f);
      clusters[best]!.last = k;
      out.push(best);
    } else {
      clusters.push({ kind: m.kind, key: m.key, folds: [f], last: k });
      out.push(clusters.length - 1);
    }
  });
  return out;
}

function sameEntity(c: { key?: string; folds: string[] }, key: string | undefined, f: string): boolean {
  if (key !== undefined || c.key !== undefined) return key === c.key;
  return c.folds.some((g) => g === f || samePerson(g, f) || isAcronymOf(f, g) || isAcronymOf(g, f));
}

/** Two folded person names agree: same surname (or a near miss) and compatible first names, or one is a surname alone. */
export function samePerson(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  if (wa.length === 0 || wb.length === 0) return false;
  if (!nearMiss(wa[wa.length - 1]!, wb[wb.length - 1]!)) return false;
  if (wa.length === 1 || wb.length === 1) return true;
  return firstNamesAgree(wa[0]!, wb[0]!);
}

export function firstNamesAgree(a: string, b: string): boolean {
  if (a.length === 1 || b.length === 1) return a[0] === b[0];
  return nearMiss(a, b);
}

function isAcronymOf(short: string, long: string): boolean {
  const w = words(long).filter((x) => !['of', 'for', 'and', 'the', 'on'].includes(x));
  return w.length >= 2 && !short.includes(' ') && short === w.map((x) => x[0]).join('');
}

/** Among person clusters matching f, the one mentioned last (a bare surname goes to the latest namesake). */
function mostRecentPerson(
  clusters: ReadonlyArray<{ kind: EntityKind; folds: string[]; last: number }>,
  f: string,
): number {
  let best = -1;
  clusters.forEach((c, i) => {
    if (c.kind !== 'person' || !c.folds.some((g) => g === f || samePerson(g, f))) return;
    if (best < 0 || c.last > clusters[best]!.last) best = i;
  });
  return best;
}

function lastPersonBefore(
  raw: readonly RawMention[],
  cluster: readonly number[],
  tokens: readonly Token[],
  at: number,
): number | null {
  let found: number | null = null;
  raw.forEach((m, k) => {
    if (m.kind === 'person' && tokens[m.from]!.start < at) found = cluster[k]!;
  });
  return found;
}

function buildEntities(
  text: string,
  tokens: readonly Token[],
  raw: readonly RawMention[],
  cluster: readonly number[],
  g: Gazetteer,
): LocalEntity[] {
  const entities: LocalEntity[] = [];
  raw.forEach((m, k) => {
    const { start, end } = spanOf(tokens, m);
    const mention = { text: text.slice(start, end), start, end };
    const e = (entities[cluster[k]!] ??= { kind: m.kind, name: mention.text, mentions: [], roles: [] });
    if (m.key !== undefined) e.key = m.key;
    e.mentions.push(mention);
    for (const r of m.roles) if (!e.roles.includes(r)) e.roles.push(r);
    if (words(fold(mention.text)).length > words(fold(e.name)).length) e.name = mention.text;
  });
  for (const e of entities) if (e.key !== undefined) e.name = g.byKey.get(e.key)?.name ?? e.name;
  return entities;
}
