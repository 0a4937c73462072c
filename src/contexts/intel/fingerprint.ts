/**
 * Narrative fingerprints: MinHash over word shingles, banded for locality-sensitive hashing.
 *
 * A claim is reduced to content words (lower-case, stop words dropped, each word cut to its first
 * STEM letters so that "vaccines"/"vaccinated" or "attacks"/"attacked" agree); its shingles are those
 * words and each pair of neighbouring words. MinHash with NUM_HASHES functions estimates the Jaccard
 * similarity of two shingle sets as the share of equal positions. LSH: BANDS bands of ROWS values;
 * two claims become candidates when any band is equal, so a lookup is BANDS indexed equality probes.
 * With 40×3, a pair of Jaccard 0.4 is a candidate with probability 0.93, a pair of 0.1 with 0.04.
 */
import { isWordChar } from './observable.ts';

export const NUM_HASHES = 120;
export const ROWS = 3;
export const BANDS = NUM_HASHES / ROWS;
export const STEM = 6;
/** Estimated Jaccard at or above which two narratives count as the same claim. */
export const NARRATIVE_THRESHOLD = 0.4;

const STOP = new Set(
  (
    'a an and are as at be been but by for from had has have he her his i in is it its of on or our she so that the their them ' +
    'they this to was we were which who will with you your not no do does did than then there these those into over about after ' +
    'also more most said says say just very can could would should may might all any been being because while'
  ).split(' '),
);

/** Content words of a text, stemmed by truncation; linear in the input. */
export function contentWords(text: string): string[] {
  const words: string[] = [];
  let cur = '';
  const flush = () => {
    if (cur !== '' && !STOP.has(cur)) words.push([...cur].slice(0, STEM).join(''));
    cur = '';
  };
  for (const ch of text.normalize('NFKC').toLowerCase()) {
    if (isWordChar(ch)) cur += ch;
    else if (ch !== "'" && ch !== '\u2019') flush();
  }
  flush();
  return words;
}

export function shingles(text: string): Set<string> {
  const w = contentWords(text);
  const out = new Set<string>(w);
  for (let i = 0; i + 1 < w.length; i++) out.add(`${w[i]} ${w[i + 1]}`);
  return out;
}

/** FNV-1a over UTF-16 code units, 32 bits. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit avalanche mix (murmur3 finaliser) of x under seed. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const SEEDS: number[] = Array.from({ length: NUM_HASHES }, (_, i) => mix(i + 1, 0x9e3779b9));

/** MinHash signature; undefined when the text has no content words. */
export function minhash(text: string): Uint32Array | undefined {
  const set = shingles(text);
  if (set.size === 0) return undefined;
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (const s of set) {
    const base = fnv1a(s);
    for (let i = 0; i < NUM_HASHES; i++) {
      const v = mix(base, SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** Share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < NUM_HASHES; i++) if (a[i] === b[i]) same++;
  return same / NUM_HASHES;
}

/** LSH band keys "band:hash" (one per band), the values indexed for candidate lookup. */
export function bandKeys(sig: Uint32Array): string[] {
  const out: string[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5;
    for (let r = 0; r < ROWS; r++) h = mix(sig[b * ROWS + r]!, h);
    out.push(`${b}:${h.toString(16).padStart(8, '0')}`);
  }
  return out;
}

export function encodeSignature(sig: Uint32Array): string {
  let s = '';
  for (const v of sig) s += v.toString(16).padStart(8, '0');
  return s;
}

/**
 * The signature `encodeSignature` wrote; undefined for anything else. Decoded through a Buffer: correlation decodes
 * the signatures of every candidate of every narrative report, and 120 `parseInt`s of slices each took 3 % of the
 * serving thread in a surge of one claim (bench/RESULTS.md).
 */
export function decodeSignature(hex: string): Uint32Array | undefined {
  if (hex.length !== NUM_HASHES * 8) return undefined;
  // Decoding stops at the first pair that is not hex, so anything else comes out short.
  const bytes = Buffer.from(hex, 'hex');
  if (bytes.length !== NUM_HASHES * 4) return undefined;
  const sig = new Uint32Array(NUM_HASHES);
  for (let i = 0; i < NUM_HASHES; i++) sig[i] = bytes.readUInt32BE(i * 4);
  return sig;
}
