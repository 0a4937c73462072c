import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeEvidence, describeScore, kindOfId, segmentsOf } from './logic.ts';

describe('sources tab logic', () => {
  it('cuts a text into segments covered by one mention and one claim each', () => {
    const text = 'Geoana said "no request" in Vilnius.';
    const segs = segmentsOf(
      text,
      [{ mentions: [{ start: 0, end: 6 }] }, { mentions: [{ start: 28, end: 35 }] }],
      [{ start: 13, end: 23 }],
    );
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.entity === 0).map((s) => s.text)).toEqual(['Geoana']);
    expect(segs.filter((s) => s.entity === 1).map((s) => s.text)).toEqual(['Vilnius']);
    expect(segs.filter((s) => s.claim === 0).map((s) => s.text)).toEqual(['no request']);
  });

  it('property: segments tile the text and each lies inside the spans it names', () => {
    const span = (n: number) => fc.tuple(fc.nat(n + 5), fc.nat(n + 5)).map(([a, b]) => ({ start: a, end: a + b }));
    fc.assert(
      fc.property(
        fc.string({ maxLength: 60 }).chain((t) =>
          fc.tuple(
            fc.constant(t),
            fc.array(
              fc.array(span(t.length), { maxLength: 4 }).map((m) => ({ mentions: m })),
              { maxLength: 4 },
            ),
            fc.array(span(t.length), { maxLength: 4 }),
          ),
        ),
        ([t, ents, claims]) => {
          const segs = segmentsOf(t, ents, claims);
          expect(segs.map((s) => s.text).join('')).toBe(t);
          for (const s of segs) {
            if (s.entity !== undefined)
              expect(ents[s.entity]!.mentions.some((m) => m.start <= s.start && m.end >= s.end)).toBe(true);
            if (s.claim !== undefined)
              expect(claims[s.claim]!.start <= s.start && claims[s.claim]!.end >= s.end).toBe(true);
          }
        },
      ),
    );
  });

  it('tells scores and evidence in plain words', () => {
    expect(describeScore(0.93)).toBe('strong match (93 %): joined automatically from 85 %');
    expect(describeScore(0.7)).toContain('an analyst decides');
    expect(describeEvidence('surname "geoana" ~ "geoanu" (Jaro-Winkler 0.92)')).toBe(
      'the surnames "geoana" and "geoanu" are spelled alike (92 % similar)',
    );
    expect(describeEvidence('one of them is a surname alone')).toContain('someone else of that name');
    expect(describeEvidence('something new')).toBe('something new');
    expect(kindOfId('report--1')).toBe('document');
    expect(kindOfId('identity--1')).toBe('entity');
    expect(kindOfId(undefined)).toBe('list');
  });
});
