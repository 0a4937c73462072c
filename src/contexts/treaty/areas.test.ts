import { describe, expect, it } from 'vitest';
import {
  EUROPE,
  inRegion,
  MEDITERRANEAN,
  NORTH_AMERICA,
  NORTH_ATLANTIC,
  treatyAreasGeoJson,
  TROPIC_OF_CANCER,
  TURKISH_STRAITS,
  type Region,
} from './areas.ts';
import { signedArea2, type Ring } from './geometry.ts';

type Case = [string, number, number, boolean];

const table = (r: Region, cases: Case[]): void => {
  it.each(cases)(`${r.id}: %s (%f, %f) → %s`, (_n, lon, lat, expected) => {
    expect(inRegion(r, lon, lat)).toBe(expected);
  });
};

describe('Europe frame', () => {
  table(EUROPE, [
    ['Gibraltar', -5.35, 36.14, true],
    ['Tarifa', -5.6, 36.01, true],
    ['Ceuta', -5.31, 35.89, false],
    ['Melilla', -2.94, 35.29, false],
    ['Alborán island', -3.03, 35.94, true],
    ['Peñón de Vélez de la Gomera', -4.3, 35.17, false],
    ['Pantelleria', 11.95, 36.78, true],
    ['Lampedusa', 12.6, 35.5, true],
    ['Kelibia, Tunisia', 11.1, 36.85, false],
    ['La Galite, Tunisia', 8.93, 37.53, false],
    ['Gavdos', 24.08, 34.84, true],
    ['Reykjavík', -21.9, 64.15, true],
    ['Jan Mayen', -8.5, 71.0, true],
    ['Longyearbyen', 15.63, 78.22, true],
    ['Rockall', -13.69, 57.6, true],
    ['Ponta Delgada (Azores)', -25.67, 37.74, false],
    ['Funchal (Madeira)', -16.91, 32.65, false],
    ['Las Palmas (Canaries)', -15.43, 28.12, false],
    ['Nuuk', -51.72, 64.18, false],
    ['Nicosia', 33.36, 35.17, false],
    ['Moscow', 37.62, 55.75, true],
    ['Yekaterinburg (east of the Urals)', 60.6, 56.84, false],
  ]);
});

describe('North America frame', () => {
  table(NORTH_AMERICA, [
    ['New York', -74.0, 40.71, true],
    ['Key West', -81.78, 24.56, true],
    ['Anchorage', -149.9, 61.22, true],
    ['Attu, Aleutians (east of 180°)', 173.2, 52.9, true],
    ['Adak, Aleutians', -176.66, 51.88, true],
    ['Little Diomede', -168.95, 65.76, true],
    ['Big Diomede (Russia)', -169.05, 65.78, false],
    ['Nuuk', -51.72, 64.18, true],
    ['Saint-Pierre', -56.17, 46.78, true],
    ['Honolulu', -157.86, 21.31, false],
    ['Midway', -177.37, 28.21, false],
    ['Hamilton, Bermuda', -64.78, 32.29, false],
    ['San Juan, Puerto Rico', -66.1, 18.47, false],
    ['Havana', -82.37, 23.11, false],
    ['Reykjavík', -21.9, 64.15, false],
  ]);
});

describe('North Atlantic area', () => {
  table(NORTH_ATLANTIC, [
    ['mid-Atlantic', -40, 40, true],
    ['Bermuda waters', -64.5, 32.0, true],
    ['Gulf of Mexico', -90, 26, true],
    ['Gulf of Cádiz', -7.0, 36.6, true],
    ['Bay of Biscay', -5, 45, true],
    ['North Sea', 3, 56, true],
    ['Baltic Sea', 19, 56, true],
    ['Gulf of Finland', 27, 60, true],
    ['Norwegian Sea', 3, 68, true],
    ['Barents Sea', 40, 72, true],
    ['White Sea', 38, 65.5, true],
    ['Hudson Bay', -85, 60, true],
    ['Kara Sea', 70, 74, false],
    ['Beaufort Sea', -140, 72, false],
    ['Pacific off California', -125, 35, false],
    ['Ionian Sea', 19, 37, false],
    ['Alboran Sea', -3.5, 36, false],
    ['Black Sea', 34, 43, false],
    ['Caspian Sea', 51, 42, false],
    ['Red Sea', 38, 21, false],
    ['Cape Verde waters (south of the Tropic)', -24, 16, false],
  ]);
  it('lies wholly north of the Tropic of Cancer', () => {
    expect(NORTH_ATLANTIC.bbox[1]).toBeCloseTo(TROPIC_OF_CANCER, 6);
  });
});

describe('Mediterranean Sea', () => {
  table(MEDITERRANEAN, [
    ['Alboran Sea', -3.5, 36, true],
    ['Strait of Gibraltar, east of the Spartel–Trafalgar line', -5.6, 35.95, true],
    ['Gulf of Cádiz', -7.0, 36.6, false],
    ['Gulf of Lion', 4, 42.8, true],
    ['Tyrrhenian Sea', 12, 40, true],
    ['Adriatic Sea', 15, 43, true],
    ['Ionian Sea', 19, 37, true],
    ['Aegean Sea', 25, 38.5, true],
    ['Levantine Sea off Cyprus', 33, 34, true],
    ['off Port Said', 32.3, 31.5, true],
    ['Sea of Marmara', 28, 40.7, false],
    ['Black Sea', 34, 43, false],
    ['Gulf of Suez', 32.7, 29.5, false],
    ['Red Sea', 38, 21, false],
  ]);
});

describe('Turkish Straits', () => {
  table(TURKISH_STRAITS, [
    ['Sea of Marmara', 28, 40.7, true],
    ['Dardanelles at Çanakkale', 26.4, 40.15, true],
    ['Bosporus', 29.05, 41.1, true],
    ['Aegean off Lesbos', 25.9, 39.3, false],
  ]);
});

describe('treaty-area map layer', () => {
  const rings = (w: 'rfc7946' | 'd3'): Ring[] =>
    treatyAreasGeoJson(w).features.flatMap((f) =>
      f.geometry.type === 'Polygon'
        ? f.geometry.coordinates
        : f.geometry.type === 'MultiPolygon'
          ? f.geometry.coordinates.flat()
          : [],
    );
  it('has the sea areas, frames and the Tropic of Cancer, densified to 1°', () => {
    const fc = treatyAreasGeoJson();
    expect(fc.features.map((f) => f.id)).toEqual([
      'mediterranean',
      'north-atlantic',
      'turkish-straits',
      'europe',
      'north-america',
      'tropic-of-cancer',
    ]);
    for (const r of rings('rfc7946'))
      for (let i = 1; i < r.length; i++) expect(Math.abs(r[i]![0] - r[i - 1]![0])).toBeLessThanOrEqual(1 + 1e-9);
  });
  it('winds rings for RFC 7946 (counter-clockwise) or d3-geo (clockwise)', () => {
    expect(rings('rfc7946').every((r) => signedArea2(r) > 0)).toBe(true);
    expect(rings('d3').every((r) => signedArea2(r) < 0)).toBe(true);
  });
});
