import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold } from './fold.ts';
import { candidateKeys, decide, score, type Profile } from './resolve.ts';

const person = (names: string[], roles: string[] = [], orgs: string[] = []): Profile => ({
  kind: 'person',
  folds: names.map(fold),
  roles,
  orgs,
});

describe('folding', () => {
  it('folds case, diacritics and scripts', () => {
    expect(fold('Mircea Geoană')).toBe('mircea geoana');
    expect(fold('RADOSŁAW  Sikorski')).toBe('radoslaw sikorski');
    expect(fold('Зеленський')).toBe(fold('Zelenskiy'));
    expect(fold("O'Brien")).toBe('obrien');
    expect(fold("Geoană's")).toBe('geoana');
  });

  it('is idempotent', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (s) => fold(fold(s)) === fold(s)));
  });
});

describe('resolution across documents (real near-namesakes)', () => {
  it('the same person with and without diacritics, misspelled, or by surname with shared context', () => {
    const stored = person(['Mircea Geoană'], ['deputy', 'secretary', 'general'], ['org:NATO']);
    expect(score(person(['Mircea Geoana']), stored).score).toBe(1);
    expect(score(person(['Mircea Geoanna']), stored).score).toBeGreaterThanOrEqual(0.85);
    const surname = score(person(['Geoana'], ['secretary'], ['org:NATO']), stored);
    expect(surname.score).toBeGreaterThanOrEqual(0.85);
    expect(surname.evidence).toContain('co-mentioned org:NATO');
    expect(score(person(['Geoana']), stored).score).toBeLessThan(0.85); // alone: review, not merge
  });

  it('never takes two different people for one', () => {
    const pairs: Array<[string, string]> = [
      ['Jens Stoltenberg', 'Camilla Stoltenberg'],
      ['Kaja Kallas', 'Siim Kallas'],
      ['Donald Tusk', 'Donald Trump'],
      ['Dmitry Medvedev', 'Dmitry Peskov'],
      ['Joe Biden', 'Hunter Biden'],
    ];
    for (const [a, b] of pairs) {
      const s = score(person([a], ['president'], ['org:NATO']), person([b], ['president'], ['org:NATO']));
      expect(s.score, `${a} / ${b}`).toBeLessThan(0.6);
    }
  });

  it('a bare surname shared by two stored people goes to review, never merged', () => {
    const local = person(['Kallas'], ['minister'], ['org:EU']);
    const kaja = { id: 'identity--kaja', ...score(local, person(['Kaja Kallas'], ['minister'], ['org:EU'])) };
    const siim = { id: 'identity--siim', ...score(local, person(['Siim Kallas'], ['minister'], ['org:EU'])) };
    const d = decide([kaja, siim]);
    expect(d.kind).toBe('new');
    if (d.kind === 'new') expect(d.review.map((r) => r.other).sort()).toEqual(['identity--kaja', 'identity--siim']);
  });

  it('organisations and places resolve by gazetteer key', () => {
    const nato = {
      kind: 'organisation' as const,
      key: 'org:NATO',
      folds: ['north atlantic alliance'],
      roles: [],
      orgs: [],
    };
    expect(score(nato, { ...nato, folds: ['nato'] }).score).toBe(1);
    expect(score(nato, { ...nato, key: 'org:EU', folds: ['eu'] }).score).toBe(0);
  });

  it('phonetic candidate keys find a misspelled surname', () => {
    const a = candidateKeys(person(['Mircea Geoană']));
    const b = candidateKeys(person(['Geoanna']));
    expect(a.some((k) => b.includes(k))).toBe(true);
  });
});
