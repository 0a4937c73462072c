import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MEMBERS } from '../sharing/organisations.ts';
import { assess, NATURES, TARGET_KINDS, type Assessment, type Nature, type TargetKind } from './assessment.ts';
import { TreatyGeography } from './geography.ts';
import { loadTreatyGeography } from './geography.loader.ts';

let geo: TreatyGeography;
beforeAll(() => {
  geo = loadTreatyGeography();
});

const run = (lon: number, lat: number, date: string, party: string, kind: TargetKind, nature: Nature): Assessment =>
  assess({ date, target: { party, kind }, nature }, geo.place(lon, lat, date));

type Case = [
  name: string,
  lon: number,
  lat: number,
  date: string,
  party: string,
  kind: TargetKind,
  nature: Nature,
  article5: Assessment['article5'],
  article4: Assessment['article4'],
  area: string | null,
];

// One row per case, as a table.
// prettier-ignore
const CASES: Case[] = [
  ['armed attack on Helsinki before accession', 24.94, 60.17, '2023-01-15', 'FI', 'territory', 'armed-attack', 'not-covered', 'not-available', null],
  ['armed attack on Helsinki after accession', 24.94, 60.17, '2023-04-04', 'FI', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-europe'],
  ['drones over Poland (2025-09-10)', 22.5, 51.2, '2025-09-10', 'PL', 'aircraft', 'armed-attack', 'covered', 'available', 'article-6-i-europe'],
  ['US territory on 11 September 2001 (the one invocation)', -74.01, 40.71, '2001-09-11', 'US', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-north-america'],
  ['Turkish jet shot down off Syria (2012-06-22), over the Mediterranean', 35.7, 35.9, '2012-06-22', 'TR', 'aircraft', 'armed-attack', 'covered', 'available', 'article-6-ii-mediterranean'],
  ['shelling of Akçakale from Syria (2012-10-03)', 39.0, 36.71, '2012-10-03', 'TR', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-turkey'],
  ['Falklands 1982: British territory in the South Atlantic', -57.85, -51.69, '1982-04-02', 'GB', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['British ships off the Falklands', -58.5, -52.5, '1982-05-04', 'GB', 'vessel', 'armed-attack', 'not-covered', 'available', null],
  ['Pearl Harbor: Hawaii is in the Pacific', -157.95, 21.35, '2024-01-01', 'US', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['Anchorage, Alaska', -149.9, 61.22, '2024-01-01', 'US', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-north-america'],
  ['Puerto Rico, south of the Tropic', -66.1, 18.47, '2024-01-01', 'US', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['Nuuk, Greenland', -51.72, 64.18, '2024-01-01', 'DK', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-north-america'],
  ['Bermuda', -64.78, 32.29, '2024-01-01', 'GB', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-islands'],
  ['Azores', -25.67, 37.74, '2024-01-01', 'PT', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-islands'],
  ['Canary Islands', -15.43, 28.12, '2024-01-01', 'ES', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-islands'],
  ['Svalbard', 15.63, 78.22, '2024-01-01', 'NO', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-europe'],
  ['Ceuta (Africa)', -5.31, 35.89, '2024-01-01', 'ES', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['Spanish patrol boat in the Strait off Ceuta', -5.3, 35.93, '2024-01-01', 'ES', 'vessel', 'armed-attack', 'covered', 'available', 'article-6-ii-mediterranean'],
  ['French Guiana', -52.33, 4.93, '2024-01-01', 'FR', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['Van, Asian Turkey, by name', 43.38, 38.5, '2024-01-01', 'TR', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-turkey'],
  ['claimed attack on Poland located in Lithuania', 25.28, 54.69, '2024-01-01', 'PL', 'territory', 'armed-attack', 'not-covered', 'available', 'article-6-i-europe'],
  ['Polish forces in Lithuania', 25.28, 54.69, '2024-01-01', 'PL', 'forces', 'armed-attack', 'covered', 'available', 'article-6-i-europe'],
  ['US destroyer in the mid-Atlantic', -40, 40, '2024-01-01', 'US', 'vessel', 'armed-attack', 'covered', 'available', 'article-6-ii-north-atlantic'],
  ['Allied warship in the Black Sea, outside territorial seas', 34, 43, '2024-01-01', 'GB', 'vessel', 'armed-attack', 'not-covered', 'available', null],
  ['French forces in Mali', -8.0, 12.65, '2024-01-01', 'FR', 'forces', 'armed-attack', 'not-covered', 'available', null],
  ['US aircraft over the Gulf of Mexico', -90, 26, '2024-01-01', 'US', 'aircraft', 'armed-attack', 'covered', 'available', 'article-6-ii-north-atlantic'],
  ['US forces in Vienna in 1950 (occupation area)', 16.37, 48.21, '1950-01-01', 'US', 'forces', 'armed-attack', 'covered', 'available', 'article-6-ii-occupation-areas'],
  ['Oran in 1956: Algerian Departments of France', -0.64, 35.7, '1956-01-01', 'FR', 'territory', 'armed-attack', 'covered', 'available', 'article-6-i-algerian-departments'],
  ['Oran in 1963', -0.64, 35.7, '1963-01-01', 'FR', 'territory', 'armed-attack', 'not-covered', 'available', null],
  ['cyber attack on Tallinn', 24.75, 59.44, '2024-01-01', 'EE', 'territory', 'cyber', 'council-decision', 'available', 'article-6-i-europe'],
  ['hybrid attack on Vilnius', 25.28, 54.69, '2024-01-01', 'LT', 'territory', 'hybrid', 'council-decision', 'available', 'article-6-i-europe'],
  ['space attack on a ground station in Norway', 16.12, 69.29, '2024-01-01', 'NO', 'territory', 'space', 'council-decision', 'available', 'article-6-i-europe'],
  ['cyber attack on Hawaii', -157.86, 21.31, '2024-01-01', 'US', 'territory', 'cyber', 'not-covered', 'available', null],
  ['cyber attack on a partner (Kyiv)', 30.52, 50.45, '2024-01-01', 'UA', 'territory', 'cyber', 'not-covered', 'not-available', null],
  ['armed attack on a partner (Kyiv, 2022-02-24)', 30.52, 50.45, '2022-02-24', 'UA', 'territory', 'armed-attack', 'not-covered', 'not-available', null],
  ['Swedish vessel in the Baltic before accession', 19.5, 57, '2024-03-01', 'SE', 'vessel', 'armed-attack', 'not-covered', 'not-available', 'article-6-ii-north-atlantic'],
  ['Swedish vessel in the Baltic after accession', 19.5, 57, '2024-03-07', 'SE', 'vessel', 'armed-attack', 'covered', 'available', 'article-6-ii-north-atlantic'],
];

describe('Article 4/5 assessments', () => {
  it.each(CASES)('%s', (_n, lon, lat, date, party, kind, nature, article5, article4, area) => {
    const a = run(lon, lat, date, party, kind, nature);
    expect({ article5: a.article5, article4: a.article4, area: a.area }).toEqual({ article5, article4, area });
    expect(a.partyIsMember).toBe(article4 === 'available');
  });

  it('quotes the treaty and the summit texts in its reasons', () => {
    const covered = run(24.94, 60.17, '2023-04-04', 'FI', 'territory', 'armed-attack');
    expect(covered.reasons.find((r) => r.rule === 'article-5')?.text).toContain(
      'an armed attack against one or more of them in Europe or North America',
    );
    expect(covered.reasons.find((r) => r.rule === 'article-6-i-europe')?.citation).toMatch(/Article 6\(i\)/);
    const cyber = run(24.75, 59.44, '2024-01-01', 'EE', 'territory', 'cyber');
    expect(cyber.reasons.map((r) => r.citation)).toEqual(
      expect.arrayContaining(['Wales Summit Declaration (2014), para 72']),
    );
    const hybrid = run(24.75, 59.44, '2024-01-01', 'EE', 'territory', 'hybrid');
    expect(hybrid.reasons.map((r) => r.citation)).toContain('Washington Summit Declaration (2024), para 13');
    const before = run(24.94, 60.17, '2023-01-15', 'FI', 'territory', 'armed-attack');
    expect(before.reasons[0]!.text).toMatch(/acceded on 2023-04-04/);
  });

  it('names the state the place belonged to on the date, also when an earlier answer named another', () => {
    const places = (d: string) =>
      run(-0.64, 35.7, d, 'GB', 'forces', 'armed-attack')
        .reasons.map((r) => r.text)
        .filter((t) => t.includes('Oran') || t.includes('The place lies'));
    expect(places('1949-06-01').join(' ')).toContain('(FR)');
    expect(places('1963-01-01').join(' ')).toContain('(DZ)');
    expect(places('1963-01-01').join(' ')).not.toContain('(FR)');
  });

  it('keeps the shared reason texts of different geographies apart', () => {
    const synthetic = TreatyGeography.fromUnits([
      {
        name: 'Test island',
        polygons: [
          [
            [
              [-30.2, 39.8],
              [-29.8, 39.8],
              [-29.8, 40.2],
              [-30.2, 40.2],
              [-30.2, 39.8],
            ],
          ],
        ],
        jurisdiction: { state: 'PT', continent: 'by-frame' },
      },
    ]);
    const input = {
      date: '2024-01-01',
      target: { party: 'PT', kind: 'territory' as const },
      nature: 'armed-attack' as const,
    };
    const a = assess(input, synthetic.place(-30, 40, '2024-01-01'));
    const b = assess(input, geo.place(-25.67, 37.74, '2024-01-01'));
    expect(a.reasons.find((r) => r.rule === 'article-6-i-islands')?.text).toContain('Test island');
    expect(b.reasons.find((r) => r.rule === 'article-6-i-islands')?.text).toContain('Portugal');
  });

  const day = (min: number, max: number) => fc.integer({ min, max }).map((t) => new Date(t).toISOString().slice(0, 10));
  const anywhere = fc.record({
    lon: fc.double({ min: -180, max: 180, noNaN: true }),
    lat: fc.double({ min: -89.9, max: 89.9, noNaN: true }),
  });

  it('property: a date before the target acceded is never covered and never a council decision', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MEMBERS),
        anywhere,
        fc.constantFrom(...TARGET_KINDS),
        fc.constantFrom(...NATURES),
        fc.integer({ min: 1, max: 20000 }),
        (m, { lon, lat }, kind, nature, daysBefore) => {
          const date = new Date(Date.parse(`${m.joined!}T00:00:00Z`) - daysBefore * 86_400_000)
            .toISOString()
            .slice(0, 10);
          const a = run(lon, lat, date, m.code, kind, nature);
          expect(a.article5).toBe('not-covered');
          expect(a.partyIsMember).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('property: every answer carries a reason citing an article, and covered means a Party, an armed attack and an area', () => {
    const parties = [...MEMBERS.map((m) => m.code), 'UA', 'GE', 'RU'];
    fc.assert(
      fc.property(
        anywhere,
        day(Date.UTC(1945, 0, 1), Date.UTC(2035, 0, 1)),
        fc.constantFrom(...parties),
        fc.constantFrom(...TARGET_KINDS),
        fc.constantFrom(...NATURES),
        ({ lon, lat }, date, party, kind, nature) => {
          const a = run(lon, lat, date, party, kind, nature);
          expect(a.reasons.length).toBeGreaterThan(0);
          expect(a.reasons.some((r) => /Article \d/.test(r.citation))).toBe(true);
          for (const r of a.reasons) expect(r.text.length).toBeGreaterThan(10);
          if (a.article5 === 'covered')
            expect(a.partyIsMember && nature === 'armed-attack' && a.area !== null && a.inTreatyArea).toBe(true);
          if (a.article5 === 'council-decision') expect(nature).not.toBe('armed-attack');
          expect(a.article4 === 'available').toBe(a.partyIsMember);
        },
      ),
      { numRuns: 1500 },
    );
  });
});
