/**
 * Tokens and sentences of a text, from compromise's tokenizer, with UTF-16 offsets into the text, and the
 * word classes of compromise's English lexicon (first names, titles, places, common words).
 */
import nlp from 'compromise';

export interface Token {
  /** The word as written. */
  text: string;
  start: number;
  /** Exclusive. */
  end: number;
  sentence: number;
  /** Punctuation and spaces before and after the word, as compromise split them. */
  pre: string;
  post: string;
}

export interface Sentence {
  start: number;
  end: number;
  /** Index of its first token and one past its last. */
  from: number;
  to: number;
}

interface TermJson {
  text: string;
  pre: string;
  post: string;
  offset: { start: number; length: number };
}

/** Splits a text; tokens whose offsets do not point at their own text are left out (never wrong offsets). */
export function tokenize(text: string): { tokens: Token[]; sentences: Sentence[] } {
  const json = nlp.tokenize(text).json({ offset: true, terms: { offset: true } }) as Array<{ terms: TermJson[] }>;
  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  for (const s of json) {
    const from = tokens.length;
    for (const t of s.terms) {
      const start = t.offset.start;
      const end = start + t.offset.length;
      if (t.text === '' || text.slice(start, end) !== t.text) continue;
      tokens.push({ text: t.text, start, end, sentence: sentences.length, pre: t.pre, post: t.post });
    }
    if (tokens.length > from)
      sentences.push({ start: tokens[from]!.start, end: tokens[tokens.length - 1]!.end, from, to: tokens.length });
  }
  return { tokens, sentences };
}

const lexicon: Record<string, unknown> = (() => {
  const model = nlp.model() as { one?: { lexicon?: Record<string, unknown> } };
  return model.one?.lexicon ?? {};
})();

/** compromise's lexicon class of a lower-case word (e.g. `MaleName`, `Country`, `PastTense`), if it knows it. */
export function lexTag(word: string): string | undefined {
  const tag = lexicon[word.toLowerCase()];
  if (typeof tag === 'string') return tag;
  if (Array.isArray(tag) && typeof tag[0] === 'string') return tag[0];
  return undefined;
}

const NAME_TAGS = new Set(['MaleName', 'FemaleName', 'FirstName', 'LastName', 'Honorific']);
const PLACE_TAGS = new Set(['Country', 'City', 'Place', 'Region', 'Continent']);

export function isFirstName(word: string): boolean {
  const t = lexTag(word);
  return t === 'MaleName' || t === 'FemaleName' || t === 'FirstName';
}

export function isPlaceWord(word: string): boolean {
  return PLACE_TAGS.has(lexTag(word) ?? '');
}

/** A word compromise knows as an ordinary word (not a name, place or organisation): "The", "Tuesday", "Police". */
export function isCommonWord(word: string): boolean {
  const t = lexTag(word);
  return t !== undefined && !NAME_TAGS.has(t) && !PLACE_TAGS.has(t) && t !== 'Organization';
}

/** Starts with a capital letter (any script). */
export function isCapitalised(word: string): boolean {
  const c = word.codePointAt(0);
  if (c === undefined) return false;
  const ch = String.fromCodePoint(c);
  return ch !== ch.toLowerCase() && ch === ch.toUpperCase();
}

/** Written in capitals throughout, at least two letters ("NATO", "OSCE"). */
export function isAllCaps(word: string): boolean {
  let letters = 0;
  for (const ch of word) {
    if (ch.toLowerCase() === ch.toUpperCase()) continue;
    if (ch !== ch.toUpperCase()) return false;
    letters++;
  }
  return letters >= 2;
}
