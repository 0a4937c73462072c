/**
 * Name folding and comparison for entity resolution: folded forms (case, diacritics and script folded by
 * any-ascii), Double Metaphone keys for phonetic candidates, and Jaro-Winkler similarity.
 */
import anyAscii from 'any-ascii';
import { doubleMetaphone } from 'double-metaphone';
import jaroWinkler from 'talisman/metrics/jaro-winkler.js';

/** Longest name folded; longer input is cut (names are short; this bounds every later step). */
export const MAX_NAME = 200;

/**
 * Folded form of a name: transliterated to ASCII, lower case, possessive `'s` dropped, every run of
 * other characters one space, trimmed. Idempotent: fold(fold(x)) === fold(x).
 */
export function fold(name: string): string {
  const ascii = anyAscii(name.slice(0, MAX_NAME)).toLowerCase();
  let out = '';
  let gap = false;
  for (let i = 0; i < ascii.length; i++) {
    const c = ascii[i]!;
    const word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (c === "'" && ascii[i + 1] === 's' && !isAlnum(ascii[i + 2])) {
      i++;
      continue;
    }
    if (c === "'") continue; // O'Brien, and the soft sign any-ascii writes as an apostrophe
    if (word) {
      if (gap && out !== '') out += ' ';
      out += c;
      gap = false;
    } else gap = true;
  }
  return out;
}

function isAlnum(c: string | undefined): boolean {
  return c !== undefined && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
}

/** The words of a folded name. */
export function words(folded: string): string[] {
  return folded === '' ? [] : folded.split(' ');
}

/** Both Double Metaphone keys of a word (deduplicated, empty keys dropped). */
export function phoneticKeys(word: string): string[] {
  const [a, b] = doubleMetaphone(word);
  return [...new Set([a, b])].filter((k) => k !== '');
}

/** Jaro-Winkler similarity in [0, 1]. */
export function similarity(a: string, b: string): number {
  if (a === b) return 1;
  if (a === '' || b === '') return 0;
  return jaroWinkler(a, b);
}

/** Two words sound alike: a Double Metaphone key in common. */
export function soundAlike(a: string, b: string): boolean {
  const ka = phoneticKeys(a);
  return phoneticKeys(b).some((k) => ka.includes(k));
}

/** A near-miss spelling of the same word: alike in sound and spelling, or one letter apart in a long word. */
export function nearMiss(a: string, b: string): boolean {
  if (a === b) return true;
  if (Math.min(a.length, b.length) < 4) return false;
  const s = similarity(a, b);
  return s >= 0.93 || (s >= 0.85 && soundAlike(a, b));
}
