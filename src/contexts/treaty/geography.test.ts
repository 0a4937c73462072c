import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TROPIC_OF_CANCER } from './areas.ts';
import { TreatyGeography, type AreaClause, type UnitInput } from './geography.ts';
import { loadTreatyGeography, unitsFromTopology, worldAtlasPath } from './geography.loader.ts';
import { readFileSync } from 'node:fs';
import type { Topology } from 'topojson-specification';

let geo: TreatyGeography;
beforeAll(() => {
  geo = loadTreatyGeography();
});

type Case = [name: string, lon: number, lat: number, date: string, area: AreaClause | null, state?: string | null];

/** Researched places; coordinates are city centres or island centres (WGS 84). */
const CASES: Case[] = [
  ['Helsinki before Finland acceded', 24.94, 60.17, '2023-01-15', null, 'FI'],
  ['Helsinki on the day of accession', 24.94, 60.17, '2023-04-04', 'article-6-i-europe', 'FI'],
  ['Stockholm before Sweden acceded', 18.07, 59.33, '2024-03-06', null, 'SE'],
  ['Stockholm after', 18.07, 59.33, '2024-03-07', 'article-6-i-europe', 'SE'],
  ['Warsaw', 21.01, 52.23, '2024-06-01', 'article-6-i-europe', 'PL'],
  ['Warsaw 1998', 21.01, 52.23, '1998-06-01', null, 'PL'],
  ['Tallinn', 24.75, 59.44, '2025-09-19', 'article-6-i-europe', 'EE'],
  ['Mariehamn, Åland', 19.94, 60.1, '2024-01-01', 'article-6-i-europe', 'FI'],
  ['Copenhagen (coastal, territorial sea at map resolution)', 12.57, 55.68, '2024-01-01', 'article-6-i-europe', 'DK'],
  ['Reykjavík', -21.9, 64.15, '2024-01-01', 'article-6-i-europe', 'IS'],
  ['Tórshavn, Faroe Islands', -6.77, 62.01, '2024-01-01', 'article-6-i-europe', 'DK'],
  ['Nuuk, Greenland', -51.72, 64.18, '2024-01-01', 'article-6-i-north-america', 'DK'],
  ['Longyearbyen, Svalbard', 15.63, 78.22, '2024-01-01', 'article-6-i-europe', 'NO'],
  ['Ponta Delgada, Azores', -25.67, 37.74, '2024-01-01', 'article-6-i-islands', 'PT'],
  ['Funchal, Madeira', -16.91, 32.65, '2024-01-01', 'article-6-i-islands', 'PT'],
  ['Las Palmas, Canary Islands', -15.43, 28.12, '2024-01-01', 'article-6-i-islands', 'ES'],
  ['Las Palmas before Spain acceded', -15.43, 28.12, '1982-05-29', null, 'ES'],
  ['Hamilton, Bermuda', -64.78, 32.29, '2024-01-01', 'article-6-i-islands', 'GB'],
  ['Saint-Pierre', -56.17, 46.78, '2024-01-01', 'article-6-i-north-america', 'FR'],
  ['Ottawa', -75.7, 45.42, '2024-01-01', 'article-6-i-north-america', 'CA'],
  ['New York', -74.0, 40.71, '2024-01-01', 'article-6-i-north-america', 'US'],
  ['Anchorage, Alaska', -149.9, 61.22, '2024-01-01', 'article-6-i-north-america', 'US'],
  ['Attu, Aleutians (east of the antimeridian)', 173.2, 52.9, '2024-01-01', 'article-6-i-north-america', 'US'],
  ['Honolulu, Hawaii (Pacific)', -157.86, 21.31, '2024-01-01', null, 'US'],
  ['Midway (Pacific, north of the Tropic)', -177.37, 28.21, '2024-01-01', null, 'US'],
  ['Guam', 144.79, 13.44, '2024-01-01', null, 'US'],
  ['San Juan, Puerto Rico (south of the Tropic)', -66.1, 18.47, '2024-01-01', null, 'US'],
  ['Charlotte Amalie, US Virgin Islands', -64.93, 18.34, '2024-01-01', null, 'US'],
  ['Cayenne, French Guiana', -52.33, 4.93, '2024-01-01', null, 'FR'],
  ['Fort-de-France, Martinique', -61.07, 14.6, '2024-01-01', null, 'FR'],
  ['Stanley, Falkland Islands', -57.85, -51.69, '2024-01-01', null, 'GB'],
  ['Ceuta (Africa)', -5.31, 35.89, '2024-01-01', null, 'ES'],
  ['Melilla (Africa)', -2.94, 35.29, '2024-01-01', null, 'ES'],
  ['Gibraltar', -5.35, 36.14, '2024-01-01', 'article-6-i-europe', 'GB'],
  ['Palma de Mallorca', 2.65, 39.57, '2024-01-01', 'article-6-i-europe', 'ES'],
  ['Lampedusa', 12.6, 35.5, '2024-01-01', 'article-6-i-europe', 'IT'],
  ['Valletta, Malta (not a Party): at sea in the Mediterranean? no, on land', 14.51, 35.9, '2024-01-01', null, 'MT'],
  ['Akrotiri (UK base on Cyprus, Asia)', 32.95, 34.59, '2024-01-01', null, 'GB'],
  ['Ankara', 32.85, 39.93, '2024-01-01', 'article-6-i-turkey', 'TR'],
  ['Van, eastern Anatolia', 43.38, 38.5, '2024-01-01', 'article-6-i-turkey', 'TR'],
  ['Sea of Marmara', 28.0, 40.7, '2024-01-01', 'article-6-i-turkey', 'TR'],
  ['Ankara before Turkey acceded', 32.85, 39.93, '1951-01-01', null, 'TR'],
  ['Rhodes', 28.22, 36.43, '2024-01-01', 'article-6-i-europe', 'GR'],
  ['Kyiv (partner)', 30.52, 50.45, '2024-01-01', null, 'UA'],
  ['Moscow', 37.62, 55.75, '2024-01-01', null, 'RU'],
  [
    'Oran, an Algerian Department of France in 1955',
    -0.64,
    35.7,
    '1955-01-01',
    'article-6-i-algerian-departments',
    'FR',
  ],
  ['Oran after independence', -0.64, 35.7, '1963-01-01', null, 'DZ'],
  ['Vienna under four-power occupation (1950)', 16.37, 48.21, '1950-01-01', 'article-6-ii-occupation-areas', 'AT'],
  ['Vienna after the State Treaty (1956)', 16.37, 48.21, '1956-01-01', null, 'AT'],
  [
    'Gotland Deep off Stockholm before Sweden acceded: the Baltic is North Atlantic area',
    19.5,
    57,
    '2024-03-06',
    'article-6-ii-north-atlantic',
  ],
  ['Bonn before West German accession (1950)', 7.1, 50.73, '1950-01-01', 'article-6-ii-occupation-areas', 'DE'],
];

const SEA: [string, number, number, AreaClause | null][] = [
  ['mid-Atlantic', -40, 40, 'article-6-ii-north-atlantic'],
  ['Gulf of Mexico', -90, 26, 'article-6-ii-north-atlantic'],
  ['Baltic Sea, Gotland Deep', 19.5, 57, 'article-6-ii-north-atlantic'],
  ['North Sea', 3, 56, 'article-6-ii-north-atlantic'],
  ['Barents Sea', 40, 73, 'article-6-ii-north-atlantic'],
  ['Ionian Sea', 19, 37, 'article-6-ii-mediterranean'],
  ['Levantine Sea', 30, 33.5, 'article-6-ii-mediterranean'],
  ['Black Sea (not an Article 6 sea)', 34, 43, null],
  ['Atlantic south of the Tropic', -30, 15, null],
  ['South Pacific', -140, -30, null],
  ['Indian Ocean', 70, -10, null],
];

describe('Article 6 geography on Natural Earth 1:10m', () => {
  it.each(CASES)('%s', (_name, lon, lat, date, area, state) => {
    const p = geo.place(lon, lat, date);
    expect(p.area).toBe(area);
    if (state !== undefined) expect(p.territories[0]?.state ?? null).toBe(state);
  });

  it.each(SEA)('at sea: %s', (_name, lon, lat, area) => {
    const p = geo.place(lon, lat, '2024-06-01');
    expect(p.onLand).toBe(false);
    expect(p.territories).toEqual([]);
    expect(p.area).toBe(area);
  });

  it('repaired the antimeridian rings and closed Antarctica on load', () => {
    expect(geo.data.repair.splitRings).toBeGreaterThanOrEqual(4);
    expect(geo.data.repair.polarRings).toBe(1);
    for (const g of geo.index.grids) {
      for (let i = 0; i < g.segs.length; i += 2)
        if (Math.abs(g.segs[i]!) > 180 || Math.abs(g.segs[i + 1]!) > 90) throw new Error('position out of range');
      // Only Antarctica's closing edge along the South Pole may run the full width.
      for (let i = 0; i < g.segs.length; i += 4)
        if (Math.abs(g.segs[i + 2]! - g.segs[i]!) > 180 && !(g.segs[i + 1] === -90 && g.segs[i + 3] === -90))
          throw new Error('edge longer than 180°');
    }
    // Wrangel Island's ring jumps across 180° in the source: it must not cover the Atlantic.
    expect(geo.place(0, 71.2, '2024-01-01').territories).toEqual([]);
  });

  it('puts a coastal city into the territorial sea, not into the open sea, and keeps neighbours ashore apart', () => {
    const nuuk = geo.place(-51.72, 64.18, '2024-01-01');
    expect(nuuk.territories[0]).toMatchObject({ state: 'DK', clause: 'article-6-i-north-america' });
    const offshore = geo.place(-6.5, 62.01, '2024-01-01'); // ~14 km east of Tórshavn's island
    expect(offshore.territories[0]?.state).toBe('DK');
    const ceuta = geo.place(-5.31, 35.89, '2024-01-01');
    expect(ceuta.territories.map((t) => t.state)).toEqual(['ES']);
    // Off Latakia, within 12 nm of both Syria and Turkey: the nearer coast (Syria) has it.
    const latakia = geo.place(35.7, 35.9, '2012-06-22');
    expect(latakia.territories.map((t) => t.unit)).toEqual(['Syria']);
    expect(latakia.area).toBe('article-6-ii-mediterranean');
  });
});

describe('islands and the Tropic of Cancer (synthetic geography)', () => {
  const island = (lon: number, lat: number, r = 0.2): number[][][] => [
    [
      [lon - r, lat - r],
      [lon + r, lat - r],
      [lon + r, lat + r],
      [lon - r, lat + r],
      [lon - r, lat - r],
    ],
  ];
  const unitAt = (lon: number, lat: number, state: string): UnitInput => ({
    name: `Test island of ${state}`,
    polygons: [island(lon, lat)],
    islands: [true],
    jurisdiction: { state, continent: 'by-frame' },
  });

  it('property: Bermuda (its real 1:10m outline) leaves the treaty area when moved south of the Tropic', () => {
    const topo = JSON.parse(readFileSync(worldAtlasPath(), 'utf8')) as Topology;
    const bermuda = unitsFromTopology(topo).find((u) => u.name === 'Bermuda')!;
    const centre = [-64.75, 32.3] as const;
    const moved = (dx: number, dy: number): UnitInput => ({
      ...bermuda,
      polygons: bermuda.polygons.map((poly) => poly.map((ring) => ring.map(([x, y]) => [x! + dx, y! + dy]))),
    });
    const home = TreatyGeography.fromUnits([bermuda]).place(centre[0], centre[1], '2024-06-01');
    expect(home.area).toBe('article-6-i-islands');
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 20, noNaN: true }),
        fc.double({ min: 32.3 - TROPIC_OF_CANCER + 0.6, max: 40, noNaN: true }),
        (dx, south) => {
          const p = TreatyGeography.fromUnits([moved(dx, -south)]).place(
            centre[0] + dx,
            centre[1] - south,
            '2024-06-01',
          );
          expect(p.territories[0]?.state).toBe('GB');
          expect(p.area).toBeNull();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('property: an island of a Party in the North Atlantic leaves the treaty area when moved south of the Tropic', () => {
    // Open-ocean positions of the Atlantic between 20°W and 60°W.
    const spot = fc.record({
      lon: fc.double({ min: -60, max: -20, noNaN: true }),
      lat: fc.double({ min: TROPIC_OF_CANCER + 0.5, max: 45, noNaN: true }),
    });
    fc.assert(
      fc.property(
        spot,
        fc.constantFrom('PT', 'GB', 'US', 'FR', 'NL', 'ES'),
        fc.double({ min: 1, max: 30, noNaN: true }),
        ({ lon, lat }, state, south) => {
          const north = TreatyGeography.fromUnits([unitAt(lon, lat, state)]).place(lon, lat, '2024-06-01');
          expect(north.area === 'article-6-i-islands' || north.area === 'article-6-i-north-america').toBe(true);
          const newLat = TROPIC_OF_CANCER - 0.5 - south;
          const moved = TreatyGeography.fromUnits([unitAt(lon, newLat, state)]).place(lon, newLat, '2024-06-01');
          expect(moved.territories[0]?.state).toBe(state);
          expect(moved.area).toBeNull();
        },
      ),
      { numRuns: 60 },
    );
  });
});
