/**
 * Finding names in a tokenized text: gazetteer phrases first (organisations, states, cities), then runs of
 * capitalised words, whose leading titles ("Deputy Secretary General") are kept as role words and whose
 * remaining words are classified as a person, an organisation or a place.
 */
import { fold } from './fold.ts';
import { joins, matchAt, type EntityKind, type Gazetteer } from './gazetteer.ts';
import {
  isAllCaps,
  isCapitalised,
  isCommonWord,
  isFirstName,
  isPlaceWord,
  type Sentence,
  type Token,
} from './tokens.ts';

export interface RawMention {
  kind: EntityKind;
  /** Token range [from, to). */
  from: number;
  to: number;
  /** Gazetteer key, when a gazetteer named it. */
  key?: string;
  /** Folded title words written before a person's name. */
  roles: string[];
}

export const TITLES = new Set(
  (
    'mr mrs ms miss dr prof president vice prime minister ministers secretary deputy general spokesperson spokesman ' +
    'spokeswoman ambassador chancellor foreign defence defense interior chief commander admiral lieutenant colonel ' +
    'senator governor mayor director head king queen prince sir lord envoy commissioner chair chairman chairwoman ' +
    'representative undersecretary assistant high state supreme allied sergeant officer premier speaker'
  ).split(' '),
);

const ORG_HEADS = new Set(
  (
    'ministry agency council committee office service services union organisation organization alliance bank group ' +
    'army navy forces force command parliament government institute centre center university news press party ' +
    'commission assembly authority directorate department court fund foundation corporation company inc ltd ' +
    'kremlin pentagon embassy cabinet guard police'
  ).split(' '),
);

/** Connecting words allowed inside an organisation's name ("Ministry of Foreign Affairs"). */
const ORG_CONNECTORS = new Set(['of', 'for', 'on', 'the']);
/** Name particles inside a person's name ("Ursula von der Leyen"). */
const PARTICLES = new Set(['von', 'van', 'der', 'den', 'de', 'da', 'di', 'la', 'le', 'du', 'al', 'bin', 'ibn']);

export function findMentions(tokens: readonly Token[], sentences: readonly Sentence[], g: Gazetteer): RawMention[] {
  const out: RawMention[] = [];
  for (const s of sentences) {
    let i = s.from;
    while (i < s.to) {
      const hit = matchAt(g, tokens, i);
      if (hit) {
        out.push({ kind: hit.entry.kind, from: hit.from, to: hit.to, key: hit.entry.key, roles: [] });
        i = hit.to;
        continue;
      }
      if (!isCapitalised(tokens[i]!.text)) {
        i++;
        continue;
      }
      const end = runEnd(tokens, i, s.to, g);
      const m = classify(tokens, s, i, end);
      if (m) out.push(m);
      i = end;
    }
  }
  return out;
}

/** End of a run of capitalised words starting at i: no punctuation inside, connectors only before a capital. */
function runEnd(tokens: readonly Token[], i: number, limit: number, g: Gazetteer): number {
  let j = i + 1;
  while (j < limit && j - i < 8) {
    if (!joins(tokens[j - 1]!.post) || tokens[j]!.pre !== '') break;
    const t = tokens[j]!;
    const f = t.text.toLowerCase();
    if (isCapitalised(t.text)) {
      if (matchAt(g, tokens, j)) break;
      j++;
      continue;
    }
    const next = tokens[j + 1];
    if ((ORG_CONNECTORS.has(f) || PARTICLES.has(f)) && next && isCapitalised(next.text) && /^\s*$/.test(t.post)) {
      j += 2;
      continue;
    }
    break;
  }
  return Math.min(j, limit);
}

function classify(tokens: readonly Token[], s: Sentence, from: number, to: number): RawMention | undefined {
  const words = tokens.slice(from, to).map((t) => t.text);
  const folded = words.map((w) => fold(w));
  // A sentence's first word is capitalised anyway: drop it when it is an ordinary word ("The", "Officials").
  let a = 0;
  if (from === s.from && isCommonWord(words[0]!) && !TITLES.has(folded[0]!)) a = 1;
  const roles: string[] = [];
  const isOrg = folded.slice(a).some((w) => ORG_HEADS.has(w)) && !folded.slice(a).every((w) => TITLES.has(w));
  if (!isOrg) while (a < words.length && TITLES.has(folded[a]!)) roles.push(folded[a++]!);
  if (a >= words.length) return undefined;
  const name = words.slice(a);
  const start = from + a;
  if (isOrg) return { kind: 'organisation', from: start, to, roles: [] };
  const mention = (kind: EntityKind): RawMention => ({ kind, from: start, to, roles });
  if (roles.length > 0) return mention('person');
  if (name.length === 1) {
    const w = name[0]!;
    if (isPlaceWord(w)) return mention('place');
    if (isAllCaps(w) && w.length <= 6) return mention('organisation');
    if (isCommonWord(w) || isFirstName(w)) return undefined;
    // An unknown single capitalised word: a surname when it speaks or is spoken of (decided by the caller).
    return { kind: 'person', from: start, to, roles: ['?'] };
  }
  if (name.every((w) => isPlaceWord(w))) return mention('place');
  if (name.length <= 4 && isFirstName(name[0]!)) return mention('person');
  const plain = name.filter((w) => !PARTICLES.has(w.toLowerCase()));
  if (name.length <= 4 && plain.every((w) => !isCommonWord(w) && !isAllCaps(w))) return mention('person');
  return undefined;
}

/** The tokens of a mention as written in the text (start of its first to end of its last token). */
export function spanOf(tokens: readonly Token[], m: { from: number; to: number }): { start: number; end: number } {
  return { start: tokens[m.from]!.start, end: tokens[m.to - 1]!.end };
}
