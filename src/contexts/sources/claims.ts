/**
 * Attributed claims: a sentence with a reporting verb ("said", "warned", "pointed to", "according to")
 * is a claim of the speaker next to the verb: a named person or organisation, or a pronoun that stands for
 * the last person who was named. The claim's text is the quotation in the sentence, else the reported
 * clause ("… said that X" → X, "X, Geoana said." → X).
 */
import { fold } from './fold.ts';
import type { Sentence, Token } from './tokens.ts';

export const REPORTING_VERBS = new Set(
  (
    'said says say stressed stresses warned warns denied denies added adds told tells stated states noted notes ' +
    'claimed claims insisted insists argued argues announced announces acknowledged acknowledges confirmed confirms ' +
    'rejected rejects accused accuses emphasised emphasized emphasises emphasizes underlined underlines explained ' +
    'explains declared declares asserted asserts maintained maintains reiterated reiterates urged urges alleged ' +
    'alleges wrote writes replied replies commented comments'
  ).split(' '),
);
/** Two-word reporting verbs: "pointed to", "pointed out". */
const PHRASAL: Record<string, string[]> = { pointed: ['to', 'out'], points: ['to', 'out'] };
const PRONOUNS = new Set(['he', 'she']);
const SKIPPABLE = new Set(['also', 'again', 'later', 'repeatedly', 'once', 'further', 'then', 'has', 'had', 'have']);

export interface SpeakerRef {
  /** Index of the mention that speaks, or 'pronoun' (the last person named before it). */
  mention: number | 'pronoun';
}

export interface ClaimSpan {
  speaker: SpeakerRef | null;
  start: number;
  end: number;
}

/** Where each mention starts and ends, by token index, for speaker lookup. */
export interface MentionIndex {
  startingAt: Map<number, number>;
  endingAt: Map<number, number>;
  /** Mention indexes in token order, with their token ranges and kinds. */
  list: ReadonlyArray<{ from: number; to: number; kind: string }>;
}

export function findClaims(
  text: string,
  tokens: readonly Token[],
  sentences: readonly Sentence[],
  ix: MentionIndex,
): ClaimSpan[] {
  const out: ClaimSpan[] = [];
  for (const s of sentences) {
    const v = verbIn(tokens, s);
    if (!v) continue;
    const speaker = speakerOf(tokens, s, v, ix);
    const span = claimText(text, tokens, s, v, speaker, ix);
    if (span && span.end > span.start) out.push({ speaker: speaker?.ref ?? null, ...span });
  }
  return out;
}

interface Verb {
  /** Token range of the verb [from, to); for "according to" the phrase. */
  from: number;
  to: number;
  according: boolean;
}

function verbIn(tokens: readonly Token[], s: Sentence): Verb | undefined {
  for (let i = s.from; i < s.to; i++) {
    const f = fold(tokens[i]!.text);
    const next = i + 1 < s.to ? fold(tokens[i + 1]!.text) : '';
    if (f === 'according' && next === 'to') return { from: i, to: i + 2, according: true };
    if (REPORTING_VERBS.has(f)) return { from: i, to: i + 1, according: false };
    if (PHRASAL[f]?.includes(next)) return { from: i, to: i + 2, according: false };
  }
  return undefined;
}

function speakerOf(
  tokens: readonly Token[],
  s: Sentence,
  v: Verb,
  ix: MentionIndex,
): { ref: SpeakerRef; from: number; to: number } | undefined {
  const speaking = (m: number) => ix.list[m]!.kind !== 'place';
  if (v.according) {
    for (let a = v.to; a < Math.min(s.to, v.to + 5); a++) {
      const m = ix.startingAt.get(a);
      if (m !== undefined) return speaking(m) ? { ref: { mention: m }, ...ix.list[m]! } : undefined;
    }
    return undefined;
  }
  // Subject just before the verb: "Geoana stressed", "He also warned".
  let b = v.from - 1;
  while (b >= s.from && SKIPPABLE.has(fold(tokens[b]!.text))) b--;
  if (b >= s.from) {
    const m = ix.endingAt.get(b + 1);
    if (m !== undefined && speaking(m)) return { ref: { mention: m }, ...ix.list[m]! };
    if (PRONOUNS.has(fold(tokens[b]!.text))) return { ref: { mention: 'pronoun' }, from: b, to: b + 1 };
  }
  // Inverted: "said Geoana", "said NATO's spokesperson Oana Lungescu", "said he".
  for (let a = v.to; a < Math.min(s.to, v.to + 5); a++) {
    const m = ix.startingAt.get(a);
    if (m !== undefined && speaking(m)) return { ref: { mention: m }, ...ix.list[m]! };
    if (a === v.to && PRONOUNS.has(fold(tokens[a]!.text))) return { ref: { mention: 'pronoun' }, from: a, to: a + 1 };
  }
  // "Geoana, speaking in Vilnius, warned": the first person or organisation of the sentence before the verb.
  for (const [k, m] of ix.list.entries())
    if (m.from >= s.from && m.to <= v.from && speaking(k) && m.kind === 'person') return { ref: { mention: k }, ...m };
  return undefined;
}

const OPEN = ['"', '\u201c', '\u00ab', '\u201e'];
const CLOSE: Record<string, string[]> = {
  '"': ['"'],
  '\u201c': ['\u201d'],
  '\u00ab': ['\u00bb'],
  '\u201e': ['\u201c', '\u201d'],
};

function claimText(
  text: string,
  tokens: readonly Token[],
  s: Sentence,
  v: Verb,
  speaker: { from: number; to: number } | undefined,
  _ix: MentionIndex,
): { start: number; end: number } | undefined {
  const quote = quotation(text, Math.max(0, s.start - 2), Math.min(text.length, s.end + 2));
  if (quote) return quote;
  const afterVerb = Math.max(v.to, speaker && speaker.from >= v.to ? speaker.to : v.to);
  let a = afterVerb;
  // "said on Tuesday that X": the clause after "that", when it comes within a few words.
  for (let k = a; k < Math.min(s.to, afterVerb + 5); k++)
    if (fold(tokens[k]!.text) === 'that') {
      a = k + 1;
      break;
    }
  if (s.to - a >= 3) return trim(text, tokens[a]!.start, tokens[s.to - 1]!.end);
  // Reported clause before the speaker: "Troops will not be sent, Geoana said."
  const before = speaker && speaker.from < v.from ? speaker.from : v.from;
  if (before - s.from >= 3) return trim(text, tokens[s.from]!.start, tokens[before - 1]!.end);
  return undefined;
}

/** The first quotation inside [from, to): its inner text. Linear scan, no regular expression. */
function quotation(text: string, from: number, to: number): { start: number; end: number } | undefined {
  for (let i = from; i < to; i++) {
    const closers = CLOSE[text[i]!];
    if (!OPEN.includes(text[i]!) || !closers) continue;
    for (let j = i + 1; j < to; j++)
      if (closers.includes(text[j]!)) return j - i > 3 ? trim(text, i + 1, j) : undefined;
  }
  return undefined;
}

/** Cuts spaces and trailing commas or full stops from both ends. */
function trim(text: string, start: number, end: number): { start: number; end: number } {
  const junk = (c: string | undefined) => c !== undefined && ' \t\n\r,.;:'.includes(c);
  while (start < end && junk(text[start])) start++;
  while (end > start && junk(text[end - 1])) end--;
  return { start, end };
}
