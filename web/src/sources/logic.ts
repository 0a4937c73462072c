import {
  CREDIBILITY_TEXT,
  RELIABILITY_TEXT,
  type Credibility,
  type Reliability,
} from '../../../src/contexts/sources/sources.schema.ts';
/**
 * Pure helpers of the Sources tab: the reader's highlighted segments, and resolution scores and evidence
 * told in plain words.
 */

export interface Span {
  start: number;
  end: number;
}

export interface Segment {
  start: number;
  end: number;
  text: string;
  /** Index of the entity one of whose mentions covers the segment. */
  entity?: number;
  /** Index of the claim whose span covers the segment. */
  claim?: number;
}

/**
 * Cuts `text` at every mention and claim boundary (UTF-16 offsets, end exclusive) so that each segment is
 * covered by at most one entity mention and one claim (the first listed wins an overlap). Spans outside the
 * text are clipped; O(n log n) in the spans.
 */
export function segmentsOf(
  text: string,
  entities: ReadonlyArray<{ mentions: readonly Span[] }>,
  claims: readonly Span[],
): Segment[] {
  const clip = (n: number): number => Math.max(0, Math.min(text.length, n));
  const cuts = new Set<number>([0, text.length]);
  const mentions: Array<Span & { k: number }> = [];
  entities.forEach((e, k) => {
    for (const m of e.mentions)
      if (clip(m.end) > clip(m.start)) mentions.push({ start: clip(m.start), end: clip(m.end), k });
  });
  const cl = claims.map((c, k) => ({ start: clip(c.start), end: clip(c.end), k })).filter((c) => c.end > c.start);
  for (const s of [...mentions, ...cl]) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const cover = (spans: ReadonlyArray<Span & { k: number }>): Array<number | undefined> => {
    // sweep: for each elementary interval, the first span (lowest index) that covers it
    const sorted = [...spans].sort((a, b) => a.start - b.start || a.k - b.k);
    const out: Array<number | undefined> = [];
    let j = 0;
    const open: Array<Span & { k: number }> = [];
    for (let i = 0; i + 1 < points.length; i++) {
      const from = points[i]!;
      while (j < sorted.length && sorted[j]!.start <= from) open.push(sorted[j++]!);
      for (let x = open.length - 1; x >= 0; x--) if (open[x]!.end <= from) open.splice(x, 1);
      out.push(open.length === 0 ? undefined : Math.min(...open.map((s) => s.k)));
    }
    return out;
  };
  const byMention = cover(mentions);
  const byClaim = cover(cl);
  const segs: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const seg: Segment = { start, end, text: text.slice(start, end) };
    if (byMention[i] !== undefined) seg.entity = byMention[i]!;
    if (byClaim[i] !== undefined) seg.claim = byClaim[i]!;
    segs.push(seg);
  }
  return segs;
}

/** Thresholds of the resolution (docs/sources.md): at 0.85 a match joins by itself, from 0.6 it is proposed. */
export const AUTO_MERGE = 0.85;
export const REVIEW = 0.6;

/** A score in words, with the number as a percentage. */
export function describeScore(score: number): string {
  const pct = `${Math.round(score * 100)} %`;
  if (score >= 1) return `certain match (${pct})`;
  if (score >= AUTO_MERGE) return `strong match (${pct}): joined automatically from 85 %`;
  if (score >= REVIEW) return `possible match (${pct}): below 85 %, so an analyst decides`;
  return `weak match (${pct})`;
}

const REPHRASE: ReadonlyArray<[RegExp, (m: RegExpMatchArray) => string]> = [
  [/^same surname "(.+)"$/, (m) => `the same surname, "${m[1]}"`],
  [
    /^surname "(.+)" ~ "(.+)" \(Jaro-Winkler ([\d.]+)\)$/,
    (m) => `the surnames "${m[1]}" and "${m[2]}" are spelled alike (${Math.round(Number(m[3]) * 100)} % similar)`,
  ],
  [/^first name "(.+)" ~ "(.+)"$/, (m) => `the first names agree ("${m[1]}" and "${m[2]}")`],
  [
    /^one of them is a surname alone$/,
    () => 'one of them is named by surname alone, so it may be someone else of that name',
  ],
  [/^same role word "(.+)"$/, (m) => `both are called "${m[1]}"`],
  [/^co-mentioned (.+)$/, (m) => `both are named beside ${m[1]}`],
  [/^same gazetteer entry (.+)$/, (m) => `the same entry of the list of known names (${m[1]})`],
  [/^same name "(.+)"$/, (m) => `written the same way ("${m[1]}")`],
  [/^different first names "(.+)" \/ "(.+)"$/, (m) => `different first names ("${m[1]}" and "${m[2]}")`],
];

/** One piece of resolution evidence as a sentence fragment; unknown forms are shown as they are. */
export function describeEvidence(e: string): string {
  for (const [re, say] of REPHRASE) {
    const m = e.match(re);
    if (m) return say(m);
  }
  return e;
}

/** The kind of an entity id or a document id, to route `#/sources/<id>`. */
export function kindOfId(id: string | undefined): 'document' | 'entity' | 'review' | 'feeds' | 'list' {
  if (!id) return 'list';
  if (id === 'review') return 'review';
  if (id === 'feeds') return 'feeds';
  if (id.startsWith('report--')) return 'document';
  return 'entity';
}

/** `2026-12-03` of an ISO time (or `—`). */
export function isoDay(t: string | null | undefined): string {
  return t && /^\d{4}-\d{2}-\d{2}/.test(t) ? t.slice(0, 10) : '—';
}

/** "B2" in words: "B2: usually reliable source; information probably true". */
export function describeGrade(g: string): string {
  const r = RELIABILITY_TEXT[g[0] as Reliability];
  const c = CREDIBILITY_TEXT[Number(g.slice(1)) as Credibility];
  return r && c ? `${g}: source ${r}; information ${c}` : g;
}

/** Up to `width` characters either side of a span, with the span itself apart (a mention in its context). */
export function contextOf(text: string, s: Span, width = 50): { before: string; match: string; after: string } {
  const from = Math.max(0, s.start - width);
  const to = Math.min(text.length, s.end + width);
  return {
    before: (from > 0 ? '…' : '') + text.slice(from, s.start),
    match: text.slice(s.start, s.end),
    after: text.slice(s.end, to) + (to < text.length ? '…' : ''),
  };
}
