/**
 * Gazetteers: organisations, states and cities the project ships, matched as phrases of tokens.
 * A listed word written with a capital must be capitalised in the text too ("the Alliance" is the
 * alliance, "an alliance" is not); a leading "the" is required context but stays out of the mention.
 */
import { fold } from './fold.ts';
import { isCapitalised, type Token } from './tokens.ts';

export type EntityKind = 'person' | 'organisation' | 'place';

export interface GazetteerEntry {
  /** Stable key: `org:NATO`, `country:PL`, `city:756135`. */
  key: string;
  kind: 'organisation' | 'place';
  /** The preferred name. */
  name: string;
  /** Every name it goes by (the preferred one included). */
  names: string[];
  /** ISO 3166 alpha-2 code of a state, or of the state a city lies in. */
  country?: string;
}

interface Phrase {
  entry: GazetteerEntry;
  /** Which words must be capitalised in the text. */
  caps: boolean[];
  /** The phrase starts with a required "the" that is not part of the mention. */
  the: boolean;
}

export interface Gazetteer {
  phrases: Map<string, Phrase>;
  byKey: Map<string, GazetteerEntry>;
  maxWords: number;
}

/** Indexes entries by folded name; an earlier entry keeps a name that a later one also lists. */
export function buildGazetteer(entries: readonly GazetteerEntry[]): Gazetteer {
  const phrases = new Map<string, Phrase>();
  const byKey = new Map<string, GazetteerEntry>();
  let maxWords = 1;
  for (const entry of entries) {
    if (!byKey.has(entry.key)) byKey.set(entry.key, entry);
    for (const name of entry.names) {
      const the = /^the /i.test(name);
      const listed = (the ? name.slice(4) : name).split(/\s+/).filter((w) => w !== '');
      const key = (the ? 'the ' : '') + fold(listed.join(' '));
      if (key === '' || key === 'the ' || phrases.has(key)) continue;
      phrases.set(key, { entry, caps: listed.map((w) => isCapitalised(w)), the });
      maxWords = Math.max(maxWords, listed.length);
    }
  }
  return { phrases, byKey, maxWords };
}

export interface GazetteerHit {
  entry: GazetteerEntry;
  /** Token range [from, to). */
  from: number;
  to: number;
}

/**
 * The longest phrase starting at token i (within one sentence, no punctuation inside), if any.
 * Bounded: at most `maxWords` folds joined per start.
 */
export function matchAt(g: Gazetteer, tokens: readonly Token[], i: number): GazetteerHit | undefined {
  const first = tokens[i]!;
  if (!isCapitalised(first.text)) return undefined;
  const afterThe = i > 0 && /^the$/i.test(tokens[i - 1]!.text) && tokens[i - 1]!.sentence === first.sentence;
  let key = '';
  const parts: Token[] = [];
  let best: GazetteerHit | undefined;
  for (let j = i; j < tokens.length && j < i + g.maxWords; j++) {
    const t = tokens[j]!;
    if (t.sentence !== first.sentence) break;
    if (j > i && !joins(tokens[j - 1]!.post)) break;
    const f = fold(t.text);
    if (f === '') break;
    key = key === '' ? f : `${key} ${f}`;
    parts.push(t);
    const candidates = afterThe ? [`the ${key}`, key] : [key];
    for (const k of candidates) {
      const p = g.phrases.get(k);
      if (p && capsAgree(p, parts)) {
        best = { entry: p.entry, from: i, to: j + 1 };
        break;
      }
    }
  }
  return best;
}

/** What may stand between two words of one name: spaces, or a hyphen ("Co-operation"). */
export function joins(post: string): boolean {
  return post === '-' || /^\s*$/.test(post);
}

function capsAgree(p: Phrase, parts: readonly Token[]): boolean {
  // Folding may merge or split words ("U.S." is one token, "u s" two words): compare capitals word by word
  // only when the counts agree, else the first word alone.
  if (p.caps.length !== parts.length) return isCapitalised(parts[0]!.text) || !p.caps[0];
  return p.caps.every((cap, k) => !cap || isCapitalised(parts[k]!.text));
}
