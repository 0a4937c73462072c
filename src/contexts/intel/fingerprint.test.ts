import { describe, expect, it } from 'vitest';
import { bandKeys, decodeSignature, encodeSignature, minhash, NARRATIVE_THRESHOLD, similarity } from './fingerprint.ts';

const claim = 'NATO troops are secretly preparing to seize the Suwałki gap and block Lithuanian grain transit';
const reworded = [
  'NATO troops secretly prepare to seize the Suwałki gap, blocking grain transit through Lithuania',
  'Secret plan: alliance troops preparing to seize Suwalki gap and block Lithuanian grain transit',
];
const unrelated = [
  'Electricity prices in Romania will triple this winter because of EU sanctions',
  'Finnish border guards are pushing migrants back into the forest at night',
];
const sig = (t: string) => minhash(t)!;

describe('narrative fingerprints', () => {
  it('a reworded copy of the same claim matches and shares an LSH band', () => {
    for (const r of reworded) {
      expect(similarity(sig(claim), sig(r))).toBeGreaterThanOrEqual(NARRATIVE_THRESHOLD);
      const a = new Set(bandKeys(sig(claim)));
      expect(bandKeys(sig(r)).some((k) => a.has(k))).toBe(true);
    }
  });
  it('an unrelated claim does not match', () => {
    for (const u of unrelated) expect(similarity(sig(claim), sig(u))).toBeLessThan(0.15);
  });
  it('is deterministic, case- and punctuation-insensitive, and round-trips its encoding', () => {
    expect(similarity(sig(claim), sig(claim.toUpperCase().replaceAll(' ', ' ,  ')))).toBe(1);
    expect(decodeSignature(encodeSignature(sig(claim)))).toEqual(sig(claim));
    expect(minhash('the and of')).toBeUndefined();
    expect(decodeSignature('zz')).toBeUndefined();
    // Of the right length, but not all hex: a letter past f, a sign, a 0x prefix, a space.
    const good = encodeSignature(sig(claim));
    for (const bad of ['g', '+', 'x', ' '])
      expect(decodeSignature(`${good.slice(0, 400)}${bad}${good.slice(401)}`)).toBeUndefined();
    expect(decodeSignature(good.toUpperCase())).toEqual(sig(claim));
  });
});
