import { describe, expect, it } from 'vitest';
import type { NeedViewT } from '../../../src/contexts/registers/humanitarian.schema.ts';
import { needPlaces, peopleText } from './humanitarian-places.ts';

const need = (area: string, sector: NeedViewT['sector'], peopleInNeed: number): NeedViewT => ({
  id: `bulwark-humanitarian-need--${area}-${sector}`,
  author: 'PL',
  area,
  sector,
  peopleInNeed,
  peopleReached: null,
  fundingRequired: null,
  fundingReceived: null,
  asOf: '2025-03-01T00:00:00.000Z',
  source: 'https://example.org',
  tlp: 'green',
  audience: [],
  createdBy: 'u',
  created: '2025-03-01T00:00:00.000Z',
  modified: '2025-03-01T00:00:00.000Z',
});

describe('humanitarian needs per place', () => {
  it('draws subdivisions at their country; a need stated for the country is not added to its parts', () => {
    const places = needPlaces(
      [
        need('UA-14', 'food', 300),
        need('UA-63', 'food', 200),
        need('UA-14', 'health', 400),
        need('UA', 'health', 450),
        need('MD', 'shelter', 90),
        need('XK', 'food', 10),
      ],
      (c) => (c === 'XK' ? null : [30, 50]),
    );
    expect(places.map((p) => [p.country, p.sector, p.peopleInNeed])).toEqual([
      ['UA', 'food', 500],
      ['MD', 'shelter', 90],
      ['XK', 'food', 10],
    ]);
    expect(places[0]!.needs.map((n) => n.area)).toEqual(['UA', 'UA-14', 'UA-14', 'UA-63']);
    expect(places[2]!.centre).toBeNull();
  });

  it('reads numbers as words', () => {
    expect(peopleText(950)).toBe('950');
    expect(peopleText(12_340)).toBe('12.3 thousand');
    expect(peopleText(3_420_000)).toBe('3.4 million');
  });
});
